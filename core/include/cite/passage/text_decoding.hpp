#pragma once
// Finding the encoding of a text file or web page that is not UTF-8, and converting it to
// UTF-8 for analysis (README "Sources"; docs/sources.md).

#include <string>
#include <string_view>

namespace cite::passage {

/// Text converted to UTF-8, and how its encoding was found.
struct DecodedText {
    std::string utf8;      ///< the text in UTF-8, without a byte-order mark
    std::string encoding;  ///< the encoding read ("UTF-8", "ISO-8859-1", "UTF-16LE", ...)
    std::string found_by;  ///< "utf-8", "byte-order mark", "declared", "detected"
};

/// The lowest confidence (0-100) of ICU's charset detector at which a guess is used.
inline constexpr int detection_confidence_floor = 50;

/// Decodes `bytes`: UTF-8 (valid, or with a UTF-8 byte-order mark) as it is; a UTF-16/32
/// byte-order mark; else the encoding `declared` (an HTML meta charset, may be empty) if ICU
/// knows it; else the encoding ICU's detector names with at least detection_confidence_floor,
/// unless the text it gives holds control characters (C1, SUB) or U+FFFD: a wrong guess.
/// Throws CorpusError (without the file name) when the encoding cannot be determined with
/// confidence, or the bytes hold a NUL byte in an 8-bit encoding (binary data).
[[nodiscard]] DecodedText decode_text(std::string_view bytes, std::string_view declared = {});

/// The charset an HTML page declares in its first 4 KiB (`<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`), lower case; empty if none.
[[nodiscard]] std::string declared_html_charset(std::string_view bytes);

}  // namespace cite::passage
