#include "cite/passage/source_text.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <nettle/sha2.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace cite::passage {

std::size_t utf8_bom_length(std::string_view bytes) {
    return bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

void check_byte_order_mark(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") ||
        bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
        throw CorpusError("UTF-16 or UTF-32 text (byte-order mark at byte offset 0); only UTF-8 is indexed");
}

namespace {

bool has_wide_byte_order_mark(std::string_view bytes) {
    return bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") ||
           bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4));
}

// The checks a file's start settles: a UTF-16/32 byte-order mark, binary data.
void check_text_start(std::string_view bytes) {
    check_byte_order_mark(bytes);
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
        throw CorpusError("binary data (NUL byte at byte offset " + std::to_string(nul) + ")");
}

std::string read_bytes(const std::filesystem::path& path, bool text) {
    // An ifstream opens a directory and reads nothing: "catalog.json" as a folder was a JSON
    // syntax error.
    if (std::error_code ec; std::filesystem::is_directory(path, ec))
        throw CorpusError("'" + path.string() + "' is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorpusError("cannot open '" + path.string() + "': " + std::strerror(errno));
    // Read straight into one string (a stringstream held a second copy of the file), sized by
    // the file's length as a hint: it may change while it is read.
    std::string out;
    std::error_code ec;
    constexpr std::size_t block = std::size_t{64} << 10;
    // One block more than the file: the last read asks for a whole block past its end.
    if (const auto size = std::filesystem::file_size(path, ec); !ec) out.reserve(static_cast<std::size_t>(size) + block);
    for (bool first = true;; first = false) {
        const std::size_t at = out.size();
        out.resize(at + block);
        in.read(out.data() + at, static_cast<std::streamsize>(block));
        out.resize(at + static_cast<std::size_t>(in.gcount()));
        // UTF-16/32 (by its byte-order mark) holds NUL bytes: it is decoded, not refused.
        if (text && first && !has_wide_byte_order_mark(out)) check_text_start(out);
        if (!in) break;
    }
    if (in.bad()) throw CorpusError("cannot read '" + path.string() + "': " + std::strerror(errno));
    return out;
}

}  // namespace

void check_text(std::string_view bytes) {
    check_text_start(bytes);
    if (const auto bad = analysis::find_invalid_utf8(bytes))
        throw CorpusError("invalid UTF-8 at byte offset " + std::to_string(*bad));
}

std::string read_file_bytes(const std::filesystem::path& path) { return read_bytes(path, false); }

std::string read_text_file_bytes(const std::filesystem::path& path) { return read_bytes(path, true); }

std::string sha256_hex(std::string_view bytes) {
    sha256_ctx context;
    sha256_init(&context);
    sha256_update(&context, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&context, SHA256_DIGEST_SIZE, digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * SHA256_DIGEST_SIZE);
    for (std::size_t i = 0; i < SHA256_DIGEST_SIZE; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace cite::passage
