#pragma once
// Reading corpus files and checking that they are text we can index and quote exactly.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace cite::passage {

/// Length of a UTF-8 byte-order mark at the start of `bytes` (3), or 0.
[[nodiscard]] std::size_t utf8_bom_length(std::string_view bytes);

/// Throws CorpusError (message without the file name, which the caller adds) when `bytes`
/// is not indexable text: a UTF-16/32 byte-order mark, a NUL byte (binary data), or
/// ill-formed UTF-8; the message gives the byte offset.
void check_text(std::string_view bytes);

/// The whole file's bytes. Throws CorpusError naming the file when it cannot be read.
[[nodiscard]] std::string read_file_bytes(const std::filesystem::path& path);

/// Hex SHA-256 of `bytes` (lower case, 64 characters), the content hash citations carry.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace cite::passage
