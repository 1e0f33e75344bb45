#pragma once
// Transliteration keys (docs/languages.md): one Latin skeleton per name, whatever the
// script or romanisation it is written in, so that Tokayev, Tokaev, Toqaev, Токаев and
// Тоқаев meet. Indexed beside capitalised words at their positions.

#include <string>
#include <string_view>
#include <vector>

namespace cite::analysis {

/// The key of one normalised term (lower case, as the analyzer gives it): Cyrillic is
/// romanised by ICU's Kazakh-Latin/BGN when the word has a Kazakh-only letter, else by
/// Russian-Latin/BGN; then marks are dropped and the result folded to a skeleton: q = k,
/// kh = k, gh = g, zh = j, a y or i after a vowel dropped, other y = i, doubled letters
/// single. "" for a term that is not all letters of one script (Latin or Cyrillic), or
/// shorter than 3 letters. Thread-safe.
[[nodiscard]] std::string transliteration_key(std::string_view term);

/// The keys a word is indexed and searched under: the key of its term, and for a Cyrillic
/// word also the key of its stem when that differs, so "Токаева" meets "Tokayev". Unique,
/// non-empty.
[[nodiscard]] std::vector<std::string> transliteration_keys(std::string_view term, std::string_view stem);

/// The skeleton fold alone, of lower-case ASCII letters.
[[nodiscard]] std::string latin_skeleton(std::string_view letters);

}  // namespace cite::analysis
