#pragma once
// The source-reader seam: one reader per kind of input file (plain text and Markdown, JSON
// Lines, saved web pages...), each turning a file into documents of passages, their metadata,
// and the text that the passages' byte ranges refer to. The writer (index/index_writer.cpp)
// only sees SourceContent; adding a kind of source is adding a reader here.

#include "cite/passage/catalog.hpp"
#include "cite/passage/container_extractor.hpp"
#include "cite/passage/passage.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// One file to read: where it is, how it is cited, and the catalog of its corpus root.
struct SourceFile {
    std::filesystem::path path;
    std::string source;                ///< relative to the corpus root, '/'-separated
    const Catalog* catalog = nullptr;  ///< its corpus root's catalog.json, if any
};

/// One document of a file: the file itself, or one JSONL record.
struct SourceDocument {
    std::string key;  ///< Passage::document_key() of its passages
    DocumentMeta meta;
    std::vector<Passage> passages;
};

/// A bad part of a file that was left out while the rest was read (a JSONL line).
struct RecordError {
    std::size_t line = 0;  ///< 1-based
    std::string message;
};

/// What a reader makes of a file.
struct SourceContent {
    std::string kind;         ///< the reader's kind: "text", "jsonl", ...
    std::string sha256;       ///< of the file's bytes as read: decides re-indexing and freshness
    std::uint64_t bytes = 0;  ///< the file's size as read
    /// The derived UTF-8 text the passages' byte ranges refer to, when the file is not itself
    /// that text (a web page, a PDF, a text file in a legacy encoding); empty when the ranges
    /// point into the file's own bytes (UTF-8 text) or into JSONL records' "text".
    std::string layer;
    /// Names the extraction that made `layer` ("html-1"): a new one re-extracts every file
    /// of its kind. Empty when there is no layer.
    std::string extractor;
    std::vector<SourceDocument> documents;
    std::vector<RecordError> record_errors;
};

/// Reads one kind of file. Readers are stateless and may be used from several threads.
class SourceReader {
  public:
    virtual ~SourceReader() = default;
    /// The kind stored in the file record ("text", "jsonl", ...).
    [[nodiscard]] virtual std::string_view kind() const = 0;
    /// Reads and splits `file`. Throws CorpusError (message without the file name, which the
    /// caller adds) when the file cannot be read or is not of this kind after all; a bad part
    /// that leaves the rest usable is reported in SourceContent::record_errors instead.
    [[nodiscard]] virtual SourceContent read(const SourceFile& file) const = 0;
};

/// SourceContent::extractor of a text file converted from another encoding to UTF-8.
inline constexpr std::string_view decoded_text_extractor = "decode-1";

/// The reader of plain text and Markdown files (UTF-8, or another encoding converted): passages are the file's paragraphs,
/// byte ranges point into the file.
[[nodiscard]] const SourceReader& text_reader();

/// The reader of a JSON Lines corpus file: one document per record, byte ranges into the
/// record's "text".
[[nodiscard]] const SourceReader& jsonl_reader();

/// The reader of saved web pages (HTML, XHTML): the article's text (html_extractor.hpp) is
/// the derived layer, one passage per block.
[[nodiscard]] const SourceReader& html_reader();

/// The reader of PDF files (pdf_extractor.hpp): the text layer page by page, one passage per
/// paragraph, each with its page.
[[nodiscard]] const SourceReader& pdf_reader();

/// The reader of DOCX, ODT or EPUB files (container_extractor.hpp): one passage per paragraph.
[[nodiscard]] const SourceReader& container_reader(ContainerKind kind);

/// The reader for a file found in a corpus directory, chosen by its content (the first bytes,
/// `head`) and then by its name; nullptr when no reader takes it (an unsupported kind).
[[nodiscard]] const SourceReader* reader_for(std::string_view file_name, std::string_view head);

/// reader_for() on the file's first bytes. Throws CorpusError when it cannot be read.
[[nodiscard]] const SourceReader* reader_for_file(const std::filesystem::path& path);

/// The text `file`'s passages' byte ranges refer to, as the indexer reads it: the derived
/// layer, or the file's own bytes when it is UTF-8 text. `indexer --extract` prints it.
/// Throws CorpusError naming the file when it cannot be read or is of no supported kind, or
/// is a JSONL file (its records' "text" fields are their own text).
[[nodiscard]] std::string text_layer(const std::filesystem::path& file);

/// The metadata of a single document file as the indexer reads it (without a catalog).
/// Throws as text_layer() does.
[[nodiscard]] DocumentMeta document_metadata(const std::filesystem::path& file);

/// Passages of `text` split into paragraphs (paragraph_splitter.hpp) from byte `start`, with
/// source `source`, record `record`, and lines counted when `with_lines` (text read as is).
[[nodiscard]] std::vector<Passage> paragraph_passages(std::string_view text, std::size_t start,
                                                      const std::string& source, const std::string& record,
                                                      bool with_lines);

}  // namespace cite::passage
