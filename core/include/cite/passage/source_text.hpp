#pragma once
// Reading corpus files and checking that they are text we can index and quote exactly.

#include <algorithm>
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

/// Throws check_text's CorpusError when `bytes` start with a UTF-16 or UTF-32 byte-order mark:
/// a whole file in another encoding (a JSONL file's lines would each fail as bad UTF-8).
void check_byte_order_mark(std::string_view bytes);

/// Calls `on_line(line_number, line)` for each line of `text`: split at '\n' (not part of the
/// line; a '\r' before it is), numbered from 1; text after the last '\n' is a line too.
template <typename OnLine>
void for_each_line(std::string_view text, OnLine&& on_line) {
    std::size_t line_number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        on_line(++line_number, text.substr(pos, nl - pos));
        pos = nl + 1;
    }
}

/// The whole file's bytes. Throws CorpusError naming the file when it cannot be read.
[[nodiscard]] std::string read_file_bytes(const std::filesystem::path& path);

/// read_file_bytes for a file meant to be text: a NUL byte in its first 64 KiB (unless it
/// starts with a UTF-16/32 byte-order mark) throws check_text's CorpusError before the rest
/// is read, so a large binary file costs one block, not its size in memory.
[[nodiscard]] std::string read_text_file_bytes(const std::filesystem::path& path);

/// Hex SHA-256 of `bytes` (lower case, 64 characters), the content hash citations carry.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace cite::passage
