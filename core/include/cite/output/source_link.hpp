#pragma once
// Links that open a source's live copy at a quote: a URL text fragment (`#:~:text=`, WICG
// "URL Fragment Text Directives") for a web page, `#page=N` for a PDF.

#include "cite/evidence/evidence.hpp"

#include <string>
#include <string_view>

namespace cite::output {

/// The parts of a text directive, `text=[prefix-,]start[,end][,-suffix]`, not yet encoded;
/// empty parts are left out.
struct TextDirective {
    std::string prefix;
    std::string start;
    std::string end;
    std::string suffix;
    friend bool operator==(const TextDirective&, const TextDirective&) = default;
};

/// Quotes longer than this many characters (code points) are named by their first and last
/// words (textStart,textEnd), as Chrome's "copy link to highlight" does past 300.
inline constexpr std::size_t exact_text_max_chars = 300;
/// How many words of a long quote name its start, and its end.
inline constexpr std::size_t range_words = 5;

/// `text` percent-encoded for one part of a text directive: every byte that is not a
/// TextDirectiveExplicitChar (ASCII letters and digits and `! $ ' ( ) * + . / : ; = ? @ _ ~`)
/// as %XX (upper-case hex of its UTF-8 bytes). `-`, `,` and `&` are therefore encoded: they are
/// the directive's own syntax.
[[nodiscard]] std::string percent_encode_text_directive(std::string_view text);

/// The directive for `quote`: white space collapsed (a browser matches rendered text); a long
/// quote as its first and last `range_words` words; `prefix` and `suffix` (the words around
/// it) only when `repeated` (the quote's text is not unique in the source), the way Chrome
/// adds context only when the text alone would find an earlier occurrence.
[[nodiscard]] TextDirective text_directive(std::string_view quote, std::string_view prefix, std::string_view suffix,
                                           bool repeated);

/// ":~:text=…", each part encoded.
[[nodiscard]] std::string to_fragment_directive(const TextDirective& directive);

/// `url` with the directive as its fragment directive (after the URL's own fragment, if any).
[[nodiscard]] std::string with_text_fragment(std::string_view url, const TextDirective& directive);

/// `url` opening at physical page `page` (the PDF open parameter `#page=N`), replacing any
/// fragment the URL has.
[[nodiscard]] std::string with_page(std::string_view url, std::uint32_t page);

/// The link that opens `hit`'s source at `span`: `#page=N` for a paged source (PDF), a text
/// fragment for any other source with a URL except a DOCX/ODT/EPUB (a browser downloads those);
/// empty when the source has no URL or is such a container.
[[nodiscard]] std::string quote_link(const evidence::CitedHit& hit, const evidence::EvidenceSpan& span);

}  // namespace cite::output
