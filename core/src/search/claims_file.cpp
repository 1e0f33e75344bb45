#include "cite/search/claims_file.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>

namespace cite::search {
namespace {

// The encoding a byte-order mark names, and the mark's length; nullptr for none (UTF-8).
struct Mark {
    const char* encoding;
    std::size_t length;
};

Mark mark_of(std::string_view bytes) {
    // UTF-32LE's mark begins with UTF-16LE's: test it first.
    if (bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4))) return {"UTF-32LE", 4};
    if (bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) return {"UTF-32BE", 4};
    if (bytes.starts_with("\xFF\xFE")) return {"UTF-16LE", 2};
    if (bytes.starts_with("\xFE\xFF")) return {"UTF-16BE", 2};
    if (bytes.starts_with("\xEF\xBB\xBF")) return {nullptr, 3};
    return {nullptr, 0};
}

std::string to_utf8(std::string_view bytes, const char* encoding, const std::string& file) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(encoding, &status), &ucnv_close);
    if (U_FAILURE(status)) throw CorpusError("the claims file '" + file + "': no converter for " + encoding);
    // Stop at the first invalid sequence rather than substitute U+FFFD for it.
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    icu::UnicodeString text;
    const auto length = static_cast<int32_t>(bytes.size());
    const int32_t units = ucnv_toUChars(converter.get(), nullptr, 0, bytes.data(), length, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) status = U_ZERO_ERROR;
    if (U_SUCCESS(status)) {
        UChar* buffer = text.getBuffer(units + 1);
        const int32_t written = ucnv_toUChars(converter.get(), buffer, units + 1, bytes.data(), length, &status);
        text.releaseBuffer(U_SUCCESS(status) ? written : 0);
    }
    if (U_FAILURE(status))
        throw CorpusError("the claims file '" + file + "' is not valid " + encoding + " (its byte-order mark says " +
                          encoding + ")");
    std::string out;
    text.toUTF8String(out);
    return out;
}

}  // namespace

std::vector<ClaimLine> read_claims_file(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorpusError("cannot read the claims file '" + file + "'");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw CorpusError("cannot read the claims file '" + file + "'");
    const Mark mark = mark_of(bytes);
    std::string text = mark.encoding ? to_utf8(std::string_view(bytes).substr(mark.length), mark.encoding, file)
                                     : bytes.substr(mark.length);
    std::vector<ClaimLine> claims;
    std::size_t number = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(at, end - at);
        at = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (const auto bad = analysis::find_invalid_utf8(line))
            throw CorpusError("the claims file '" + file + "', line " + std::to_string(number) +
                              ": invalid UTF-8 at byte " + std::to_string(*bad) +
                              " (save it as UTF-8, or UTF-16 or UTF-32 with a byte-order mark)");
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        claims.push_back({line.substr(first), number});
    }
    if (claims.empty()) throw CorpusError("the claims file '" + file + "' has no claims");
    return claims;
}

}  // namespace cite::search
