#pragma once
// The main text and metadata of a saved web page: libxml2's HTML parser, then a content-scoring
// extractor after Mozilla Readability's (text and comma density, link density, class and id
// hints, joining of sibling blocks). Navigation, headers, footers, asides, scripts, forms,
// share and related blocks are left out.

#include "cite/analysis/byte_range.hpp"
#include "cite/passage/catalog.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// Names the extraction below; bumped whenever its output for some page changes, so that
/// every page is extracted again by the next indexer run.
inline constexpr std::string_view html_extractor_version = "html-1";

/// What extract_html() finds in a page.
struct HtmlPage {
    /// The main text as a browser renders it: entities decoded, white space collapsed, one
    /// paragraph per block element (p, h1-h6, li, blockquote, pre, figcaption, td...),
    /// paragraphs separated by a blank line, `<br>` a line break. UTF-8.
    std::string text;
    std::vector<analysis::ByteRange> paragraphs;  ///< into `text`, in order
    /// From JSON-LD, citation_*, Dublin Core, OpenGraph/article:*, <title> and the canonical
    /// link; empty fields when the page does not say.
    DocumentMeta meta;
    std::string byline;  ///< the byline as the page shows it (meta.authors holds names)
};

/// Limits that keep a hostile page bounded in time and memory.
struct HtmlLimits {
    std::size_t max_bytes = std::size_t{64} << 20;  ///< larger pages are refused
};

/// Extracts the article of `html` (UTF-8). Never throws for any input but one over
/// limits.max_bytes (CorpusError); a page without text gives an empty `text`.
[[nodiscard]] HtmlPage extract_html(std::string_view html, const HtmlLimits& limits = {});

/// True when `head` (a file's first bytes) looks like an HTML or XHTML document.
[[nodiscard]] bool looks_like_html(std::string_view head);

}  // namespace cite::passage
