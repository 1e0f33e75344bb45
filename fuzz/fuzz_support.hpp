#pragma once
// Shared by the libFuzzer targets: property checks that abort (libFuzzer then saves the
// input as a crash), and a UTF-8 validator written from the Unicode standard's table of
// well-formed byte sequences (Table 3-7), independent of the library's own.

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace cite::fuzz {

/// Aborts with `what` when a property does not hold.
inline void require(bool holds, const std::string& what) {
    if (holds) return;
    std::fprintf(stderr, "property violated: %s\n", what.c_str());
    std::abort();
}

/// Byte offset of the first ill-formed sequence, or nullopt.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto in = [](unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char b = byte(i);
        std::size_t length = 0;
        unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
        if (b <= 0x7F) length = 1;
        else if (in(b, 0xC2, 0xDF)) length = 2;
        else if (b == 0xE0) length = 3, lo = 0xA0;
        else if (in(b, 0xE1, 0xEC) || in(b, 0xEE, 0xEF)) length = 3;
        else if (b == 0xED) length = 3, hi = 0x9F;
        else if (b == 0xF0) length = 4, lo = 0x90;
        else if (in(b, 0xF1, 0xF3)) length = 4;
        else if (b == 0xF4) length = 4, hi = 0x8F;
        else return i;
        if (i + length > s.size()) return i;
        if (length > 1 && !in(byte(i + 1), lo, hi)) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (!in(byte(i + k), 0x80, 0xBF)) return i;
        i += length;
    }
    return std::nullopt;
}

/// True when `offset` is the start or end of `s` or the start of a sequence (not a
/// continuation byte).
inline bool on_boundary(std::string_view s, std::size_t offset) {
    return offset == 0 || offset == s.size() ||
           (offset < s.size() && (static_cast<unsigned char>(s[offset]) & 0xC0U) != 0x80U);
}

}  // namespace cite::fuzz
