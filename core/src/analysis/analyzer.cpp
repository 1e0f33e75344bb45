#include "cite/analysis/analyzer.hpp"

#include "icu_check.hpp"

#include "cite/analysis/ascii_word_break.hpp"
#include "cite/analysis/kazakh_suffixes.hpp"
#include "cite/analysis/language.hpp"
#include "cite/analysis/spelling_variants.hpp"
#include "cite/analysis/transliteration.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <cassert>
#include <optional>
#include <cstring>
#include <functional>

namespace cite::analysis {
namespace {

bool is_hyphen(UChar32 c) {
    // HYPHEN-MINUS, HYPHEN, NON-BREAKING HYPHEN: the characters that join compound words.
    // Dashes (– —) separate rather than join, so they are not here.
    return c == 0x2D || c == 0x2010 || c == 0x2011;
}

bool is_apostrophe(UChar32 c) {
    return c == 0x27 || c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0xFF07;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Word segments as this ICU draws them, for checking AsciiWordBreaker against it.
std::vector<WordSegment> icu_word_segments(icu::BreakIterator& words, std::string_view text) {
    std::vector<WordSegment> out;
    UErrorCode status = U_ZERO_ERROR;
    icu::LocalUTextPointer utext(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    check_icu(status, "opening text for word breaking");
    words.setText(utext.getAlias(), status);
    check_icu(status, "setting word break text");
    int32_t start = words.first();
    for (int32_t end = words.next(); end != icu::BreakIterator::DONE; start = end, end = words.next())
        out.push_back({static_cast<std::size_t>(start), static_cast<std::size_t>(end),
                       words.getRuleStatus() >= UBRK_WORD_NONE_LIMIT});
    return out;
}

// "274,200" and "1,234,567.5" lose their thousands separators; "1,5" or "12,34" do not,
// since they are not thousands groupings.
void drop_thousands_separators(std::string& term) {
    std::size_t end = term.find('.');
    if (end == std::string::npos) end = term.size();
    if (term.find(',') == std::string::npos || term.find(',') > end) return;
    std::size_t i = 0;
    while (i < end && is_digit(term[i])) ++i;
    if (i == 0 || i > 3) return;
    while (i < end) {
        if (term[i] != ',' || i + 4 > end) return;
        for (std::size_t k = i + 1; k < i + 4; ++k)
            if (!is_digit(term[k])) return;
        i += 4;
    }
    for (std::size_t k = end + (end < term.size() ? 1 : 0); k < term.size(); ++k)
        if (!is_digit(term[k])) return;
    std::erase(term, ',');
}

void drop_possessive(std::string& term) {
    // Until none is left: dropping one "'s" (or "'") per pass left "s's's's...'" to settle()'s
    // depth limit, which then kept a term that analysed to something else (found by fuzzing).
    for (bool dropped = true; dropped;) {
        // "'S" only in a cased form (Token::cased): "US'S" keeps "US" as "us's" keeps "us".
        dropped = term.size() > 2 && (term.ends_with("'s") || term.ends_with("'S"));
        if (dropped) term.resize(term.size() - 2);
        else if ((dropped = term.size() > 1 && term.back() == '\'')) term.pop_back();
    }
    while (!term.empty() && term.front() == '\'') term.erase(0, 1);
}

// Letters that NFD does not decompose but readers treat as a base letter plus a mark.
const char16_t* fold_special_letter(UChar32 c) {
    switch (c) {
    case 0x00F8: return u"o";   // ø
    case 0x0142: return u"l";   // ł
    case 0x0111: return u"d";   // đ
    case 0x0127: return u"h";   // ħ
    case 0x0131: return u"i";   // dotless ı
    case 0x00E6: return u"ae";  // æ
    case 0x0153: return u"oe";  // œ
    case 0x00F0: return u"d";   // ð
    case 0x00FE: return u"th";  // þ
    default: return nullptr;
    }
}

// A lone Greek letter, as science writes them ("IFN-γ", "NF-κB", "IL-1β", "β-blockers"), is
// spelt out, so that "IFN-gamma" and "NF-kappaB" find them; words written in Greek (two Greek
// letters side by side) stay Greek, though a one-letter Greek word (ο, η) is spelt out too.
// Mu is left alone: "µg", "µM" are units. After case folding, so lower case only.
const char16_t* greek_letter_name(UChar32 c) {
    static constexpr const char16_t* names[] = {
        u"alpha", u"beta",  u"gamma", u"delta", u"epsilon", u"zeta",    u"eta", u"theta", u"iota",
        u"kappa", u"lambda", nullptr, u"nu",    u"xi",      u"omicron", u"pi",  u"rho",   u"sigma",
        u"sigma", u"tau",   u"upsilon", u"phi", u"chi",     u"psi",     u"omega"};
    return c >= 0x03B1 && c <= 0x03C9 ? names[c - 0x03B1] : nullptr;
}

bool starts_upper(std::string_view segment) {
    UChar32 c;
    int32_t i = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(segment.data()), i, static_cast<int32_t>(segment.size()), c);
    return c >= 0 && u_isupper(c);
}

bool is_greek_letter(UChar32 c) { return c >= 0x0370 && c <= 0x03FF && u_isalpha(c); }


// Elision (docs/analysis.md): French, Italian and Catalan write an article, pronoun or
// preposition that ends in a vowel without it before a word that starts with a vowel or h,
// joined by an apostrophe: "l'Assemblée", "d'État", "qu'il", "dell'Unione", "un'altra".
// The forms are a closed list of words that elide; a word that starts with one of them, an
// apostrophe and a vowel or h is two words. Not the passage's language: a query has none, and
// the index and the query must read "l'Assemblée" alike. English words stay whole, since none
// starts so ("don't", "O'Brien", "rock'n'roll", "all's", "I'd"), names of French or Italian
// form aside ("D'Alema", "L'Oréal" are elided too).
constexpr std::string_view elided_forms[] = {
    // French and Catalan
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu",
    // Italian (l', d', c', un' above or here): articulated prepositions and elided adjectives
    "un", "all", "dall", "dell", "nell", "sull", "coll", "pell", "quell", "quest", "bell", "sant", "nessun",
    "buon", "tutt", "anch", "com", "dov", "quand"};

// For a word segment that starts with an elided form: the byte length of that form and where
// the word after its apostrophe begins; nullopt otherwise.
std::optional<std::pair<std::size_t, std::size_t>> elision(std::string_view segment) {
    std::size_t n = 0;
    while (n < segment.size() && n < 6 && ((segment[n] >= 'a' && segment[n] <= 'z') || (segment[n] >= 'A' && segment[n] <= 'Z'))) ++n;
    if (n == 0 || n >= segment.size()) return std::nullopt;
    std::string form(segment.substr(0, n));
    for (char& c : form)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (std::find(std::begin(elided_forms), std::end(elided_forms), form) == std::end(elided_forms)) return std::nullopt;
    const auto* bytes = reinterpret_cast<const uint8_t*>(segment.data());
    const auto length = static_cast<int32_t>(segment.size());
    auto i = static_cast<int32_t>(n);
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (!is_apostrophe(c) || i >= length) return std::nullopt;
    const auto word_begin = static_cast<std::size_t>(i);
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || !u_isalpha(c)) return std::nullopt;
    const std::string letter = fold_letters(segment.substr(word_begin, static_cast<std::size_t>(i) - word_begin));
    if (letter.empty() || std::string_view("aeiouyh").find(letter.front()) == std::string_view::npos) return std::nullopt;
    return std::make_pair(n, word_begin);
}
}  // namespace

struct Analyzer::Impl {
    std::unique_ptr<icu::BreakIterator> words;
    std::unique_ptr<icu::BreakIterator> term_words;  // for settle(), beside the main loop's
    bool ascii_breaker = false;  // AsciiWordBreaker draws this ICU's boundaries
    const icu::Normalizer2* nfkc_casefold = nullptr;
    const icu::Normalizer2* nfkc = nullptr;  // the same without case folding, for cased forms
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    Xapian::Stem stemmer{"english"};
    Xapian::Stem russian_stemmer{"russian"};
    // Snowball stemming was half of the analyzer's time; words repeat (Zipf), so most are
    // stemmed once. Direct-mapped, one cache line per slot: a probe is one memory access,
    // where a node-based map took three, and a collision just replaces the slot. It starts
    // small, so that one searcher call does not pay for pages it never uses, and grows
    // (emptied) while misses keep outnumbering its slots, up to 2 MiB.
    struct alignas(64) StemSlot {
        static constexpr std::size_t capacity = 31;  // longer words are stemmed every time
        unsigned char word_size;
        char word[capacity];
        unsigned char stem_size;
        char stem[capacity];
    };
    static_assert(sizeof(StemSlot) == 64);
    static constexpr std::size_t stem_slots_min = 1 << 10;
    static constexpr std::size_t stem_slots_max = 1 << 15;
    mutable std::vector<StemSlot> stem_cache = std::vector<StemSlot>(stem_slots_min);
    mutable std::size_t stem_misses = 0;

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        check_icu(status, "creating the word break iterator");
        term_words.reset(words->clone());
        if (!term_words) check_icu(U_MEMORY_ALLOCATION_ERROR, "cloning the word break iterator");
        // Where this ICU breaks ASCII otherwise than the table, all text goes through ICU.
        ascii_breaker = ascii_breaker_matches([this](std::string_view text) { return icu_word_segments(*words, text); });
        nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        check_icu(status, "loading NFKC_Casefold");
        nfkc = icu::Normalizer2::getNFKCInstance(status);
        check_icu(status, "loading NFKC");
        nfd = icu::Normalizer2::getNFDInstance(status);
        check_icu(status, "loading NFD");
        nfc = icu::Normalizer2::getNFCInstance(status);
        check_icu(status, "loading NFC");
    }

    // The normalised term for one word segment; may be empty (e.g. a lone apostrophe).
    std::string normalize(std::string_view word) const {
        std::string term;
        if (is_ascii(word)) {
            // Fast path: ASCII needs only lower-casing; NFKC and diacritics cannot apply.
            term.assign(word);
            for (char& c : term)
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        } else {
            term = normalize_unicode(word);
        }
        drop_possessive(term);
        // Dots inside acronyms stay: "U.S." -> "u.s", never the pronoun "us".
        if (!term.empty() && is_digit(term.front())) drop_thousands_separators(term);
        return term;
    }

    // The word with its letter case kept, every other folding as normalize() gives `term`;
    // "" when the word has no capital letter (then it is `term` itself).
    std::string cased(std::string_view word, const std::string& term) const {
        std::string out;
        if (is_ascii(word)) {
            if (std::none_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return {};
            out.assign(word);
        } else {
            bool capital = false;
            const auto* bytes = reinterpret_cast<const uint8_t*>(word.data());
            const auto length = static_cast<int32_t>(word.size());
            for (int32_t i = 0; i < length && !capital;) {
                UChar32 c;
                U8_NEXT(bytes, i, length, c);
                capital = u_isupper(c) || u_istitle(c);
            }
            if (!capital) return {};
            out = normalize_unicode(word, false);
        }
        drop_possessive(out);
        if (!out.empty() && is_digit(out.front())) drop_thousands_separators(out);
        if (out == term || out.size() > Analyzer::max_term_bytes) return {};
        return out;
    }

    std::string normalize_unicode(std::string_view word, bool fold_case = true) const {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString in = icu::UnicodeString::fromUTF8(
            icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
        // Apostrophe variants first: NFKC leaves ’ alone.
        icu::UnicodeString apos;
        for (int32_t i = 0; i < in.length();) {
            const UChar32 c = in.char32At(i);
            apos.append(is_apostrophe(c) ? UChar32{'\''} : c);
            i += U16_LENGTH(c);
        }
        icu::UnicodeString folded = (fold_case ? nfkc_casefold : nfkc)->normalize(apos, status);
        check_icu(status, "NFKC_Casefold normalisation");
        icu::UnicodeString decomposed = nfd->normalize(folded, status);
        check_icu(status, "NFD normalisation");
        // Combining diacritical marks (U+0300..U+036F) only: marks of other scripts (Indic
        // vowel signs, Hebrew points) carry meaning and stay.
        // The breve of Cyrillic й stays: й is a letter of its own in Russian and Kazakh
        // ("мой" is not "мои"), where ё = е as readers treat it.
        std::vector<UChar32> letters;
        for (int32_t i = 0; i < decomposed.length();) {
            const UChar32 c = decomposed.char32At(i);
            i += U16_LENGTH(c);
            const bool short_i = c == 0x0306 && !letters.empty() && letters.back() == 0x0438;
            if (c < 0x0300 || c > 0x036F || short_i) letters.push_back(c);
        }
        icu::UnicodeString stripped;
        for (std::size_t i = 0; i < letters.size(); ++i) {
            const UChar32 c = letters[i];
            const bool lone_greek = !(i > 0 && is_greek_letter(letters[i - 1])) &&
                                    !(i + 1 < letters.size() && is_greek_letter(letters[i + 1]));
            if (const char16_t* name = lone_greek ? greek_letter_name(c) : nullptr) stripped.append(name);
            else if (const char16_t* repl = fold_special_letter(c)) stripped.append(repl);
            else stripped.append(c);
        }
        icu::UnicodeString composed = nfc->normalize(stripped, status);
        check_icu(status, "NFC normalisation");
        std::string out;
        composed.toUTF8String(out);
        return out;
    }

    // The terms `term` itself analyses to (words and symbols; joined forms aside), each
    // settled in turn, so that every term in the result analyses to exactly itself.
    // Regression #7, found by fuzzing: normalising can change where words break ("t's's"
    // gave "t's", which gives "t"; "3ʼk" gave "3'k", which splits at the apostrophe; "a¨b"
    // gave "a b"), so a term was not always reproduced from itself.
    using Piece = std::pair<std::string, TokenKind>;
    std::vector<Piece> settle(const std::string& term, int depth = 0) const {
        std::vector<Piece> pieces;
        UErrorCode status = U_ZERO_ERROR;
        icu::LocalUTextPointer utext(
            utext_openUTF8(nullptr, term.data(), static_cast<int64_t>(term.size()), &status));
        check_icu(status, "opening a term for word breaking");
        term_words->setText(utext.getAlias(), status);
        check_icu(status, "setting word break text");
        int32_t start = term_words->first();
        for (int32_t end = term_words->next(); end != icu::BreakIterator::DONE; start = end, end = term_words->next()) {
            const std::string_view segment =
                std::string_view(term).substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
            if (term_words->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
                std::string_view rest = segment;
                for (auto cut = elision(rest); cut; cut = elision(rest)) {
                    pieces.emplace_back(normalize(rest.substr(0, cut->first)), TokenKind::Word);
                    rest.remove_prefix(cut->second);
                }
                std::string piece = normalize(rest);
                if (piece.empty() || piece.size() > Analyzer::max_term_bytes) continue;
                const TokenKind kind = is_digit(piece.front()) ? TokenKind::Number : TokenKind::Word;
                pieces.emplace_back(std::move(piece), kind);
            } else if (std::string symbol = symbol_term(segment); !symbol.empty()) {
                pieces.emplace_back(std::move(symbol), TokenKind::Symbol);
            }
        }
        if ((pieces.size() == 1 && pieces.front().first == term) || depth == 8) return pieces;
        std::vector<Piece> out;
        for (const Piece& piece : pieces) {
            if (piece.second == TokenKind::Symbol) {
                out.push_back(piece);
                continue;
            }
            for (Piece& settled : settle(piece.first, depth + 1)) out.push_back(std::move(settled));
        }
        return out;
    }

    // The term of a one-character non-word segment: "percent" for a percent sign, the
    // currency sign itself; "" for other punctuation and white space.
    std::string symbol_term(std::string_view segment) const {
        UChar32 c;
        int32_t i = 0;
        U8_NEXT(reinterpret_cast<const uint8_t*>(segment.data()), i, static_cast<int32_t>(segment.size()), c);
        if (static_cast<std::size_t>(i) != segment.size()) return {};
        if (c == '%' || c == 0xFF05 || c == 0xFE6A) return "percent";
        return u_charType(c) == U_CURRENCY_SYMBOL ? normalize(segment) : std::string();
    }

    // Snowball's stem, with a British spelling's stem replaced by the American one ("tumour"
    // stems as "tumor", "randomised" as "random").
    std::string english_stem(std::string_view term) const {
        std::string stemmed = stemmer(std::string(term));
        if (const auto american = american_stem(stemmed)) stemmed = *american;
        return stemmed;
    }

    std::string stem(std::string_view term) const {
        if (term.empty()) return {};
        bool cyrillic = false;
        bool kazakh = false;
        // Only letters (and apostrophes) are stemmed; "19th", "covid19", "2.76" are not.
        if (is_ascii(term)) {
            for (char c : term)
                if (c != '\'' && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return {};
        } else {
            const auto* bytes = reinterpret_cast<const uint8_t*>(term.data());
            const auto length = static_cast<int32_t>(term.size());
            for (int32_t i = 0; i < length;) {
                UChar32 c;
                U8_NEXT(bytes, i, length, c);
                if (c != '\'' && !u_isalpha(c)) return {};
                if (is_kazakh_letter(static_cast<char32_t>(c))) kazakh = true;
                if (c >= 0x0400 && c <= 0x04FF) cyrillic = true;
            }
        }
        // A word with a Kazakh letter: the light suffix rule, measured (docs/languages.md);
        // the Russian stemmer would cut Kazakh endings wrongly.
        if (kazakh) return kazakh_stem(term);
        if (cyrillic) return russian_stemmer(std::string(term));
        if (term.size() > StemSlot::capacity) return english_stem(term);
        const std::size_t hash = std::hash<std::string_view>{}(term);
        if (const StemSlot& slot = stem_cache[hash & (stem_cache.size() - 1)];
            std::string_view(slot.word, slot.word_size) == term)
            return std::string(slot.stem, slot.stem_size);
        if (++stem_misses > 2 * stem_cache.size() && stem_cache.size() < stem_slots_max) {
            stem_cache.assign(std::min(stem_cache.size() * 4, stem_slots_max), StemSlot{});
            stem_misses = 0;
        }
        std::string stemmed = english_stem(term);
        if (stemmed.size() <= StemSlot::capacity) {
            StemSlot& slot = stem_cache[hash & (stem_cache.size() - 1)];
            std::memcpy(slot.word, term.data(), term.size());
            slot.word_size = static_cast<unsigned char>(term.size());
            std::memcpy(slot.stem, stemmed.data(), stemmed.size());
            slot.stem_size = static_cast<unsigned char>(stemmed.size());
        }
        return stemmed;
    }
};

Analyzer::Analyzer() : m_impl(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

std::string Analyzer::stem(std::string_view term) const { return m_impl->stem(term); }

std::string fold_letters(std::string_view word) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    check_icu(status, "loading NFKD");
    // Case first: the special letters are folded from their lower-case forms (Ł as ł).
    icu::UnicodeString lower = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    lower.foldCase();
    const icu::UnicodeString decomposed = nfkd->normalize(lower, status);
    check_icu(status, "NFKD normalisation");
    icu::UnicodeString bare;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (const char16_t* repl = fold_special_letter(c)) bare.append(repl);
        else bare.append(c);
    }
    std::string out;
    bare.toUTF8String(out);
    return out;
}

std::vector<Token> Analyzer::analyze(std::string_view text) {
    std::vector<Token> tokens;
    if (text.empty()) return tokens;
    // About one word per six bytes of English; capped, since a huge paragraph may hold few
    // words (a table, base64) and each Token is ~90 bytes.
    tokens.reserve(std::min<std::size_t>(text.size() / 6 + 4, std::size_t{1} << 16));

    // Word segments: ASCII text without ICU (the same boundaries), anything else by ICU over a
    // UTF-8 UText, which makes every boundary a byte offset into `text`, the unit evidence needs.
    const bool ascii = m_impl->ascii_breaker && is_ascii(text);
    AsciiWordBreaker ascii_words(ascii ? text : std::string_view{});
    icu::LocalUTextPointer utext;
    icu::BreakIterator& words = *m_impl->words;
    int32_t icu_start = 0;
    if (!ascii) {
        UErrorCode status = U_ZERO_ERROR;
        utext.adoptInstead(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
        check_icu(status, "opening text for word breaking");
        words.setText(utext.getAlias(), status);
        check_icu(status, "setting word break text");
        icu_start = words.first();
    }
    auto next_break = [&](WordSegment& segment) {
        if (ascii) return ascii_words.next(segment);
        const int32_t end = words.next();
        if (end == icu::BreakIterator::DONE) return false;
        segment = {static_cast<std::size_t>(icu_start), static_cast<std::size_t>(end),
                   words.getRuleStatus() >= UBRK_WORD_NONE_LIMIT};
        icu_start = end;
        return true;
    };
    // Word segments with an elided article split in two ("l'Assemblée": "l", "Assemblée"),
    // the apostrophe in neither.
    std::optional<WordSegment> after_elision;
    auto next_segment = [&](WordSegment& segment) {
        if (after_elision) {
            segment = *after_elision;
            after_elision.reset();
        } else if (!next_break(segment)) {
            return false;
        }
        if (segment.word)
            if (const auto cut = elision(text.substr(segment.begin, segment.end - segment.begin))) {
                after_elision = WordSegment{segment.begin + cut->second, segment.end, true};
                segment.end = segment.begin + cut->first;
            }
        return true;
    };

    std::uint32_t position = 0;
    // Indexes into `tokens` of the parts of the hyphenated word being read.
    std::vector<std::size_t> compound;
    std::size_t hyphen_end = std::string::npos;  // end of a hyphen that may continue it

    auto flush_compound = [&] {
        if (compound.size() >= 2) {
            bool all_numbers = true;
            std::string joined;
            for (std::size_t idx : compound) {
                joined += tokens[idx].term;
                if (tokens[idx].kind != TokenKind::Number) all_numbers = false;
            }
            // "2022-2023" is a range, not a word: no joined form.
            if (!all_numbers && joined.size() <= Analyzer::max_term_bytes) {
                const Token& first = tokens[compound.front()];
                const Token& last = tokens[compound.back()];
                Token t{joined, m_impl->stem(joined), last.position,
                        ByteRange{first.bytes.begin, last.bytes.end}, TokenKind::Compound, {}};
                tokens.push_back(std::move(t));
            }
        }
        compound.clear();
        hyphen_end = std::string::npos;
    };

    for (WordSegment seg; next_segment(seg);) {
        const std::size_t b = seg.begin;
        const std::size_t e = seg.end;
        const std::string_view segment = text.substr(b, e - b);

        if (seg.word) {
            std::string term = m_impl->normalize(segment);
            if (term.empty() || term.size() > Analyzer::max_term_bytes) {
                flush_compound();
                continue;
            }
            // Plain ASCII letters and digits always analyse back to themselves; anything else
            // is settled (Impl::settle) and, if it falls apart, indexed as its pieces, each
            // over the whole segment and outside any hyphenated compound.
            const bool simple = std::all_of(term.begin(), term.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || is_digit(c);
            });
            if (!simple) {
                if (auto pieces = m_impl->settle(term); pieces.size() != 1 || pieces.front().first != term) {
                    flush_compound();
                    for (auto& [piece, kind] : pieces) {
                        // Stems as the main loop gives them: words and "percent", not numbers or signs.
                        std::string stem = kind == TokenKind::Number || (kind == TokenKind::Symbol && piece != "percent")
                                               ? std::string{}
                                               : m_impl->stem(piece);
                        tokens.push_back(Token{std::move(piece), std::move(stem), ++position, ByteRange{b, e}, kind, {}});
                    }
                    continue;
                }
            }
            const bool continues = !compound.empty() && hyphen_end == b;
            if (!continues) flush_compound();
            const TokenKind kind = is_digit(term.front()) ? TokenKind::Number : TokenKind::Word;
            std::string stem = kind == TokenKind::Word ? m_impl->stem(term) : std::string{};
            std::string cased = m_impl->cased(segment, term);
            // Names are what people look for across scripts: keys on capitalised words only.
            std::vector<std::string> keys;
            if (kind == TokenKind::Word && starts_upper(segment)) keys = transliteration_keys(term, stem);
            tokens.push_back(Token{std::move(term), std::move(stem), ++position, ByteRange{b, e}, kind, std::move(cased),
                                   std::move(keys)});
            compound.push_back(tokens.size() - 1);
            hyphen_end = std::string::npos;
            continue;
        }

        // Not a word: one code point of punctuation, a symbol, or a run of white space.
        UChar32 c;
        int32_t i = 0;
        U8_NEXT(reinterpret_cast<const uint8_t*>(segment.data()), i,
                static_cast<int32_t>(segment.size()), c);
        const bool single = static_cast<std::size_t>(i) == segment.size();
        if (single && is_hyphen(c) && !compound.empty() && tokens[compound.back()].bytes.end == b &&
            hyphen_end == std::string::npos) {
            hyphen_end = e;
            continue;
        }
        flush_compound();
        if (!single) continue;
        const bool percent = c == '%' || c == 0xFF05 || c == 0xFE6A;
        if (percent || u_charType(c) == U_CURRENCY_SYMBOL) {
            std::string term = percent ? std::string("percent") : m_impl->normalize(segment);
            // "%" stems like the word "percent", so a plain query for either finds both.
            std::string stem = percent ? m_impl->stem(term) : std::string{};
            tokens.push_back(Token{std::move(term), std::move(stem), ++position, ByteRange{b, e},
                                   TokenKind::Symbol, {}});
        }
    }
    flush_compound();
    return tokens;
}

}  // namespace cite::analysis
