#pragma once
// searcher's command line: argv -> SearchConfig.

#include "cite/output/result_sink.hpp"
#include "cite/search/search_service.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace searcher {

enum class ColorMode { Auto, Always, Never };

struct SearchConfig {
    std::vector<std::string> dbs;  ///< searched as one (shards)
    bool allow_partial = false;
    cite::search::SearchRequest request;
    cite::output::Format format = cite::output::Format::Text;
    ColorMode color = ColorMode::Auto;
    bool explain = false;    ///< print the parsed query instead of searching
    std::string batch_file;  ///< queries to run one after another (--batch)
    std::string bibliography;  ///< --format pandoc: the CSL-JSON file written beside the Markdown
};

/// --sort ORDER (relevance, date, date-asc); also the web API's `sort=`. Throws cite::UsageError.
cite::rank::Order parse_sort(const std::string& sort);

/// The checked configuration, or nullopt when --help or --version was printed to `out`.
/// Throws cite::UsageError.
std::optional<SearchConfig> parse_options(int argc, const char* const* argv, std::ostream& out);

/// The subcommands: `searcher quote|check|facts|report|copies [OPTIONS] ARG...`.
enum class Subcommand { Quote, Check, Facts, Report, Copies };

/// The subcommand named by `word`, if it is one.
std::optional<Subcommand> subcommand_named(std::string_view word);

struct SubcommandConfig {
    Subcommand command = Subcommand::Quote;
    std::vector<std::string> dbs;  ///< searched as one (shards)
    bool allow_partial = false;
    std::string argument;  ///< the quote, claim, query, or claims file: the words joined by spaces
    cite::output::Format format = cite::output::Format::Text;
    ColorMode color = ColorMode::Auto;
    bool case_sensitive = false;  ///< quote only
    std::string bibliography;     ///< check, report --format pandoc: as SearchConfig::bibliography
    cite::evidence::FactOptions facts;  ///< facts only: --limit, --unit
    bool all_groups = false;      ///< copies only: every group, no argument
};

/// Like parse_options, for a subcommand (argv[0] is its name).
std::optional<SubcommandConfig> parse_subcommand_options(Subcommand command, int argc, const char* const* argv,
                                                         std::ostream& out);

}  // namespace searcher
