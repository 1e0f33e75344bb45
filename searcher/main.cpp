// searcher: argv -> SearchConfig -> cite::search::SearchService -> sink -> exit code.

#include "options.hpp"

#include "cite/error.hpp"
#include "cite/output/quote_report.hpp"
#include "cite/search/query_file.hpp"

#include <xapian.h>

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace {

bool use_color(searcher::ColorMode mode) {
    if (mode != searcher::ColorMode::Auto) return mode == searcher::ColorMode::Always;
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr && term != nullptr &&
           std::string(term) != "dumb";
}

// Points at the fault: the query again, and a caret under the character at `position`.
void print_query_error(const std::string& query, const cite::QueryError& e) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < e.position() && i < query.size(); ++i)
        if ((static_cast<unsigned char>(query[i]) & 0xC0U) != 0x80U) ++column;
    std::cerr << "searcher: query error at character " << column + 1 << ": " << e.what() << '\n'
              << "  " << query << '\n'
              << "  " << std::string(column, ' ') << "^\n";
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
            std::cerr << "searcher: query " << q.id << ": " << e.what() << " (byte " << e.position() << ")\n";
            any_error = true;
        }
    }
    return any_error ? cite::exit_error : any_result ? cite::exit_ok : cite::exit_no_match;
}

}  // namespace

// `searcher quote ...`: verify a quotation.
int run_quote(int argc, char** argv) {
    auto config = searcher::parse_quote_options(argc, argv, std::cout);
    if (!config) return cite::exit_ok;
    cite::search::SearchService service(config->db);
    cite::evidence::QuoteCheck check;
    try {
        check = service.verify_quote(config->quote, config->case_sensitive);
    } catch (const cite::QueryError& e) {
        print_query_error(config->quote, e);
        return cite::exit_error;
    }
    cite::output::write_quote_check(config->format, std::cout, check, {use_color(config->color)});
    const bool found = check.verdict == cite::evidence::QuoteVerdict::Exact ||
                       check.verdict == cite::evidence::QuoteVerdict::Typographic;
    return found ? cite::exit_ok : cite::exit_no_match;
}

int main(int argc, char** argv) {
    std::string query;
    try {
        if (argc > 1 && std::string(argv[1]) == "quote") return run_quote(argc - 1, argv + 1);
        auto config = searcher::parse_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        query = config->request.query;
        cite::search::SearchService service(config->db);
        if (config->explain) {
            std::cout << service.explain(query) << '\n';
            return cite::exit_ok;
        }
        auto sink = cite::output::make_sink(config->format, std::cout, {use_color(config->color)});
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
