#include "cite/analysis/transliteration.hpp"

#include "icu_check.hpp"

#include "cite/analysis/language.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>
#include <mutex>

namespace cite::analysis {
namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

enum class WordScript { Latin, Russian, Kazakh, Neither };

WordScript word_script(std::string_view term) {
    bool latin = false;
    bool cyrillic = false;
    bool kazakh = false;
    const auto* bytes = reinterpret_cast<const uint8_t*>(term.data());
    const auto length = static_cast<int32_t>(term.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || !u_isalpha(c)) return WordScript::Neither;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (script == USCRIPT_LATIN) latin = true;
        else if (script == USCRIPT_CYRILLIC) {
            cyrillic = true;
            kazakh = kazakh || is_kazakh_letter(static_cast<char32_t>(c));
        } else return WordScript::Neither;
    }
    if (latin == cyrillic) return WordScript::Neither;
    if (latin) return WordScript::Latin;
    return kazakh ? WordScript::Kazakh : WordScript::Russian;
}

// ICU's transliterators are not thread-safe; one pair, used under a lock.
struct Romanisers {
    std::unique_ptr<icu::Transliterator> russian;
    std::unique_ptr<icu::Transliterator> kazakh;
    const icu::Normalizer2* nfd = nullptr;
    std::mutex mutex;

    Romanisers() {
        UErrorCode status = U_ZERO_ERROR;
        russian.reset(icu::Transliterator::createInstance("Russian-Latin/BGN", UTRANS_FORWARD, status));
        check_icu(status, "creating the Russian-Latin/BGN transliterator");
        kazakh.reset(icu::Transliterator::createInstance("Kazakh-Latin/BGN", UTRANS_FORWARD, status));
        check_icu(status, "creating the Kazakh-Latin/BGN transliterator");
        nfd = icu::Normalizer2::getNFDInstance(status);
        check_icu(status, "loading NFD");
    }

    // Lower-case ASCII letters of the romanised word; other characters (marks, primes for
    // the soft and hard signs) dropped.
    std::string romanise(std::string_view term, bool is_kazakh) {
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(term.data(), static_cast<int32_t>(term.size())));
        {
            const std::lock_guard lock(mutex);
            (is_kazakh ? kazakh : russian)->transliterate(text);
        }
        UErrorCode status = U_ZERO_ERROR;
        const icu::UnicodeString decomposed = nfd->normalize(text, status);
        check_icu(status, "NFD normalisation");
        std::string out;
        for (int32_t i = 0; i < decomposed.length(); ++i) {
            const char16_t c = decomposed.charAt(i);
            if (c >= 'a' && c <= 'z') out += static_cast<char>(c);
            else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }
};

Romanisers& romanisers() {
    static Romanisers r;
    return r;
}

}  // namespace

std::string latin_skeleton(std::string_view letters) {
    std::string s;
    s.reserve(letters.size());
    for (std::size_t i = 0; i < letters.size(); ++i) {
        const char c = letters[i];
        const char next = i + 1 < letters.size() ? letters[i + 1] : '\0';
        if (c == 'q') s += 'k';
        else if ((c == 'k' || c == 'g') && next == 'h') {
            s += c;
            ++i;
        } else if (c == 'z' && next == 'h') {
            s += 'j';
            ++i;
        } else if (c == 'w') s += 'v';
        else s += c;
    }
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const bool after_vowel = !out.empty() && is_vowel(out.back());
        if ((c == 'y' || c == 'i') && after_vowel) continue;
        if (c == 'y') c = 'i';
        if (!out.empty() && out.back() == c) continue;
        out += c;
    }
    return out;
}

std::string transliteration_key(std::string_view term) {
    constexpr std::size_t min_letters = 3;
    switch (word_script(term)) {
    case WordScript::Latin: {
        for (char c : term)
            if (c < 'a' || c > 'z') return {};  // the analyzer folded diacritics already
        if (term.size() < min_letters) return {};
        return latin_skeleton(term);
    }
    case WordScript::Russian:
    case WordScript::Kazakh: {
        const std::string letters = romanisers().romanise(term, word_script(term) == WordScript::Kazakh);
        if (letters.size() < min_letters) return {};
        return latin_skeleton(letters);
    }
    case WordScript::Neither: break;
    }
    return {};
}

std::vector<std::string> transliteration_keys(std::string_view term, std::string_view stem) {
    std::vector<std::string> keys;
    if (std::string key = transliteration_key(term); !key.empty()) keys.push_back(std::move(key));
    if (keys.empty() || stem.empty() || stem == term || word_script(term) == WordScript::Latin) return keys;
    if (std::string key = transliteration_key(stem); !key.empty() && key != keys.front()) keys.push_back(std::move(key));
    return keys;
}

}  // namespace cite::analysis
