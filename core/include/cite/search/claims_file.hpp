#pragma once
// Claims files for `searcher report`: one claim per line, in the encodings editors save.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cite::search {

struct ClaimLine {
    std::string text;   ///< UTF-8, without its line break and leading blanks
    std::size_t line;   ///< 1-based line in the file
};

/// The claims of `file`: one per line, blank lines and lines starting with '#' skipped. UTF-8
/// with or without a byte-order mark, lines ending in LF or CRLF; UTF-16 and UTF-32 (either
/// byte order) are recognised by their byte-order mark and converted. Throws CorpusError naming
/// the file when it cannot be read, is not valid in its encoding (with the line for UTF-8), or
/// holds no claim.
[[nodiscard]] std::vector<ClaimLine> read_claims_file(const std::filesystem::path& file);

}  // namespace cite::search
