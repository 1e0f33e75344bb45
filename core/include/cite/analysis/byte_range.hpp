#pragma once
// A half-open range of UTF-8 byte offsets, the unit every module uses for positions in text.

#include <cstddef>

namespace cite::analysis {

/// Offsets are 0-based UTF-8 byte offsets, half-open: [begin, end).
struct ByteRange {
    std::size_t begin = 0;
    std::size_t end = 0;

    [[nodiscard]] std::size_t size() const noexcept { return end - begin; }
    [[nodiscard]] bool empty() const noexcept { return begin == end; }
    friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

}  // namespace cite::analysis
