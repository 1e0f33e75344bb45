#pragma once
// Which script and language a passage is written in (docs/languages.md): stored with each
// passage as a boolean term, filtered by `lang:ru`, shown in results, and what decides
// whether queries reach across scripts.

#include <string>
#include <string_view>

namespace cite::analysis {

/// The script most of a text's letters are in: "Latn", "Cyrl", "Other" (ISO 15924 codes
/// where there is one), or "" for a text without letters.
[[nodiscard]] std::string dominant_script(std::string_view text);

/// A Cyrillic letter only Kazakh uses among the languages indexed here (ә ғ қ ң ө ұ ү һ і).
[[nodiscard]] bool is_kazakh_letter(char32_t c);

/// The language of a passage as an ISO 639-1 code ("en", "ru", "kk", "de", ...), or "und"
/// when it cannot be told (no letters, or a script other than Latin and Cyrillic).
/// - Cyrillic with at least 2% Kazakh-only letters is Kazakh: real Kazakh runs at 3-29%, a
///   Russian text naming Тоқаев under 1%.
/// - Otherwise text of 100 letters or more is compared with libexttextcat's n-gram models of
///   the languages of that script; shorter text (a heading, a name) is the script's default,
///   Russian for Cyrillic and English for Latin, since n-grams of a few words guess wildly.
/// Deterministic for a given text; thread-safe.
[[nodiscard]] std::string identify_language(std::string_view text);

}  // namespace cite::analysis
