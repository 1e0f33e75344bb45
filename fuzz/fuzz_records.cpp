// Fuzzes the passage record read back from the index (index/schema.hpp), which a damaged or
// foreign database can hand the searcher. Properties: any bytes either parse or throw
// IndexError, nothing else; a record that parses writes back to one that parses to the same
// passage; and a passage made from the input survives its own round trip.

#include "cite/error.hpp"
#include "cite/index/schema.hpp"

#include "fuzz_support.hpp"

#include <cstdint>
#include <cstring>
#include <optional>

using namespace cite;

namespace {

bool same(const passage::Passage& a, const passage::Passage& b) {
    return a.source == b.source && a.record == b.record && a.ordinal == b.ordinal && a.line == b.line &&
           a.bytes == b.bytes && a.text == b.text;
}

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

    if (const auto p = parsed(bytes)) {
        const auto again = parsed(index::serialize_passage(*p));
        fuzz::require(again && same(*p, *again), "a parsed record does not survive writing back");
    }

    // A passage from the input: four numbers from its first 16 bytes, strings from the rest.
    if (size >= 16) {
        std::uint32_t n[4];
        std::memcpy(n, data, sizeof n);
        const std::string_view rest = bytes.substr(16);
        const std::size_t third = rest.size() / 3;
        passage::Passage p;
        p.ordinal = n[0];
        p.line = n[1];
        p.bytes = {std::size_t{n[2]} << 8, (std::size_t{n[2]} << 8) + n[3]};
        p.source = std::string(rest.substr(0, third));
        p.record = std::string(rest.substr(third, third));
        p.text = std::string(rest.substr(2 * third));
        const auto back = parsed(index::serialize_passage(p));
        fuzz::require(back && same(p, *back), "a passage does not survive its round trip");
    }
    return 0;
}
