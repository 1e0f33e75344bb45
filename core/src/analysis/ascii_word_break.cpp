#include "cite/analysis/ascii_word_break.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace cite::analysis {
namespace {

// Word_Break classes of the ASCII characters. ICU's root rules add '@' to ALetter and take
// ':' out of MidLetter; '\'' is Single_Quote, which joins as MidNumLet does.
enum class Break : std::uint8_t { Other, CR, LF, Newline, Space, Letter, Digit, MidNum, MidNumLet, Underscore };

constexpr Break classify(unsigned char c) {
    if (c == '\r') return Break::CR;
    if (c == '\n') return Break::LF;
    if (c == 0x0B || c == 0x0C) return Break::Newline;
    if (c == ' ') return Break::Space;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') return Break::Letter;
    if (c >= '0' && c <= '9') return Break::Digit;
    if (c == ',' || c == ';') return Break::MidNum;
    if (c == '.' || c == '\'') return Break::MidNumLet;
    if (c == '_') return Break::Underscore;
    return Break::Other;
}

// One load per character: the breaker looks at every byte of most passages.
constexpr auto break_classes = [] {
    std::array<Break, 128> table{};
    for (unsigned c = 0; c < table.size(); ++c) table[c] = classify(static_cast<unsigned char>(c));
    return table;
}();

}  // namespace

bool is_ascii(std::string_view text) {
    // Eight bytes at a time: this runs over every passage before it is broken into words.
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, text.data() + i, 8);
        if ((chunk & 0x8080808080808080ULL) != 0) return false;
    }
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
    return true;
}

bool AsciiWordBreaker::next(WordSegment& segment) {
    const std::size_t n = m_text.size();
    if (m_pos >= n) return false;
    auto at = [&](std::size_t k) {
        return k < n ? break_classes[static_cast<unsigned char>(m_text[k]) & 0x7F] : Break::Other;
    };
    const std::size_t begin = m_pos;
    std::size_t i = m_pos;
    bool word = false;
    switch (at(i)) {
    case Break::CR: i += at(i + 1) == Break::LF ? std::size_t{2} : std::size_t{1}; break;  // WB3: CR x LF
    case Break::Space:  // WB3d: horizontal white space stays together
        while (at(i) == Break::Space) ++i;
        break;
    case Break::Letter:
    case Break::Digit:
    case Break::Underscore: {
        ++i;
        for (;;) {
            const Break before = at(i - 1);
            const Break c = at(i);
            if (c == Break::Letter || c == Break::Digit || c == Break::Underscore) {  // WB5, 8-10, 13a-b
                ++i;
                continue;
            }
            // WB6/7: letter (MidNumLet) letter; WB11/12: digit (MidNum | MidNumLet) digit.
            const Break after = at(i + 1);
            if (before == Break::Letter && c == Break::MidNumLet && after == Break::Letter) {
                i += 2;
                continue;
            }
            if (before == Break::Digit && (c == Break::MidNum || c == Break::MidNumLet) && after == Break::Digit) {
                i += 2;
                continue;
            }
            break;
        }
        // A word holds a letter or digit; of underscores alone, ICU counts two or more.
        for (std::size_t k = begin; k < i && !word; ++k) word = at(k) != Break::Underscore;
        word = word || i - begin >= 2;
        break;
    }
    default: ++i;  // WB3a/b and WB999: LF, the other newlines, punctuation, symbols
    }
    segment = {begin, i, word};
    m_pos = i;
    return true;
}

bool ascii_breaker_matches(const WordSegmenter& reference) {
    static constexpr std::string_view probe = "a@b a:b 10:30 a.b a'b 1,2 1.2 1;2 a_b __ _ x\r\ny\n\n3a. U.S. e.g. 2.76%";
    const std::vector<WordSegment> expected = reference(probe);
    AsciiWordBreaker breaker(probe);
    std::size_t k = 0;
    for (WordSegment segment; breaker.next(segment); ++k) {
        if (k == expected.size()) return false;
        const WordSegment& e = expected[k];
        if (segment.begin != e.begin || segment.end != e.end || segment.word != e.word) return false;
    }
    return k == expected.size();
}

}  // namespace cite::analysis
