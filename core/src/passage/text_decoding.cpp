#include "cite/passage/text_decoding.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace cite::passage {
namespace {

// Converts with ICU; nullopt when ICU does not know the encoding. Bytes that are not valid
// in it become U+FFFD (ICU's default substitution): the file is still read.
std::optional<std::string> convert(std::string_view bytes, const std::string& encoding) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, decltype(&ucnv_close)> from(ucnv_open(encoding.c_str(), &status), ucnv_close);
    if (U_FAILURE(status) || !from) return std::nullopt;
    std::unique_ptr<UConverter, decltype(&ucnv_close)> to(ucnv_open("UTF-8", &status), ucnv_close);
    if (U_FAILURE(status) || !to) return std::nullopt;
    std::string out(bytes.size() * 3 + 16, '\0');  // a UTF-16 unit or a byte gives at most 3 bytes
    char* target = out.data();
    const char* source = bytes.data();
    ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source, bytes.data() + bytes.size(),
                   nullptr, nullptr, nullptr, nullptr, true, true, &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(target - out.data()));
    if (out.starts_with("\xEF\xBB\xBF")) out.erase(0, 3);  // a byte-order mark ICU passed on
    return out;
}

DecodedText converted(std::string_view bytes, const std::string& encoding, const char* found_by) {
    if (auto text = convert(bytes, encoding)) return {std::move(*text), encoding, found_by};
    throw CorpusError("cannot convert its text from " + encoding);
}

bool eight_bit(std::string_view encoding) {
    const std::string e = analysis::ascii_lower(encoding);
    return !e.starts_with("utf-16") && !e.starts_with("utf-32") && !e.starts_with("ucs");
}

}  // namespace

std::string declared_html_charset(std::string_view bytes) {
    const std::string head = analysis::ascii_lower(bytes.substr(0, 4096));
    for (std::size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 5)) {
        const std::size_t end = head.find('>', at);
        const std::string_view tag = std::string_view(head).substr(at, end == std::string::npos ? end : end - at);
        const std::size_t cs = tag.find("charset");
        if (cs == std::string_view::npos) continue;
        std::size_t i = cs + 7;
        while (i < tag.size() && (tag[i] == ' ' || tag[i] == '=' || tag[i] == '"' || tag[i] == '\'')) ++i;
        std::size_t j = i;
        while (j < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[j])) || tag[j] == '-' || tag[j] == '_' ||
                                  tag[j] == ':' || tag[j] == '.'))
            ++j;
        if (j > i) return std::string(tag.substr(i, j - i));
    }
    return {};
}

DecodedText decode_text(std::string_view bytes, std::string_view declared) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    else if (bytes.starts_with(std::string_view("\xFF\xFE\0\0", 4))) return converted(bytes, "UTF-32LE", "byte-order mark");
    else if (bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4))) return converted(bytes, "UTF-32BE", "byte-order mark");
    else if (bytes.starts_with("\xFF\xFE")) return converted(bytes, "UTF-16LE", "byte-order mark");
    else if (bytes.starts_with("\xFE\xFF")) return converted(bytes, "UTF-16BE", "byte-order mark");
    const auto bad = analysis::find_invalid_utf8(bytes);
    if (!bad) return {std::string(bytes), "UTF-8", "utf-8"};
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
        throw CorpusError("binary data (NUL byte at byte offset " + std::to_string(nul) + ")");
    // A page that declares UTF-8 but is not: the declaration is wrong, so detect instead.
    if (!declared.empty() && analysis::ascii_lower(declared) != "utf-8" && analysis::ascii_lower(declared) != "utf8")
        if (auto text = convert(bytes, std::string(declared))) return {std::move(*text), std::string(declared), "declared"};

    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status), ucsdet_close);
    const auto length = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), 1U << 20));
    ucsdet_setText(detector.get(), bytes.data(), length, &status);
    const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
    const std::string where = "invalid UTF-8 at byte offset " + std::to_string(*bad);
    if (U_FAILURE(status) || !match) throw CorpusError(where + ", and its encoding cannot be determined");
    const char* name = ucsdet_getName(match, &status);
    const int32_t confidence = ucsdet_getConfidence(match, &status);
    if (U_FAILURE(status) || !name) throw CorpusError(where + ", and its encoding cannot be determined");
    const std::string encoding = name;
    if (confidence < detection_confidence_floor || analysis::ascii_lower(encoding) == "utf-8" || !eight_bit(encoding))
        throw CorpusError(where + ", and its encoding cannot be determined with confidence (best guess " + encoding +
                          ", " + std::to_string(confidence) + "%)");
    DecodedText decoded = converted(bytes, encoding, "detected");
    // A guess that turns bytes into control characters or replacement characters is wrong:
    // text does not hold C1 controls (U+0080..U+009F), SUB or U+FFFD.
    const std::string& t = decoded.utf8;
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        const auto c = static_cast<unsigned char>(t[i]);
        const auto d = static_cast<unsigned char>(t[i + 1]);
        const bool c1 = c == 0xC2 && d >= 0x80 && d <= 0x9F;
        const bool replacement = c == 0xEF && d == 0xBF && i + 2 < t.size() && static_cast<unsigned char>(t[i + 2]) == 0xBD;
        if (c1 || replacement || c == 0x1A)
            throw CorpusError(where + ", and its encoding cannot be determined (as " + encoding +
                              " it would hold control characters)");
    }
    return decoded;
}

}  // namespace cite::passage
