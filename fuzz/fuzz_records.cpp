// Fuzzes the passage record read back from the index (index/schema.hpp), which a damaged or
// foreign database can hand the searcher. Properties: any bytes either parse or throw
// IndexError, nothing else; a record that parses is exactly what serialize_passage writes for
// the passage read (the reader refuses every other form); and a passage made from the input
// survives its round trip when its strings are UTF-8, and is refused when they are not.

#include "cite/error.hpp"
#include "cite/index/schema.hpp"

#include "fuzz_support.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

using namespace cite;

namespace {

std::optional<passage::Passage> parsed(std::string_view data) {
    try {
        return index::parse_passage(data);
    } catch (const IndexError&) {
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    if (const auto p = parsed(bytes))
        fuzz::require(index::serialize_passage(*p) == bytes, "a record that parses is not what would be written");

    // A passage from the input: ordinal, line and first byte from its first 16 bytes (the
    // first byte as any 64-bit value), strings from the rest.
    if (size >= 16) {
        std::uint32_t numbers[2];
        std::uint64_t begin = 0;
        std::memcpy(numbers, data, sizeof numbers);
        std::memcpy(&begin, data + 8, sizeof begin);
        const std::string_view rest = bytes.substr(16);
        const std::size_t third = rest.size() / 3;
        passage::Passage p;
        p.ordinal = numbers[0];
        p.line = numbers[1];
        p.source = std::string(rest.substr(0, third));
        p.record = std::string(rest.substr(third, third));
        p.text = std::string(rest.substr(2 * third));
        if (p.text.size() > std::numeric_limits<std::size_t>::max() - begin) return 0;  // no such range
        p.bytes = {begin, begin + p.text.size()};
        const bool utf8 = !fuzz::first_invalid_utf8(p.source) && !fuzz::first_invalid_utf8(p.record) &&
                          !fuzz::first_invalid_utf8(p.text);
        const auto back = parsed(index::serialize_passage(p));
        if (utf8) fuzz::require(back && *back == p, "a passage does not survive its round trip");
        else fuzz::require(!back, "a record holding invalid UTF-8 was read");
    }
    return 0;
}
