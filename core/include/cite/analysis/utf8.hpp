#pragma once
// UTF-8 checks used wherever outside text enters: corpus files, JSONL records, queries.

#include "cite/analysis/byte_range.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cite::analysis {

/// Byte offset of the first ill-formed UTF-8 sequence (overlong forms, surrogates and
/// values above U+10FFFF are ill-formed), or nullopt when all of `text` is well-formed.
[[nodiscard]] std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// `text` with every byte that is not part of a well-formed UTF-8 sequence written as \xHH
/// (upper-case hex) and the rest unchanged: a file name or path that is not UTF-8, made
/// printable and valid for a message, one escape per byte as Python's surrogateescape reads it.
[[nodiscard]] std::string escape_invalid_utf8(std::string_view text);

/// True when `offset` is 0, text.size(), or the start of a UTF-8 sequence.
[[nodiscard]] bool is_utf8_boundary(std::string_view text, std::size_t offset);

/// True for the white space that separates words and lines, including NBSP and the other
/// Unicode space separators; `length` receives the byte length of the character.
[[nodiscard]] bool is_space_at(std::string_view text, std::size_t offset, std::size_t& length);

/// `range` shrunk so it neither starts nor ends with white space (is_space_at).
[[nodiscard]] ByteRange trim_space(std::string_view text, ByteRange range);

/// True when `a` and `b` are equal ignoring letter case (Unicode full case folding).
[[nodiscard]] bool equal_ignoring_case(std::string_view a, std::string_view b);

/// True when the letters of `a` and `b`, taken in order, have the same case (upper or not);
/// other characters are ignored.
[[nodiscard]] bool same_letter_case(std::string_view a, std::string_view b);

/// `text` with ASCII letters lowered and every other byte kept: for file names, tag and
/// attribute names, encoding labels, which are ASCII by their formats' rules.
[[nodiscard]] std::string ascii_lower(std::string_view text);

}  // namespace cite::analysis
