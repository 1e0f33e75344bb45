#pragma once
// The text of documents that are zip containers of XML: DOCX (word/document.xml, then
// footnotes and endnotes; docProps/core.xml), ODT (content.xml; meta.xml) and EPUB
// (META-INF/container.xml → the OPF package → its spine's XHTML chapters in order, each
// through the HTML extractor; the OPF metadata). libzip reads the container, libxml2 the XML.
// A zip bomb is refused by entry count, declared size and compression ratio before inflating.

#include "cite/analysis/byte_range.hpp"
#include "cite/passage/catalog.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// Names the extraction below; bumped whenever its output for some file changes.
inline constexpr std::string_view container_extractor_version = "container-2";

/// What the readers below make of a document.
struct ContainerText {
    /// Paragraphs separated by a blank line, UTF-8; a paragraph's own line breaks are '\n'.
    std::string text;
    std::vector<analysis::ByteRange> paragraphs;  ///< into `text`, in reading order
    DocumentMeta meta;
    /// EPUB: the chapter of each paragraph (index as in `paragraphs`): its spine item, from 1
    /// in spine order (items marked linear="no" are neither read nor counted); empty for
    /// DOCX and ODT. A paragraph never crosses a chapter: each is its own XHTML document.
    std::vector<std::uint32_t> paragraph_chapters;
    /// EPUB: each chapter's title (index chapter - 1): its entry in the table of contents
    /// (EPUB 3 nav, else the NCX), else its first heading; empty when it has none.
    std::vector<std::string> chapter_titles;
};

/// Limits that keep a hostile container bounded in time and memory; checked on the zip's
/// directory before anything is inflated, and again while inflating (a directory may lie).
struct ZipLimits {
    std::size_t max_bytes = std::size_t{256} << 20;        ///< of the zip file itself
    std::size_t max_entries = 10'000;                      ///< entries in the directory
    std::size_t max_entry_bytes = std::size_t{64} << 20;   ///< inflated size of one part read
    std::size_t max_total_bytes = std::size_t{512} << 20;  ///< declared inflated size of all entries
    std::size_t max_ratio = 100;  ///< inflated/compressed, for entries inflating to over 1 MiB
};

/// The kinds of container read here.
enum class ContainerKind { docx, odt, epub };

/// Extracts the text and metadata of the container `bytes` of kind `kind`. Throws CorpusError
/// (without the file name) for a file that is not a zip archive, a zip over the limits ("zip
/// bomb?"), or one without the parts its kind needs, or without any text.
[[nodiscard]] ContainerText extract_container(std::string_view bytes, ContainerKind kind, const ZipLimits& limits = {});

/// The kind of container `head` (a file's first bytes) is by its mimetype entry (EPUB, ODT)
/// or, for a zip archive without one, by the file name's extension; false when neither says.
[[nodiscard]] bool container_kind(std::string_view file_name, std::string_view head, ContainerKind& kind);

}  // namespace cite::passage
