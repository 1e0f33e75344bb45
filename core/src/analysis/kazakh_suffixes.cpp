#include "cite/analysis/kazakh_suffixes.hpp"

#include <string_view>

namespace cite::analysis {
namespace {

// Endings of Kazakh nouns, each in its vowel-harmony and consonant variants: case (genitive,
// dative, accusative, locative, ablative, instrumental, the locative adjective -дағы), the
// possessive, the plural. Single vowels (dative -а/-е) are left out: too many stems end in them.
constexpr std::string_view endings[] = {
    // case
    "ның", "нің", "дың", "дің", "тың", "тің",
    "ға", "ге", "қа", "ке", "на", "не",
    "ны", "ні", "ды", "ді", "ты", "ті",
    "нда", "нде", "да", "де", "та", "те",
    "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі",
    "нан", "нен", "дан", "ден", "тан", "тен",
    "мен", "бен", "пен",
    // possessive
    "ымыз", "іміз", "мыз", "міз", "сы", "сі", "ы", "і",
    // plural
    "лар", "лер", "дар", "дер", "тар", "тер",
    // possessive and case together: the -н- between them (қала-сы-н-да)
    "сында", "сінде", "ында", "інде", "сынан", "сінен", "ынан", "інен", "сына", "сіне", "ына", "іне",
};

// Letters (code points) in UTF-8 text; every Cyrillic letter is two bytes, other letters 1-4.
std::size_t letters(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace

std::string kazakh_stem(std::string_view word) {
    std::string_view stem = word;
    for (bool stripped = true; stripped;) {
        stripped = false;
        std::string_view longest;
        for (const std::string_view e : endings)
            if (e.size() > longest.size() && stem.size() > e.size() && stem.ends_with(e) &&
                letters(stem.substr(0, stem.size() - e.size())) >= min_kazakh_stem)
                longest = e;
        if (!longest.empty()) {
            stem.remove_suffix(longest.size());
            stripped = true;
        }
    }
    return std::string(stem);
}

}  // namespace cite::analysis
