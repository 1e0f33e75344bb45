#pragma once
// Word boundaries for ASCII text without ICU, drawn exactly as ICU's root word break rules
// (UAX #29 with CLDR's tailoring) draw them on ASCII. Breaking was the largest share of the
// analyzer's time, and most passages (four in five of SciFact's) are plain ASCII.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace cite::analysis {

/// One segment between two word boundaries.
struct WordSegment {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool word = false;  ///< ICU's rule status is a word's (>= UBRK_WORD_NONE_LIMIT)
};

/// Walks the segments of `text`, which must be all ASCII (bytes below 0x80), in order.
class AsciiWordBreaker {
  public:
    explicit AsciiWordBreaker(std::string_view text) : m_text(text) {}

    /// The next segment; false when the text is exhausted.
    bool next(WordSegment& segment);

  private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

/// True when every byte of `text` is ASCII.
[[nodiscard]] bool is_ascii(std::string_view text);

/// The segments another breaker (ICU) draws on `text`.
using WordSegmenter = std::function<std::vector<WordSegment>(std::string_view text)>;

/// True when AsciiWordBreaker draws `reference`'s segments on probes of its rules, those that
/// ICU versions changed among them: the table is ICU 72's root rules, and ICU 73.2 took '@'
/// out of the letters, ICU 74 let ':' join letters again.
[[nodiscard]] bool ascii_breaker_matches(const WordSegmenter& reference);

}  // namespace cite::analysis
