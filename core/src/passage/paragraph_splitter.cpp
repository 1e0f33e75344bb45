#include "cite/passage/paragraph_splitter.hpp"

#include "cite/analysis/utf8.hpp"

#include <algorithm>

namespace cite::passage {
namespace {

using analysis::ByteRange;

struct Line {
    ByteRange bytes;  // trimmed of white space
    std::uint32_t number;
};

std::size_t count_chars(std::string_view text, ByteRange r) {
    std::size_t n = 0;
    for (std::size_t i = r.begin; i < r.end; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++n;
    return n;
}

// A line that Markdown or plain-text convention starts as its own unit.
bool starts_structure(std::string_view line) {
    if (line.empty()) return false;
    const char c = line.front();
    if (c == '#' || c == '>' || c == '|') return true;
    if ((c == '-' || c == '*' || c == '+') && line.size() > 1 && line[1] == ' ') return true;
    std::size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

bool is_hard_wrapped(std::string_view text, const std::vector<Line>& block, const ParagraphRule& rule) {
    if (block.size() < 2) return false;
    std::vector<std::size_t> widths;
    widths.reserve(block.size());
    for (const Line& l : block) widths.push_back(count_chars(text, l.bytes));
    const std::size_t widest = *std::max_element(widths.begin(), widths.end());
    if (widest < rule.min_wrap_width || widest > rule.max_wrap_width) return false;
    for (std::size_t i = 1; i < block.size(); ++i)
        if (starts_structure(text.substr(block[i].bytes.begin, block[i].bytes.size()))) return false;
    std::size_t full = 0;
    for (std::size_t i = 0; i + 1 < block.size(); ++i)
        if (2 * widths[i] >= widest) ++full;
    return 4 * full >= 3 * (block.size() - 1);
}

}  // namespace

std::vector<Paragraph> split_paragraphs(std::string_view text, std::size_t start, const ParagraphRule& rule) {
    std::vector<Paragraph> out;
    std::vector<Line> block;

    auto flush = [&] {
        if (block.empty()) return;
        if (is_hard_wrapped(text, block, rule)) {
            out.push_back({ByteRange{block.front().bytes.begin, block.back().bytes.end}, block.front().number});
        } else {
            for (const Line& l : block) out.push_back({l.bytes, l.number});
        }
        block.clear();
    };

    // Line numbers count from the start of the file, so a skipped BOM is still on line 1.
    std::uint32_t number = 1;
    for (std::size_t i = 0; i < start && i < text.size(); ++i)
        if (text[i] == '\n') ++number;

    std::size_t pos = start;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        const ByteRange trimmed = analysis::trim_space(text, ByteRange{pos, end});
        if (trimmed.empty()) flush();
        else block.push_back({trimmed, number});
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
        ++number;
    }
    flush();
    return out;
}

}  // namespace cite::passage
