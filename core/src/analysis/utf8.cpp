#include "cite/analysis/utf8.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace cite::analysis {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int64_t>(text.size());
    int64_t i = 0;
    while (i < length) {
        // ASCII fast path, eight bytes at a time: most corpus text is ASCII, and every file
        // and every passage read back from the index is checked.
        if (bytes[i] < 0x80) {
            for (std::uint64_t chunk; i + 8 <= length; i += 8) {
                std::memcpy(&chunk, bytes + i, 8);
                if (chunk & 0x8080808080808080ULL) break;
            }
            while (i < length && bytes[i] < 0x80) ++i;
            continue;
        }
        const int64_t start = i;
        UChar32 c;
        // U8_NEXT rejects overlong forms, surrogates and values above U+10FFFF (c < 0).
        U8_NEXT(bytes, i, length, c);
        if (c < 0) return static_cast<std::size_t>(start);
    }
    return std::nullopt;
}

std::string escape_invalid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (const auto bad = find_invalid_utf8(text)) {
        // One byte at a time, then look again: the bytes after a bad lead byte that looked
        // like its continuation are bad on their own (a continuation byte starts nothing).
        static constexpr char hex[] = "0123456789ABCDEF";
        const auto byte = static_cast<unsigned char>(text[*bad]);
        out.append(text.substr(0, *bad));
        out += "\\x";
        out += hex[byte >> 4];
        out += hex[byte & 0xF];
        text.remove_prefix(*bad + 1);
    }
    out.append(text);
    return out;
}

bool is_utf8_boundary(std::string_view text, std::size_t offset) {
    if (offset == 0 || offset == text.size()) return true;
    if (offset > text.size()) return false;
    return (static_cast<unsigned char>(text[offset]) & 0xC0U) != 0x80U;
}

bool is_space_at(std::string_view text, std::size_t offset, std::size_t& length) {
    const auto c0 = static_cast<unsigned char>(text[offset]);
    if (c0 < 0x80) {
        length = 1;
        return c0 == ' ' || c0 == '\t' || c0 == '\n' || c0 == '\r' || c0 == '\f' || c0 == '\v';
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    auto i = static_cast<int64_t>(offset);
    UChar32 c;
    U8_NEXT(bytes, i, static_cast<int64_t>(text.size()), c);
    length = static_cast<std::size_t>(i) - offset;
    if (c < 0) return false;
    // Z* separators (NBSP, em space, ideographic space...) and the zero-width no-break
    // space that stray byte-order marks leave inside text.
    return u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    const auto ua = icu::UnicodeString::fromUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())));
    const auto ub = icu::UnicodeString::fromUTF8(icu::StringPiece(b.data(), static_cast<int32_t>(b.size())));
    return ua.caseCompare(ub, U_FOLD_CASE_DEFAULT) == 0;
}

namespace {

std::vector<bool> letter_cases(std::string_view s) {
    std::vector<bool> out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
    const auto length = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c >= 0 && u_isalpha(c)) out.push_back(u_isupper(c) != 0);
    }
    return out;
}

}  // namespace

bool same_letter_case(std::string_view a, std::string_view b) { return letter_cases(a) == letter_cases(b); }

ByteRange trim_space(std::string_view text, ByteRange range) {
    std::size_t len = 0;
    while (range.begin < range.end && is_space_at(text, range.begin, len)) range.begin += len;
    while (range.end > range.begin) {
        // Step back to the start of the last character.
        std::size_t start = range.end - 1;
        while (start > range.begin && !is_utf8_boundary(text, start)) --start;
        if (!is_space_at(text, start, len)) break;
        range.end = start;
    }
    return range;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace cite::analysis
