#pragma once
// British and American spellings of one word family (colour, coloured / color, colored), so
// that the analyzer gives both one stem. Only stems: the unstemmed (phrase) terms keep the
// spelling the text has. The table comes from SCOWL's word lists (scripts/spelling-variants).

#include <optional>
#include <span>
#include <string_view>

namespace cite::analysis {

/// A Snowball English stem of British spelling and the stem of the American spelling.
struct SpellingVariant {
    std::string_view british;
    std::string_view american;
};

/// The American stem for the stem of a British-spelt word ("colour" -> "color",
/// "haematopoiet" -> "hematopoiet", "randomis" -> "random"), or nullopt when `stem` has none.
/// No American stem is itself a British one, and no stem of a word spelt the American (or
/// the common) way is in the table, so American text keeps its stems; common words that are
/// British spellings themselves ("analyses", the noun, is also the British verb) aside.
[[nodiscard]] std::optional<std::string_view> american_stem(std::string_view stem);

/// The whole table american_stem() reads, sorted by the British stem (bytewise).
[[nodiscard]] std::span<const SpellingVariant> spelling_variants();

}  // namespace cite::analysis
