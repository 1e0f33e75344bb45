// Fuzzes the container reader (DOCX, ODT, EPUB: libzip and libxml2) on any bytes: the first
// byte picks the kind, the rest is the file. Properties: it returns or throws CorpusError (no
// crash, no hang, no other exception; the zip limits are small here so a bomb is cheap); its
// text is valid UTF-8; paragraphs lie inside the text, in order, non-empty, separated by
// exactly a blank line; and the text is nothing but its paragraphs.

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/container_extractor.hpp"

#include "fuzz_support.hpp"

#include <cstdint>

using namespace cite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const passage::ContainerKind kinds[] = {passage::ContainerKind::docx, passage::ContainerKind::odt,
                                            passage::ContainerKind::epub};
    const passage::ContainerKind kind = kinds[data[0] % 3];
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    passage::ZipLimits limits;
    limits.max_entries = 64;
    limits.max_entry_bytes = std::size_t{1} << 20;
    limits.max_total_bytes = std::size_t{4} << 20;
    passage::ContainerText doc;
    try {
        doc = passage::extract_container(bytes, kind, limits);
    } catch (const CorpusError&) {
        return 0;
    }
    fuzz::require(!fuzz::first_invalid_utf8(doc.text), "invalid UTF-8 in the text");
    std::size_t last_end = 0;
    std::string rebuilt;
    for (const analysis::ByteRange& p : doc.paragraphs) {
        fuzz::require(p.begin < p.end && p.end <= doc.text.size(), "paragraph outside the text or empty");
        fuzz::require(p.begin >= last_end, "paragraphs overlap or are out of order");
        if (!rebuilt.empty()) rebuilt += "\n\n";
        rebuilt += doc.text.substr(p.begin, p.end - p.begin);
        last_end = p.end;
    }
    fuzz::require(rebuilt == doc.text, "the text is not its paragraphs joined by blank lines");
    return 0;
}
