#pragma once
// Finds where a parsed query matches inside one passage, with the same rules the Xapian
// query follows: the source of highlights, of evidence sentences, and of NEAR checks.

#include "cite/analysis/analyzer.hpp"
#include "cite/passage/catalog.hpp"
#include "cite/passage/passage.hpp"
#include "cite/query/query_ast.hpp"

#include <optional>
#include <vector>

namespace cite::evidence {

/// How a highlighted word matched the query (docs/searching.md, "How each word matched").
enum class MatchKind {
    Exact,            ///< the passage's words are the query's as typed, byte for byte
    Folded,           ///< the same words once case, diacritics and apostrophes are folded
                      ///< (and a hyphenated word's joined form): "Kazakhstan’s" for kazakhstan
    Stem,             ///< another word of the same stem: "executive" for executed
    Transliteration,  ///< only through a transliteration key: Токаев for Tokayev
    Alias,            ///< a name of an alias group the query named (MatchedAs::alias)
    Figure,           ///< a figure of the query's value and unit (MatchedAs::figure)
};

/// "exact", "folded", "stem", "transliteration", "alias", "figure": the JSON `matched_as`.
[[nodiscard]] const char* to_string(MatchKind kind);

/// A figure as found in the passage: its value (and upper end, for a range) and unit.
struct MatchedFigure {
    double value = 0;
    std::optional<double> value_to;
    std::string unit;  ///< as analysis::Quantity names it ("usd", "percent", "" for a count)
    friend bool operator==(const MatchedFigure&, const MatchedFigure&) = default;
};

/// How one span matched, and what of the query it matched.
struct MatchedAs {
    MatchKind kind = MatchKind::Exact;
    /// The query's words as typed that the span matched (white space collapsed); empty for
    /// figures.
    std::string query_word;
    std::string alias;                    ///< Alias: the name that matched
    std::optional<MatchedFigure> figure;  ///< Figure: the passage's figure
    friend bool operator==(const MatchedAs&, const MatchedAs&) = default;
};

/// One matched word or phrase, relative to the passage text.
struct MatchSpan {
    analysis::ByteRange bytes;
    std::uint32_t first_position = 0;  ///< word positions, as the analyzer numbers them
    std::uint32_t last_position = 0;
    std::string alias;  ///< the alias name whose phrase matched; empty outside alias groups
    /// Matched only through a transliteration key (Tokayev found as Токаев), not as typed.
    bool transliterated = false;
    MatchedAs matched_as = {};

    friend bool operator==(const MatchSpan&, const MatchSpan&) = default;
};

class MatchFinder {
  public:
    explicit MatchFinder(analysis::Analyzer& analyzer) : m_analyzer(analyzer) {}

    /// nullopt when the passage does not satisfy `query`; otherwise the spans of passage
    /// words that match it, sorted by byte offset, one per byte range (empty when only
    /// field or file: conditions matched). Excluded (NOT) words are never spans.
    [[nodiscard]] std::optional<std::vector<MatchSpan>> find(const query::Node& query,
                                                             const passage::Passage& passage,
                                                             const passage::DocumentMeta& meta);

  private:
    analysis::Analyzer& m_analyzer;
};

}  // namespace cite::evidence
