// searcher: argv -> SearchConfig -> cite::search::SearchService -> sink -> exit code.

#include "options.hpp"
#include "serve/server.hpp"

#include "cite/error.hpp"
#include "cite/output/fact_report.hpp"
#include "cite/output/quote_report.hpp"
#include "cite/search/citation_keys.hpp"
#include "cite/search/claims_file.hpp"
#include "cite/search/query_file.hpp"

#include <xapian.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string_view>
#include <vector>

namespace {

bool use_color(searcher::ColorMode mode) {
    if (mode != searcher::ColorMode::Auto) return mode == searcher::ColorMode::Always;
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr && term != nullptr &&
           std::string(term) != "dumb";
}

// Points at the fault: the query again, and a caret under the character at `position`.
// `id`: the query's id in a --batch file, if any.
void print_query_error(const std::string& query, const cite::QueryError& e, const std::string& id = {}) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < e.position() && i < query.size(); ++i)
        if ((static_cast<unsigned char>(query[i]) & 0xC0U) != 0x80U) ++column;
    std::cerr << "searcher: " << (id.empty() ? "" : "query " + id + ": ") << "query error at character " << column + 1
              << ": " << e.what() << '\n'
              << "  " << query << '\n'
              << "  " << std::string(column, ' ') << "^\n";
}

// --allow-partial: each shard left out is named on stderr when the databases are opened, and
// the run ends with a summary line there too, whatever the format, so partial results are
// never silent (text and JSON output also say it in-band).
class PartialResultsNotice {
  public:
    explicit PartialResultsNotice(const cite::search::SearchService& service) : m_service(service) {
        for (const cite::index::MissingShard& shard : service.missing())
            std::cerr << "searcher: warning: " << shard.reason << "; searching the other shards\n";
    }
    ~PartialResultsNotice() {
        const auto missing = m_service.missing_shards();
        if (missing.empty()) return;
        std::cout.flush();
        std::cerr << "searcher: partial results: " << missing.size() << " shard" << (missing.size() == 1 ? "" : "s")
                  << " could not be searched:";
        for (const std::string& name : missing) std::cerr << ' ' << name;
        std::cerr << '\n';
    }
    PartialResultsNotice(const PartialResultsNotice&) = delete;
    PartialResultsNotice& operator=(const PartialResultsNotice&) = delete;

  private:
    const cite::search::SearchService& m_service;
};

// quote, check, facts, report: each file left out because it changed or is gone since it was
// indexed is named on stderr, whatever the format (json, jsonl and markdown also say it
// in-band), so a verdict or a table of figures never silently ignores part of the corpus.
void print_left_out(const std::vector<cite::evidence::LeftOutSource>& left_out, std::string_view what) {
    if (left_out.empty()) return;
    std::cout.flush();
    for (const cite::evidence::LeftOutSource& l : left_out)
        std::cerr << "searcher: " << l.source << ' ' << cite::evidence::left_out_reason(l.status) << ": left out of "
                  << what << "; re-run the indexer to include it\n";
}

// What the sinks are given: colour, and for the citation formats the corpus's citation keys
// (read from the index once) and the bibliography file.
cite::output::SinkOptions sink_options(cite::output::Format format, searcher::ColorMode color,
                                       const cite::search::SearchService& service, const std::string& bibliography) {
    cite::output::SinkOptions options{use_color(color), nullptr, bibliography};
    if (format == cite::output::Format::Pandoc || cite::output::is_bibliography_format(format))
        options.keys = cite::search::corpus_citation_keys(service.reader());
    return options;
}

bool found_something(const cite::output::SearchStats& stats) {
    return stats.mentions ? stats.mentions->total > 0 : stats.results > 0;
}

// Runs every query of the batch file; a bad query is reported and the rest still run.
int run_batch(const searcher::SearchConfig& config, cite::search::SearchService& service,
              cite::output::ResultSink& sink) {
    bool any_result = false;
    bool any_error = false;
    for (const auto& q : cite::search::read_query_file(config.batch_file)) {
        auto request = config.request;
        request.id = q.id;
        request.query = q.text;
        try {
            any_result = found_something(service.run(request, sink)) || any_result;
        } catch (const cite::QueryError& e) {
            print_query_error(q.text, e, q.id);
            any_error = true;
        }
    }
    return any_error ? cite::exit_error : any_result ? cite::exit_ok : cite::exit_no_match;
}

}  // namespace

// `searcher quote|check|facts|report|copies ...`
int run_subcommand(searcher::Subcommand command, int argc, char** argv) {
    using searcher::Subcommand;
    std::optional<searcher::SubcommandConfig> config;
    try {
        config = searcher::parse_subcommand_options(command, argc, argv, std::cout);
    } catch (const cite::UsageError& e) {
        std::cerr << "searcher: " << e.what() << "\nTry 'searcher " << argv[0] << " --help'.\n";
        return cite::exit_error;
    }
    if (!config) return cite::exit_ok;
    cite::search::SearchService service(config->dbs, {config->allow_partial});
    const PartialResultsNotice notice(service);
    const auto options = sink_options(config->format, config->color, service, config->bibliography);
    try {
        switch (command) {
        case Subcommand::Quote: {
            const auto check = service.verify_quote(config->argument, config->case_sensitive);
            cite::output::write_quote_check(config->format, std::cout, check, options);
            print_left_out(check.left_out, "the verdict");
            const bool found = check.verdict == cite::evidence::QuoteVerdict::Exact ||
                               check.verdict == cite::evidence::QuoteVerdict::Typographic;
            return found ? cite::exit_ok : cite::exit_no_match;
        }
        case Subcommand::Check: {
            const auto check = service.check_claim(config->argument);
            cite::output::write_claim_checks(config->format, std::cout, {check}, options);
            print_left_out(check.left_out, "the verdict");
            return check.verdict == cite::evidence::ClaimVerdict::Supported ? cite::exit_ok : cite::exit_no_match;
        }
        case Subcommand::Facts: {
            const auto table = service.list_facts(config->argument, config->facts);
            cite::output::write_fact_table(config->format, std::cout, table, options);
            print_left_out(table.left_out, "the figures");
            return table.by_unit.empty() ? cite::exit_no_match : cite::exit_ok;
        }
        case Subcommand::Report: {
            std::vector<cite::evidence::ClaimCheck> checks;
            for (const auto& claim : cite::search::read_claims_file(config->argument)) {
                try {
                    checks.push_back(service.check_claim(claim.text));
                } catch (const cite::QueryError& e) {
                    // The position within the claim on its line, not within the file's name.
                    print_query_error(claim.text, e, "'" + config->argument + "' line " + std::to_string(claim.line));
                    return cite::exit_error;
                }
            }
            cite::output::write_claim_checks(config->format, std::cout, checks, options);
            std::vector<cite::evidence::LeftOutSource> left_out;
            for (const auto& check : checks)
                for (const auto& l : check.left_out) cite::evidence::note_left_out(left_out, l.source, l.status);
            print_left_out(left_out, "the verdicts");
            return cite::exit_ok;
        }
        case Subcommand::Copies: {
            const auto report =
                service.copies(config->all_groups ? std::nullopt : std::optional<std::string>(config->argument));
            cite::output::write_copies_report(config->format, std::cout, report);
            return report.groups.empty() && report.shared.empty() ? cite::exit_no_match : cite::exit_ok;
        }
        }
    } catch (const cite::QueryError& e) {
        print_query_error(config->argument, e);
        return cite::exit_error;
    }
    return cite::exit_error;
}

// `searcher serve ...`: the HTTP API and web page (docs/serve.md).
int run_serve(int argc, char** argv) {
    try {
        const auto config = searcher::serve::parse_serve_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        return searcher::serve::run_server(*config);
    } catch (const cite::UsageError& e) {
        std::cerr << "searcher: " << e.what() << "\nTry 'searcher serve --help'.\n";
    } catch (const std::exception& e) {
        std::cerr << "searcher: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "searcher: " << e.get_description() << '\n';
    }
    return cite::exit_error;
}

int main(int argc, char** argv) {
    std::string query;
    try {
        if (argc > 1 && std::string_view(argv[1]) == "serve") return run_serve(argc - 1, argv + 1);
        if (argc > 1)
            if (const auto command = searcher::subcommand_named(argv[1])) return run_subcommand(*command, argc - 1, argv + 1);
        auto config = searcher::parse_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        query = config->request.query;
        cite::search::SearchService service(config->dbs, {config->allow_partial});
        const PartialResultsNotice notice(service);
        if (config->explain) {
            std::cout << service.explain(config->request) << '\n';
            return cite::exit_ok;
        }
        auto sink = cite::output::make_sink(config->format, std::cout,
                                            sink_options(config->format, config->color, service, config->bibliography));
        if (!config->batch_file.empty()) return run_batch(*config, service, *sink);
        const auto stats = service.run(config->request, *sink);
        std::cout.flush();
        return found_something(stats) ? cite::exit_ok : cite::exit_no_match;
    } catch (const cite::UsageError& e) {
        std::cerr << "searcher: " << e.what() << "\nTry 'searcher --help'.\n";
    } catch (const cite::QueryError& e) {
        print_query_error(query, e);
    } catch (const std::exception& e) {  // cite::Error and std errors
        std::cerr << "searcher: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {  // not a std::exception; should have been translated
        std::cerr << "searcher: " << e.get_description() << '\n';
    }
    return cite::exit_error;
}
