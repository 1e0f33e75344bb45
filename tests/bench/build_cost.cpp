// build_cost: what the terms that find copies of a story (index/similarity.hpp) cost at index
// time. Builds the same corpus into fresh databases, alternately with and without those terms
// (IndexOptions::similarity_terms), as the indexer does (build_index_or_shards, so a large corpus
// gets the two-writer build), and prints the median wall time and the final size of each, and
// the share of build time and size the terms take. Alternating the two builds spreads the
// machine's noise over both.
//
//   build_cost [--repeat N] [--work DIR] [--json] CORPUS...
//
// --work: where the databases are built (default: a directory under the system's temporary
// directory); each is removed after it is measured. Exit status: 0, or 2 on a usage error or
// failure.

#include "cite/error.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/shard_set.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::string_view usage = "usage: build_cost [--repeat N] [--work DIR] [--json] CORPUS...\n";

struct Options {
    std::vector<fs::path> inputs;
    fs::path work = fs::temp_directory_path() / "cite-build-cost";
    std::size_t repeat = 3;
    bool json = false;
};

class QuietObserver final : public cite::index::IndexObserver {
  public:
    void warning(const std::string& where, const std::string& message) override {
        std::cerr << "build_cost: " << where << ": " << message << '\n';
    }
    void progress(const cite::index::IndexProgress&) override {}
};

struct Build {
    double seconds = 0;
    double cpu_seconds = 0;  ///< of every thread: steadier than wall time on a shared machine
    std::uintmax_t bytes = 0;
    std::uint64_t passages = 0;
};

std::uintmax_t directory_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) total += entry.file_size();
    return total;
}

Build build_once(const Options& options, bool similarity_terms, std::size_t run) {
    cite::index::IndexOptions index;
    index.db_path = options.work / ((similarity_terms ? "with-" : "without-") + std::to_string(run) + ".db");
    index.inputs = options.inputs;
    index.similarity_terms = similarity_terms;
    fs::remove_all(index.db_path);
    QuietObserver observer;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const cite::index::IndexSummary summary = cite::index::build_index_or_shards(index, 0, observer);
    Build build;
    build.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    build.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    build.bytes = directory_bytes(index.db_path);
    build.passages = summary.passages_total;
    fs::remove_all(index.db_path);
    return build;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int run(const Options& options) {
    fs::create_directories(options.work);
    std::vector<double> with_seconds, without_seconds, with_cpu, without_cpu;
    Build with, without;
    for (std::size_t i = 0; i < options.repeat; ++i) {
        // Alternate which goes first, so neither always meets a warm or a cold page cache.
        const bool with_first = i % 2 == 0;
        for (const bool similarity : {with_first, !with_first}) {
            const Build b = build_once(options, similarity, i);
            (similarity ? with_seconds : without_seconds).push_back(b.seconds);
            (similarity ? with_cpu : without_cpu).push_back(b.cpu_seconds);
            (similarity ? with : without) = b;
            std::cerr << "build_cost: run " << i + 1 << '/' << options.repeat << (similarity ? " with" : " without")
                      << " similarity terms: " << std::fixed << std::setprecision(2) << b.seconds << " s, CPU "
                      << b.cpu_seconds << " s\n";
        }
    }
    const double t_with = median(with_seconds), t_without = median(without_seconds);
    const double time_share = (t_with - t_without) / t_with;
    const double c_with = median(with_cpu), c_without = median(without_cpu);
    const double cpu_share = (c_with - c_without) / c_with;
    const double size_share = (static_cast<double>(with.bytes) - static_cast<double>(without.bytes)) /
                              static_cast<double>(with.bytes);
    if (options.json) {
        std::cout << nlohmann::json{{"passages", with.passages},
                                    {"runs", options.repeat},
                                    {"seconds_with", t_with},
                                    {"seconds_without", t_without},
                                    {"cpu_seconds_with", c_with},
                                    {"cpu_seconds_without", c_without},
                                    {"cpu_share", cpu_share},
                                    {"bytes_with", with.bytes},
                                    {"bytes_without", without.bytes},
                                    {"time_share", time_share},
                                    {"size_share", size_share}}
                         .dump()
                  << '\n';
        return 0;
    }
    std::cout << std::fixed << std::setprecision(2) << "passages: " << with.passages << " (" << options.repeat
              << " builds each, medians)\n"
              << "with similarity terms:    " << t_with << " s (CPU " << c_with << " s), "
              << static_cast<double>(with.bytes) / 1e6 << " MB\n"
              << "without similarity terms: " << t_without << " s (CPU " << c_without << " s), "
              << static_cast<double>(without.bytes) / 1e6 << " MB\n"
              << std::setprecision(1) << "share of build time: " << 100 * time_share << "% (of CPU time "
              << 100 * cpu_share << "%), of index size: " << 100 * size_share << "%\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--repeat" && has_value) {
            try {
                options.repeat = std::stoul(std::string(args[++i]));
            } catch (const std::exception&) {
                options.repeat = 0;
            }
            if (options.repeat == 0) {
                std::cerr << "build_cost: --repeat needs a positive number\n" << usage;
                return 2;
            }
        } else if (a == "--work" && has_value) {
            options.work = std::string(args[++i]);
        } else if (a == "--json") {
            options.json = true;
        } else if (!a.empty() && a.front() == '-') {
            std::cerr << "build_cost: unknown option '" << a << "'\n" << usage;
            return 2;
        } else {
            options.inputs.emplace_back(std::string(a));
        }
    }
    if (options.inputs.empty()) {
        std::cerr << usage;
        return 2;
    }
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::cerr << "build_cost: " << e.what() << '\n';
        return 2;
    }
}
