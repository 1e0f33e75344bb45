#pragma once
// The text of a PDF with poppler's C++ API: page by page in reading order (poppler's
// default text mode, as `pdftotext` without -layout, which rejoins words hyphenated at a line
// end), the lines of a block joined into one paragraph, running headers, footers and page
// numbers that repeat across pages dropped; title, author and date from the document
// information dictionary.

#include "cite/analysis/byte_range.hpp"
#include "cite/passage/catalog.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// Names the extraction below; bumped whenever its output for some file changes, so that
/// every PDF is extracted again by the next indexer run.
inline constexpr std::string_view pdf_extractor_version = "pdf-1";

/// One paragraph of a PDF's text layer: a paragraph never crosses a page break, so that every
/// quote in it is on the page it names.
struct PdfParagraph {
    analysis::ByteRange bytes;  ///< into PdfText::text
    std::uint32_t page = 0;     ///< physical page, from 1
};

/// What extract_pdf() finds in a PDF.
struct PdfText {
    /// Paragraphs separated by a blank line; pages separated by a line holding only a form
    /// feed ("\n\f\n"), so that the layer splits into its pages at '\f' as pdftotext's output
    /// does. UTF-8.
    std::string text;
    std::vector<PdfParagraph> paragraphs;  ///< in reading order
    /// Page labels (/PageLabels: "i", "ii" … "1"), index 0 for page 1; empty strings where a
    /// page's label is just its number, and an empty vector when no page has another label.
    std::vector<std::string> page_labels;
    std::size_t pages = 0;
    DocumentMeta meta;  ///< title, author(s) and creation date from the document information
};

/// Limits that keep a hostile PDF bounded in time and memory.
struct PdfLimits {
    std::size_t max_bytes = std::size_t{256} << 20;  ///< larger files are refused
    std::size_t max_pages = 10'000;                  ///< longer documents are refused
};

/// Extracts the text of the PDF `bytes`. Throws CorpusError (without the file name) for a file
/// poppler cannot open ("not a readable PDF"), an encrypted one that does not open without a
/// password, one over the limits, and one without any text ("no text layer: scanned?").
[[nodiscard]] PdfText extract_pdf(std::string_view bytes, const PdfLimits& limits = {});

/// True when `head` (a file's first bytes) starts a PDF ("%PDF-" within its first KiB, as
/// readers accept it).
[[nodiscard]] bool looks_like_pdf(std::string_view head);

}  // namespace cite::passage
