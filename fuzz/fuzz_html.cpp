// Fuzzes the web page extractor on any bytes taken as UTF-8 markup. Properties: it returns
// (no crash, no hang: libxml2 stops descending at 256 levels); its text is valid UTF-8 when
// the input is; paragraphs lie inside the text, in order, without overlapping, non-empty and
// trimmed, separated by exactly a blank line; and the text is nothing but its paragraphs.

#include "cite/analysis/utf8.hpp"
#include "cite/passage/html_extractor.hpp"

#include "fuzz_support.hpp"

#include <cstdint>

using namespace cite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view html(reinterpret_cast<const char*>(data), size);
    const bool valid = !fuzz::first_invalid_utf8(html);
    const passage::HtmlPage page = passage::extract_html(html);
    if (valid) fuzz::require(!fuzz::first_invalid_utf8(page.text), "invalid UTF-8 in the text of valid input");
    std::size_t last_end = 0;
    std::string rebuilt;
    for (const analysis::ByteRange& p : page.paragraphs) {
        fuzz::require(p.begin < p.end && p.end <= page.text.size(), "paragraph outside the text or empty");
        fuzz::require(p.begin >= last_end, "paragraphs overlap or are out of order");
        const auto first = static_cast<unsigned char>(page.text[p.begin]);
        const auto last = static_cast<unsigned char>(page.text[p.end - 1]);
        fuzz::require(first != ' ' && first != '\n' && last != ' ' && last != '\n', "paragraph not trimmed");
        if (!rebuilt.empty()) rebuilt += "\n\n";
        rebuilt += page.text.substr(p.begin, p.end - p.begin);
        last_end = p.end;
    }
    fuzz::require(rebuilt == page.text, "the text is not its paragraphs joined by blank lines");
    return 0;
}
