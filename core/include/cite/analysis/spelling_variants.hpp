#pragma once
// British and American spellings of one word (colour / color, tumours / tumors), so that the
// analyzer gives both one stem. Only stems: the unstemmed (phrase) terms keep the spelling
// the text has. The table comes from SCOWL's word lists (scripts/spelling-variants).

#include <span>
#include <string_view>

namespace cite::analysis {

/// One word in its two spellings, lower case.
struct SpellingVariant {
    std::string_view british;
    std::string_view american;
};

/// The American spelling of a lower-case British-spelt word ("haematopoietic" ->
/// "hematopoietic", "randomised" -> "randomized", "programme" -> "program"), or `word`
/// itself when SCOWL gives it no other spelling that Xapian's English stemmer would not
/// already stem alike. An American form is never itself mapped: the mapping is idempotent.
[[nodiscard]] std::string_view american_spelling(std::string_view word);

/// The whole table american_spelling() reads, sorted by the British word (bytewise).
[[nodiscard]] std::span<const SpellingVariant> spelling_variants();

}  // namespace cite::analysis
