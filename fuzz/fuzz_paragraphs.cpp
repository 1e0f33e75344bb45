// Fuzzes the paragraph segmenter on valid UTF-8 (check_text's job comes first). Properties:
// paragraphs lie inside the text, on character boundaries, in order without overlapping,
// trimmed and non-empty; each one's line is the line its first byte is on; a paragraph never
// spans a blank line; and nothing is lost: every byte outside all paragraphs is white space
// (independently: no printable ASCII byte is ever outside).

#include "cite/analysis/utf8.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"

#include "fuzz_support.hpp"

#include <algorithm>
#include <cstdint>

using namespace cite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (fuzz::first_invalid_utf8(text)) return 0;
    const std::size_t start = passage::utf8_bom_length(text);
    const auto paragraphs = passage::split_paragraphs(text, start);

    std::size_t last_end = start;
    std::vector<bool> covered(size, false);
    for (const passage::Paragraph& p : paragraphs) {
        const auto [begin, end] = p.bytes;
        fuzz::require(begin < end && end <= size, "paragraph outside the text or empty");
        fuzz::require(begin >= last_end, "paragraphs overlap or are out of order");
        fuzz::require(fuzz::on_boundary(text, begin) && fuzz::on_boundary(text, end), "paragraph splits a character");
        fuzz::require(analysis::trim_space(text, p.bytes) == p.bytes, "paragraph not trimmed");
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(begin), '\n');
        fuzz::require(p.line == static_cast<std::uint32_t>(line), "wrong line number");
        // No blank line inside: between two line breaks of the paragraph there is text.
        for (std::size_t nl = text.find('\n', begin); nl != std::string_view::npos && nl < end;) {
            const std::size_t next = text.find('\n', nl + 1);
            const std::size_t line_end = std::min(next, end);
            fuzz::require(!analysis::trim_space(text, {nl + 1, line_end}).empty(), "paragraph spans a blank line");
            nl = next;
        }
        std::fill(covered.begin() + static_cast<std::ptrdiff_t>(begin), covered.begin() + static_cast<std::ptrdiff_t>(end),
                  true);
        last_end = end;
    }
    for (std::size_t i = start; i < size;) {
        std::size_t length = 1;
        const bool space = analysis::is_space_at(text, i, length) || text[i] == '\n';
        const auto b = static_cast<unsigned char>(text[i]);
        if (!covered[i]) {
            fuzz::require(space, "text outside every paragraph at byte " + std::to_string(i));
            fuzz::require(b < 0x21 || b > 0x7E, "printable ASCII outside every paragraph");
        }
        i += std::max<std::size_t>(length, 1);
    }
    return 0;
}
