#include "cite/analysis/sentence_splitter.hpp"

#include "cite/analysis/utf8.hpp"
#include "icu_check.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/utext.h>

#include <array>

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

}  // namespace

struct SentenceSplitter::Impl {
    std::unique_ptr<icu::BreakIterator> sentences;

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
    UErrorCode status = U_ZERO_ERROR;
    icu::LocalUTextPointer utext(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    check_icu(status, "opening text for sentence breaking");
    icu::BreakIterator& it = *m_impl->sentences;
    it.setText(utext.getAlias(), status);
    check_icu(status, "setting sentence break text");
    int32_t start = it.first();
    for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        const ByteRange trimmed = trim_space(
            text, ByteRange{static_cast<std::size_t>(start), static_cast<std::size_t>(end)});
        if (!trimmed.empty()) out.push_back(trimmed);
    }
    return out;
}

}  // namespace cite::analysis
