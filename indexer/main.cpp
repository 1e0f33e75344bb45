// indexer: argv -> IndexConfig -> cite::index::build_index (or compact_databases) -> exit code;
// with --watch, again after every change of the corpus until a stop signal.

#include "options.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/index/compact.hpp"
#include "cite/index/shard_set.hpp"
#include "cite/passage/corpus_watcher.hpp"
#include "cite/passage/source_reader.hpp"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <filesystem>
#include <iostream>
#include <map>

namespace {

// Paths in messages may hold any bytes; what is printed is UTF-8, bad bytes written as \xFF.
std::string printable(std::string_view text) { return cite::analysis::escape_invalid_utf8(text); }

// SIGINT and SIGTERM stop the indexer cleanly: the handler only records the signal; the
// writer polls it between files and between passages, rolls back the file in progress,
// commits the files it finished and returns. main() then reports what was done and ends by
// the same signal (default action), so the shell sees 130 (SIGINT) or 143 (SIGTERM) and a
// script running the indexer in a loop stops too (the "wait and cooperative exit" convention).
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "touched from a signal handler");

void request_stop(int signal) { g_stop_signal.store(signal, std::memory_order_relaxed); }

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: a second Ctrl-C kills at once. That is safe too (commits are atomic;
    // the crash test kills the indexer at random points), only the unfinished work is lost.
    // SA_RESTART: reads and writes in progress carry on rather than failing with EINTR.
    action.sa_flags = static_cast<int>(SA_RESETHAND | SA_RESTART);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// stderr, even with --quiet: the run did not do everything it was asked to.
void report_stop(int signal, const cite::index::IndexSummary& summary) {
    const char* name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal";
    if (!summary.interrupted) {
        std::cerr << "indexer: " << name << " came after the last file; everything is committed\n";
        return;
    }
    std::cerr << "indexer: stopped by " << name << ": "
              << summary.files_added + summary.files_updated + summary.files_unchanged + summary.files_skipped
              << " files done and committed";
    if (!summary.rolled_back.empty())
        std::cerr << ", " << printable(summary.rolled_back) << " rolled back (left as it was before this run)";
    std::cerr << ", " << summary.files_not_reached
              << " files left as they were, no vanished file removed; run the indexer again to finish\n";
}

// Warnings always go to stderr; progress only to a terminal and never with --quiet.
class ConsoleObserver : public cite::index::IndexObserver {
  public:
    explicit ConsoleObserver(bool show_progress) : m_show_progress(show_progress) {}

    void warning(const std::string& where, const std::string& message) override {
        clear_line();
        std::cerr << "indexer: " << printable(where) << ": " << printable(message) << '\n';
    }

    void progress(const cite::index::IndexProgress& p) override {
        if (!m_show_progress) return;
        const auto now = std::chrono::steady_clock::now();
        if (p.files_done != p.files_total && now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        const double mb = static_cast<double>(p.bytes_read) / 1e6;
        std::cerr << "\rindexer: " << p.files_done << '/' << p.files_total << " files, " << std::fixed
                  << std::setprecision(1) << mb << " MB, " << p.passages_written << " passages, "
                  << (p.seconds > 0 ? mb / p.seconds : 0.0) << " MB/s" << std::flush;
        m_line_open = true;
    }

    void clear_line() {
        if (m_line_open) std::cerr << "\r\033[K";
        m_line_open = false;
    }

  private:
    bool m_show_progress;
    bool m_line_open = false;
    std::chrono::steady_clock::time_point m_last{};
};

// "12 files of unsupported types skipped: 5 .xlsx, 7 .png".
std::string unsupported_summary(const std::vector<std::string>& files) {
    std::map<std::string, std::size_t> by_extension;
    for (const std::string& file : files) {
        const std::string extension = std::filesystem::path(file).extension().string();
        ++by_extension[extension.empty() ? "(no extension)" : extension];
    }
    std::string out = std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") +
                      " of unsupported types skipped:";
    bool first = true;
    for (const auto& [extension, count] : by_extension) {
        out += (first ? " " : ", ") + std::to_string(count) + " " + printable(extension);
        first = false;
    }
    return out;
}

void print_summary(const cite::index::IndexSummary& summary) {
    std::cout << "indexed " << summary.files_added << " added, " << summary.files_updated << " updated, "
              << summary.files_unchanged << " unchanged, " << summary.files_removed << " removed, "
              << summary.files_skipped << " skipped files";
    if (summary.records_skipped > 0) std::cout << " (" << summary.records_skipped << " records skipped)";
    if (!summary.unsupported.empty()) std::cout << "; " << unsupported_summary(summary.unsupported);
    std::cout << "; " << summary.passages_written << " passages written, " << summary.passages_total
              << " in index; " << std::fixed << std::setprecision(2) << summary.seconds << " s\n";
}

// The local time, for the summary line of each run in --watch mode.
std::string clock_time() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    return text;
}

// --watch: index again after every change until a stop signal. A run that fails (the database
// locked by another writer, a disk full) is reported and the next change tries again: the
// watcher outlives one bad moment. Returns once a stop signal came; true when a run it stopped
// has been reported (report_stop).
bool watch_corpus(const indexer::IndexConfig& config, ConsoleObserver& observer) {
    cite::passage::WatchOptions options;
    if (config.poll_seconds > 0) {
        options.force_polling = true;
        options.poll_interval = std::chrono::milliseconds(static_cast<long>(config.poll_seconds * 1000));
    }
    cite::passage::CorpusWatcher watcher(config.index.inputs, options);
    const auto stop = [] { return g_stop_signal.load(std::memory_order_relaxed) != 0; };
    if (!config.quiet)
        std::cout << "watching " << config.index.inputs.size() << " corpus path(s) by " << watcher.mechanism()
                  << "; Ctrl-C stops" << std::endl;
    while (watcher.wait(stop)) {
        try {
            const auto summary = cite::index::build_index_or_shards(config.index, config.shards, observer);
            observer.clear_line();
            if (!config.quiet) {
                std::cout << clock_time() << ' ';
                print_summary(summary);
                std::cout.flush();
            }
            if (summary.interrupted) {
                report_stop(g_stop_signal.load(), summary);
                return true;
            }
        } catch (const cite::Error& e) {
            observer.clear_line();
            std::cerr << "indexer: " << printable(e.what()) << "; trying again at the next change\n";
        } catch (const Xapian::Error& e) {
            observer.clear_line();
            std::cerr << "indexer: " << printable(e.get_description()) << "; trying again at the next change\n";
        }
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        auto config = indexer::parse_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        if (!config->extract_metadata.empty()) {
            std::cout << nlohmann::json(cite::passage::document_metadata(config->extract_metadata)).dump() << '\n';
            return cite::exit_ok;
        }
        if (!config->extract.empty()) {
            std::cout << cite::passage::text_layer(config->extract);
            std::cout.flush();
            return std::cout ? cite::exit_ok : cite::exit_error;
        }
        if (config->merge) {
            cite::index::compact_databases(config->index.inputs, config->index.db_path);
            if (!config->quiet)
                std::cout << "merged " << config->index.inputs.size() << " databases into "
                          << config->index.db_path.string() << '\n';
            return cite::exit_ok;
        }
        ConsoleObserver observer(!config->quiet && isatty(STDERR_FILENO) == 1);
        install_stop_handlers();
        config->index.stop_requested = [] { return g_stop_signal.load(std::memory_order_relaxed) != 0; };
        const auto summary = cite::index::build_index_or_shards(config->index, config->shards, observer);
        observer.clear_line();
        if (config->verbose)
            for (const std::string& file : summary.unsupported)
                std::cerr << "indexer: " << printable(file) << ": not indexed: a kind of file the indexer does not read\n";
        if (!config->quiet) print_summary(summary);
        if (config->watch && g_stop_signal.load() == 0) {
            std::cout.flush();
            const bool reported = watch_corpus(*config, observer);
            if (const int signal = g_stop_signal.load()) {
                if (!reported)
                    std::cerr << "indexer: stopped by " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
                              << " while watching; everything is committed\n";
                std::cout.flush();
                std::signal(signal, SIG_DFL);
                std::raise(signal);
                return 128 + signal;
            }
        }
        if (const int signal = g_stop_signal.load()) {
            report_stop(signal, summary);
            std::cout.flush();
            std::signal(signal, SIG_DFL);
            std::raise(signal);
            return 128 + signal;  // only if the signal is blocked: the shell's number for it
        }
        return summary.clean() ? cite::exit_ok : cite::exit_error;
    } catch (const cite::UsageError& e) {
        std::cerr << "indexer: " << printable(e.what()) << "\nTry 'indexer --help'.\n";
    } catch (const std::exception& e) {  // cite::Error and std errors
        std::cerr << "indexer: " << printable(e.what()) << '\n';
    } catch (const Xapian::Error& e) {  // not a std::exception; should have been translated
        std::cerr << "indexer: " << printable(e.get_description()) << '\n';
    }
    return cite::exit_error;
}
