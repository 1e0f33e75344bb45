#pragma once
// Checking a claim's figures against the corpus (`searcher check`, `searcher report`) and
// listing the figures passages state (`searcher facts`). Evidence retrieval with numeric
// comparison, not a language model: a verdict says what the retrieved passages state.

#include "cite/analysis/quantity.hpp"
#include "cite/evidence/evidence.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cite::evidence {

/// A figure as it stands in some text.
struct StatedQuantity {
    analysis::Quantity quantity;  ///< bytes are file offsets for passage figures, claim offsets for claimed ones
    std::string text;             ///< as written ("$31 billion", "six million tons")
    std::uint32_t line = 0;       ///< 1-based line in the file (passage figures; 0 for JSONL and claims)
};

enum class QuantityStatus {
    Matched,  ///< the passage states the same value for the same measure (figure_compare.hpp)
    Differs,  ///< the passage states another value for that measure, among the claim's words
    Absent,   ///< the passage states nothing comparable
};

[[nodiscard]] const char* to_string(QuantityStatus status);

struct QuantityComparison {
    StatedQuantity claimed;
    QuantityStatus status = QuantityStatus::Absent;
    std::optional<StatedQuantity> found;  ///< the passage's figure (Matched, Differs)
};

/// One retrieved passage and how its figures compare with the claim's.
struct ClaimEvidence {
    CitedHit hit;                         ///< citation; evidence = sentences with the compared figures
    std::vector<QuantityComparison> quantities;  ///< one per claimed figure, in claim order
    double word_coverage = 0;             ///< share of the claim's content words (stems) in the passage
    bool supports = false;                ///< every figure matched and enough of the words
    /// The claim's words (as the claim writes them) found in the passage or its article, which
    /// anchor it to the claim's subject: names first.
    std::vector<std::string> anchors;
};

enum class ClaimVerdict {
    Supported,     ///< a passage states every figure of the claim and enough of its words
    Contradicted,  ///< the best passages on the claim's words state other values
    NotFound,      ///< the corpus does not address the claim
};

/// Why a claim is "not found".
enum class NotFoundReason {
    None,         ///< the verdict is not "not found"
    NoSubject,    ///< no passage is about the claim's subject (its names and key words)
    NoMeasure,    ///< passages are about the subject but state no figure for this measure and time
};

[[nodiscard]] const char* to_string(NotFoundReason reason);

[[nodiscard]] const char* to_string(ClaimVerdict verdict);

struct ClaimCheck {
    std::string claim;
    ClaimVerdict verdict = ClaimVerdict::NotFound;
    NotFoundReason reason = NotFoundReason::None;
    /// For NoSubject: the claim's names the corpus never mentions ("Tesla"), if any.
    std::vector<std::string> unknown_names;
    std::vector<StatedQuantity> quantities;  ///< the figures read from the claim
    /// The passages examined that bear on the claim: supporting ones first, then those with
    /// differing figures, then the rest by score. Empty when nothing bears on it. Never a
    /// passage of a Stale or Missing file: those neither support nor contradict.
    std::vector<ClaimEvidence> evidence;
    /// Supporting passages, all of them (`evidence` keeps the best few): the documents they
    /// stand in, and how many independent sources those are: copies of one story, and a
    /// paragraph quoted word for word in another, count once (docs/duplicates.md).
    std::size_t supporting_documents = 0;
    std::size_t independent_sources = 0;
    /// Files with passages that bore on the claim but were left out of the verdict because the
    /// file changed or is gone.
    std::vector<LeftOutSource> left_out;
};

/// One figure stated in a passage (`searcher facts`).
struct Fact {
    StatedQuantity stated;
    CitedHit hit;  ///< citation; evidence = the sentence with the figure highlighted
    /// Independent sources in the table stating this value in this unit: copies of one story,
    /// and a paragraph quoted word for word in another, count once (docs/duplicates.md).
    std::size_t independent_sources = 0;
};

/// What `searcher facts` lists.
struct FactOptions {
    std::size_t limit = 0;           ///< at most this many figures, in corpus order; 0: all
    /// Only figures in these units ("usd", "percent", "year", "count" for bare counts, "money"
    /// for any currency); empty: all.
    std::vector<std::string> units;
};

/// True when `unit` (a Quantity's unit) is one of `wanted` (FactOptions::units).
[[nodiscard]] bool unit_wanted(const std::string& unit, const std::vector<std::string>& wanted);

/// Facts grouped by unit ("usd", "ton", "percent", "year", "" for counts), units in first-seen
/// order, facts in corpus order.
struct FactTable {
    std::string query;
    std::vector<std::pair<std::string, std::vector<Fact>>> by_unit;
    std::size_t passages = 0;  ///< passages matching the query, those left out not counted
    std::size_t figures = 0;   ///< figures stated in them (in the units asked for), before any limit
    bool truncated = false;    ///< the limit left some figures out
    /// Files with passages matching the query whose figures were left out because the file
    /// changed or is gone: what the index holds of them is not what they state now.
    std::vector<LeftOutSource> left_out;
};

}  // namespace cite::evidence
