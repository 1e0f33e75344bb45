#include "cite/passage/source_text.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cite::passage {

std::size_t utf8_bom_length(std::string_view bytes) {
    return bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

void check_text(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
        throw CorpusError("UTF-16 or UTF-32 text (byte-order mark at byte offset 0); only UTF-8 is indexed");
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
        throw CorpusError("binary data (NUL byte at byte offset " + std::to_string(nul) + ")");
    if (const auto bad = analysis::find_invalid_utf8(bytes))
        throw CorpusError("invalid UTF-8 at byte offset " + std::to_string(*bad));
}

std::string read_file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorpusError("cannot open '" + path.string() + "': " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw CorpusError("cannot read '" + path.string() + "': " + std::strerror(errno));
    return std::move(buffer).str();
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw Error("SHA-256 computation failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace cite::passage
