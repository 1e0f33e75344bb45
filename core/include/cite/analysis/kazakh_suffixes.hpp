#pragma once
// A light suffix rule for Kazakh (docs/languages.md, "Kazakh words"): Xapian has no Kazakh
// stemmer, and Kazakh names and nouns take case endings (Қазақстанның, Қазақстанда). The rule
// strips the plural, possessive and case endings a noun takes, measured on the ru-kk corpus
// before it was kept (tests/bench/kazakh_suffix_eval.py).

#include <string>
#include <string_view>

namespace cite::analysis {

/// The stem of a normalised (lower-case) Kazakh word: case, possessive and plural endings
/// stripped, longest first, again and again, while at least min_kazakh_stem letters remain
/// (қаласында → қаласы → қала; Қазақстанның → қазақстан). A word with no such ending is its
/// own stem. Valid UTF-8 in and out.
[[nodiscard]] std::string kazakh_stem(std::string_view word);

/// Letters a stem keeps at least: "елдің" (of the country) stays whole rather than "ел".
inline constexpr std::size_t min_kazakh_stem = 4;

}  // namespace cite::analysis
