#pragma once
// searcher's command line: argv -> SearchConfig.

#include "cite/output/result_sink.hpp"
#include "cite/search/search_service.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace searcher {

enum class ColorMode { Auto, Always, Never };

struct SearchConfig {
    std::string db;
    cite::search::SearchRequest request;
    cite::output::Format format = cite::output::Format::Text;
    ColorMode color = ColorMode::Auto;
    bool explain = false;    ///< print the parsed query instead of searching
    std::string batch_file;  ///< queries to run one after another (--batch)
};

/// The checked configuration, or nullopt when --help or --version was printed to `out`.
/// Throws cite::UsageError.
std::optional<SearchConfig> parse_options(int argc, const char* const* argv, std::ostream& out);

/// `searcher quote [OPTIONS] TEXT...`
struct QuoteConfig {
    std::string db;
    std::string quote;
    cite::output::Format format = cite::output::Format::Text;
    ColorMode color = ColorMode::Auto;
    bool case_sensitive = false;
};

/// Like parse_options, for the quote subcommand (argv[0] is "quote").
std::optional<QuoteConfig> parse_quote_options(int argc, const char* const* argv, std::ostream& out);

}  // namespace searcher
