#pragma once
// The paragraph rule (README, "Passages"): blank lines separate blocks; a block whose lines
// look hard-wrapped is one paragraph; otherwise every non-blank line is a paragraph.

#include "cite/analysis/byte_range.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cite::passage {

struct Paragraph {
    analysis::ByteRange bytes;  ///< trimmed of surrounding white space (NBSP included)
    std::uint32_t line = 0;     ///< 1-based line of bytes.begin
};

/// A block is hard-wrapped when it has at least two lines, its longest line is 40..100
/// characters, at least three quarters of the lines before the last reach half that width,
/// and no line after the first starts like a Markdown heading, list item, quote or table.
/// Lines end at LF; a CR before the LF is not part of the line.
struct ParagraphRule {
    std::size_t min_wrap_width = 40;
    std::size_t max_wrap_width = 100;
};

/// Paragraphs of `text` (valid UTF-8) starting at byte `start` (e.g. after a byte-order
/// mark); ranges are offsets into `text`, lines count from the start of `text`.
[[nodiscard]] std::vector<Paragraph> split_paragraphs(std::string_view text, std::size_t start = 0,
                                                      const ParagraphRule& rule = {});

}  // namespace cite::passage
