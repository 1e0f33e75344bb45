#include "cite/analysis/sentence_splitter.hpp"

#include "cite/analysis/function_words.hpp"
#include "cite/analysis/utf8.hpp"
#include "icu_check.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>

#include <array>
#include <limits>
#include <string>

namespace cite::analysis {
namespace {

// Abbreviations after which ICU's English rules would end a sentence but news and
// scholarly text usually does not ("on Jan. 31", "the U.S. side", "Dr. Lemon").
// ICU's own English suppression list is applied as well. ICU matches these as suffixes of
// the text before a break, without a word boundary, so short lower-case entries ("al.",
// "ed.") would glue sentences ending in "total." or "agreed." and are left out.
constexpr std::array abbreviations = {
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
    "Dec.", "U.S.", "U.K.", "U.N.", "E.U.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "St.", "No.",
    "Nos.", "vs.", "e.g.", "i.e.", "approx.", "Gen.", "Sen.", "Rep.", "Gov.",
    "Jr.", "Sr.", "Inc.", "Ltd.", "Co.", "Corp.", "Fig.", "Vol.",
};

// ICU's filter cannot keep a break away from the end of an abbreviation with an inner full
// stop: it files "U.S." under its first part "U." and only suppresses a break after that
// part, so "U.S. Secretary" was cut after "U.S.". These join the next sentence here, when
// they stand as a word of their own (not the end of "CONUS.").
constexpr std::array dotted_abbreviations = {
    std::string_view("U.S."), std::string_view("U.K."), std::string_view("U.N."),
    std::string_view("E.U."), std::string_view("e.g."),  std::string_view("i.e."),
    std::string_view("U.S.A."), std::string_view("Ph.D."),
    // Russian: "т. е." (that is), "г." and "гг." (year, city: "в 2023 г. Астана"), figures'
    // units ("274,2 тыс. тонн", "5 млн. руб."), "им." (named after), "ул." (street).
    std::string_view("т.е."), std::string_view("т. е."), std::string_view("т.к."), std::string_view("т. к."),
    std::string_view("г."), std::string_view("гг."), std::string_view("тыс."), std::string_view("руб."),
    std::string_view("млн."), std::string_view("млрд."), std::string_view("трлн."), std::string_view("им."),
    std::string_view("ул."), std::string_view("проф."),
};

bool ends_with_dotted_abbreviation(std::string_view sentence) {
    for (const std::string_view abbreviation : dotted_abbreviations) {
        if (!sentence.ends_with(abbreviation)) continue;
        const auto at = static_cast<int32_t>(sentence.size() - abbreviation.size());
        if (at == 0) return true;
        // The character before: not a letter or digit (a space, NBSP, a curly quote).
        int32_t i = at;
        UChar32 before = 0;
        U8_PREV(reinterpret_cast<const uint8_t*>(sentence.data()), 0, i, before);
        if (before < 0 || !u_isalnum(before)) return true;
    }
    return false;
}

bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_letter(char c) { return is_ascii_upper(c) || (c >= 'a' && c <= 'z'); }

// A middle initial: "... President George W." before "Bush": a capitalised word, a space, one
// capital letter and a full stop.
bool ends_with_middle_initial(std::string_view sentence) {
    const std::size_t n = sentence.size();
    if (n < 4 || sentence[n - 1] != '.' || !is_ascii_upper(sentence[n - 2]) || sentence[n - 3] != ' ') return false;
    std::size_t begin = n - 3;
    while (begin > 0 && sentence[begin - 1] != ' ') --begin;
    const std::string_view before = sentence.substr(begin, n - 3 - begin);
    // Its first letter a capital (a given name); a word starting with a non-ASCII letter (Łukasz,
    // Émile) is taken as one too.
    return !before.empty() && (is_ascii_upper(before.front()) || static_cast<unsigned char>(before.front()) >= 0xC0);
}

// The sentence that follows begins with a name: a capitalised word of two letters or more that
// is not a function word ("Plan B. The plan..." ends a sentence; "George W. Bush" does not).
bool starts_with_name(std::string_view rest) {
    std::size_t i = 0;
    while (i < rest.size() && rest[i] == ' ') ++i;
    std::size_t end = i;
    while (end < rest.size() && is_ascii_letter(rest[end])) ++end;
    if (end - i < 2 || !is_ascii_upper(rest[i])) return false;
    std::string word(rest.substr(i, end - i));
    for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return !is_function_word(word);
}

}  // namespace

struct SentenceSplitter::Impl {
    std::unique_ptr<icu::BreakIterator> sentences;
    // The text in UTF-16, reused between calls: ICU's rules read UTF-16 directly, where over
    // UTF-8 every step went through a conversion layer (a quarter of the splitting's time).
    std::u16string utf16;

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Locale english = icu::Locale::getEnglish();
        std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
            icu::FilteredBreakIteratorBuilder::createInstance(english, status));
        check_icu(status, "creating the sentence break filter");
        for (const char* abbreviation : abbreviations) {
            builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(abbreviation), status);
            check_icu(status, "adding a sentence break exception");
        }
        icu::BreakIterator* base = icu::BreakIterator::createSentenceInstance(english, status);
        check_icu(status, "creating the sentence break iterator");
        sentences.reset(builder->wrapIteratorWithFilter(base, status));
        check_icu(status, "wrapping the sentence break iterator");
    }
};

SentenceSplitter::SentenceSplitter() : m_impl(std::make_unique<Impl>()) {}
SentenceSplitter::~SentenceSplitter() = default;

std::vector<ByteRange> SentenceSplitter::split(std::string_view text) {
    std::vector<ByteRange> out;
    if (text.empty()) return out;
    // ICU counts in int32_t; a paragraph of 2 GiB is refused rather than cut short.
    if (text.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
        throw AnalysisError("a text of " + std::to_string(text.size()) + " bytes is too long to split into sentences");
    UErrorCode status = U_ZERO_ERROR;
    std::u16string& utf16 = m_impl->utf16;
    utf16.resize(text.size());  // never more UTF-16 units than UTF-8 bytes
    int32_t units = 0;
    u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &units, text.data(),
                  static_cast<int32_t>(text.size()), &status);
    check_icu(status, "converting text for sentence breaking");
    // A line break inside a paragraph is a hard wrap, not the end of a sentence (ICU's rules
    // end one at every line break), except after a first line that is a Markdown heading,
    // which a hard-wrapped paragraph may start with. Same length, so offsets do not move.
    const std::size_t first = utf16.find_first_not_of(u" \t");
    bool keep_break = first < static_cast<std::size_t>(units) && utf16[first] == u'#';
    for (std::size_t i = 0; i < static_cast<std::size_t>(units); ++i) {
        const char16_t c = utf16[i];
        if (c != u'\n' && c != u'\r') continue;
        if (keep_break) {
            keep_break = c != u'\n';  // the heading's CR LF or LF stays
            continue;
        }
        utf16[i] = u' ';
    }
    icu::LocalUTextPointer utext(utext_openUChars(nullptr, utf16.data(), units, &status));
    check_icu(status, "opening text for sentence breaking");
    icu::BreakIterator& it = *m_impl->sentences;
    it.setText(utext.getAlias(), status);
    check_icu(status, "setting sentence break text");

    // Boundaries come in increasing order: one walk maps UTF-16 offsets to byte offsets.
    const bool ascii = static_cast<std::size_t>(units) == text.size();
    std::size_t unit = 0;
    std::size_t byte = 0;
    auto byte_at = [&](int32_t boundary) {
        if (ascii) return static_cast<std::size_t>(boundary);
        while (unit < static_cast<std::size_t>(boundary)) {
            const auto lead = static_cast<uint8_t>(text[byte]);
            const auto length = static_cast<std::size_t>(U8_COUNT_TRAIL_BYTES(lead)) + 1;  // u_strFromUTF8 checked it
            byte += length;
            unit += length == 4 ? 2 : 1;
        }
        return byte;
    };
    std::size_t start = byte_at(it.first());
    for (int32_t next = it.next(); next != icu::BreakIterator::DONE; next = it.next()) {
        const std::size_t end = byte_at(next);
        const ByteRange trimmed = trim_space(text, ByteRange{start, end});
        if (trimmed.empty()) {
            start = end;
            continue;
        }
        // The sentence goes on past "U.S.": `start` stays, and the next break closes it.
        if (next != units && ends_with_dotted_abbreviation(text.substr(trimmed.begin, trimmed.size())))
            continue;
        // ... and past a middle initial before a name ("George W. Bush").
        if (next != units && ends_with_middle_initial(text.substr(trimmed.begin, trimmed.size())) &&
            starts_with_name(text.substr(end)))
            continue;
        out.push_back(trimmed);
        start = end;
    }
    return out;
}

}  // namespace cite::analysis
