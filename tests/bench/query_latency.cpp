// query_latency: in-process query latency of cite::search::SearchService, for scripts/bench.
// Opens the databases once, runs every query of a file once to warm the caches, then times
// each query again (wall time, std::chrono::steady_clock) and prints p50/p95/p99/mean in ms
// and queries per second. What is timed is what a searcher user waits for after the index is
// open: parse, rank, fetch the page, build the quotes (evidence) and render it (text format,
// into a stream that discards it). Process start and opening the index are not timed.
//
//   query_latency [--db PATH]... [--literal] [--no-collapse] [--mode ranked|count] [--ranking all-first|score]
//                 [--weighting ineb2|bm25] [--limit N] [--format FMT|none] [--no-evidence]
//                 [--repeat N] [--json] QUERIES
//
// --weighting: the model, with its tuned title weight (rank::RankOptions::for_weighting).
//
// QUERIES: one query per line, or `ID<TAB>QUERY` lines; a `.jsonl` file of {"_id", "text"}
// (BEIR queries) as `searcher --batch` reads it. A query that fails to parse is reported on
// stderr and left out of the figures. Exit status: 0, or 2 on a usage error or failure.

#include "cite/error.hpp"
#include "cite/output/result_sink.hpp"
#include "cite/search/query_file.hpp"
#include "cite/search/search_service.hpp"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <numeric>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view usage =
    "usage: query_latency [--db PATH]... [--literal] [--no-collapse] [--mode ranked|count]\n"
    "                     [--ranking all-first|score]\n"
    "                     [--weighting ineb2|bm25] [--limit N] [--format FMT|none] [--no-evidence]\n"
    "                     [--repeat N] [--json] QUERIES\n";

struct Options {
    std::vector<std::string> dbs;
    std::string queries;
    bool literal = false;
    bool collapse = true;  ///< copies of one story as one result (searcher --no-collapse: false)
    cite::search::SearchMode mode = cite::search::SearchMode::Ranked;
    bool all_words_first = true;
    cite::rank::Weighting weighting = cite::rank::Weighting::IneB2;  ///< with its tuned title weight
    std::size_t limit = 10;
    std::string format = "text";  ///< a searcher --format, or "none": hits are only counted
    bool evidence = true;
    std::size_t repeat = 1;  ///< timed passes; every pass contributes one sample per query
    bool json = false;
};

std::size_t parse_count(const std::string& flag, const std::string& value) {
    std::size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || n == 0) throw cite::UsageError(flag + " needs a positive number, not '" + value + "'");
    return n;
}

Options parse_options(int argc, char** argv) {
    Options o;
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 == args.size()) throw cite::UsageError(a + " needs a value");
            return args[++i];
        };
        if (a == "--db") {
            o.dbs.push_back(value());
        } else if (a == "--literal") {
            o.literal = true;
        } else if (a == "--no-collapse") {
            o.collapse = false;
        } else if (a == "--mode") {
            const std::string& m = value();
            if (m != "ranked" && m != "count") throw cite::UsageError("--mode is ranked or count");
            o.mode = m == "count" ? cite::search::SearchMode::Count : cite::search::SearchMode::Ranked;
        } else if (a == "--ranking") {
            const std::string& r = value();
            if (r != "all-first" && r != "score") throw cite::UsageError("--ranking is all-first or score");
            o.all_words_first = r == "all-first";
        } else if (a == "--weighting") {
            const std::string& w = value();
            if (w != "ineb2" && w != "bm25") throw cite::UsageError("--weighting is ineb2 or bm25");
            o.weighting = w == "bm25" ? cite::rank::Weighting::Bm25 : cite::rank::Weighting::IneB2;
        } else if (a == "--limit") {
            o.limit = parse_count(a, value());
        } else if (a == "--format") {
            o.format = value();
            if (o.format != "none" && !cite::output::parse_format(o.format))
                throw cite::UsageError("unknown --format '" + o.format + "'");
        } else if (a == "--no-evidence") {
            o.evidence = false;
        } else if (a == "--repeat") {
            o.repeat = parse_count(a, value());
        } else if (a == "--json") {
            o.json = true;
        } else if (a.starts_with("-") && a != "-") {
            throw cite::UsageError("unknown option '" + a + "'");
        } else if (o.queries.empty()) {
            o.queries = a;
        } else {
            throw cite::UsageError("one query file only");
        }
    }
    if (o.queries.empty()) throw cite::UsageError("no query file given");
    if (o.dbs.empty()) o.dbs.emplace_back("index.db");
    return o;
}

// One query per line, or ID<TAB>QUERY; .jsonl files as searcher --batch reads them.
std::vector<cite::search::NamedQuery> read_queries(const std::string& file) {
    if (file.ends_with(".jsonl")) return cite::search::read_query_file(file);
    std::ifstream in(file);
    if (!in) throw cite::UsageError("cannot read the query file '" + file + "'");
    std::vector<cite::search::NamedQuery> out;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos)
            out.push_back({std::to_string(out.size() + 1), line});
        else
            out.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return out;
}

// Swallows everything written to it: rendering is timed, printing to a terminal is not.
class DiscardBuffer : public std::streambuf {
  protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char* /*s*/, std::streamsize n) override { return n; }
};

// Passes everything on to `inner` (nullptr: drops it), and says whether quotes are wanted.
class ProbeSink : public cite::output::ResultSink {
  public:
    ProbeSink(std::unique_ptr<cite::output::ResultSink> inner, bool evidence)
        : m_inner(std::move(inner)), m_evidence(evidence) {}
    void begin(const cite::output::QueryInfo& query) override {
        if (m_inner) m_inner->begin(query);
    }
    void hit(const cite::evidence::CitedHit& hit) override {
        if (m_inner) m_inner->hit(hit);
    }
    void end(const cite::output::SearchStats& stats) override {
        if (m_inner) m_inner->end(stats);
    }
    [[nodiscard]] bool wants_evidence() const override {
        return m_evidence && (!m_inner || m_inner->wants_evidence());
    }

  private:
    std::unique_ptr<cite::output::ResultSink> m_inner;
    bool m_evidence;
};

struct Sample {
    std::string id;
    double ms = 0;
    std::size_t results = 0;
    std::size_t matches = 0;   ///< matching passages
    std::size_t mentions = 0;  ///< count mode: every occurrence
};

// Nearest-rank percentile of sorted values (p in (0, 1]).
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    // The epsilon keeps 0.95 * 100 from rounding up to rank 96.
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()) - 1e-9));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

int run(const Options& o) {
    const auto queries = read_queries(o.queries);
    if (queries.empty()) throw cite::UsageError("the query file '" + o.queries + "' has no queries");

    cite::search::SearchService service(o.dbs, {});
    DiscardBuffer discard;
    std::ostream null_out(&discard);
    ProbeSink sink(o.format == "none" ? nullptr : cite::output::make_sink(*cite::output::parse_format(o.format), null_out, {}),
                   o.evidence);

    cite::search::SearchRequest base;
    base.literal = o.literal;
    base.collapse_copies = o.collapse;
    base.limit = o.limit;
    base.mode = o.mode;
    base.ranking = cite::rank::RankOptions::for_weighting(o.weighting);
    base.ranking.all_words_first = o.all_words_first;

    std::vector<Sample> samples;
    std::size_t errors = 0;
    // Pass 0 warms the caches (index blocks, file hashes for freshness) and is not recorded.
    for (std::size_t pass = 0; pass <= o.repeat; ++pass) {
        for (const auto& q : queries) {
            auto request = base;
            request.id = q.id;
            request.query = q.text;
            try {
                const auto start = std::chrono::steady_clock::now();
                const auto stats = service.run(request, sink);
                const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
                if (pass > 0)
                    samples.push_back({q.id, took.count(), stats.results, stats.total_matches,
                                       stats.mentions ? stats.mentions->total : 0});
            } catch (const cite::QueryError& e) {
                if (pass == 0) {
                    std::cerr << "query_latency: query " << q.id << ": " << e.what() << " (byte " << e.position() << ")\n";
                    ++errors;
                }
            }
        }
    }

    std::vector<double> ms;
    ms.reserve(samples.size());
    for (const Sample& s : samples) ms.push_back(s.ms);
    std::sort(ms.begin(), ms.end());
    const double total_ms = std::accumulate(ms.begin(), ms.end(), 0.0);
    const double mean = ms.empty() ? 0 : total_ms / static_cast<double>(ms.size());
    const double qps = total_ms > 0 ? 1000.0 * static_cast<double>(ms.size()) / total_ms : 0;

    if (o.json) {
        nlohmann::json per_query = nlohmann::json::array();
        for (const Sample& s : samples)
            per_query.push_back({{"id", s.id}, {"ms", s.ms}, {"results", s.results}, {"matches", s.matches},
                                 {"mentions", s.mentions}});
        const nlohmann::json out = {{"queries", queries.size()},
                                    {"errors", errors},
                                    {"samples", ms.size()},
                                    {"p50_ms", percentile(ms, 0.50)},
                                    {"p95_ms", percentile(ms, 0.95)},
                                    {"p99_ms", percentile(ms, 0.99)},
                                    {"mean_ms", mean},
                                    {"max_ms", ms.empty() ? 0.0 : ms.back()},
                                    {"qps", qps},
                                    {"per_query", per_query}};
        std::cout << out.dump() << '\n';
    } else {
        std::cout << std::fixed << std::setprecision(3) << queries.size() << " queries (" << errors << " failed), "
                  << ms.size() << " timed runs after one warm-up pass\n"
                  << "p50 " << percentile(ms, 0.50) << " ms  p95 " << percentile(ms, 0.95) << " ms  p99 "
                  << percentile(ms, 0.99) << " ms  mean " << mean << " ms  max " << (ms.empty() ? 0.0 : ms.back())
                  << " ms  " << std::setprecision(1) << qps << " queries/s\n";
    }
    return errors > 0 ? cite::exit_error : cite::exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (const cite::UsageError& e) {
        std::cerr << "query_latency: " << e.what() << '\n' << usage;
    } catch (const std::exception& e) {
        std::cerr << "query_latency: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "query_latency: " << e.get_description() << '\n';
    }
    return cite::exit_error;
}
