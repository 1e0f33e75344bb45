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

/// One matched word or phrase, relative to the passage text.
struct MatchSpan {
    analysis::ByteRange bytes;
    std::uint32_t first_position = 0;  ///< word positions, as the analyzer numbers them
    std::uint32_t last_position = 0;
    std::string alias;  ///< the alias name whose phrase matched; empty outside alias groups
    /// Matched only through a transliteration key (Tokayev found as Токаев), not as typed.
    bool transliterated = false;

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
