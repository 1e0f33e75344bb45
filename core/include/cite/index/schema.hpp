#pragma once
// The on-disk contract between indexer and searcher: term prefixes, metadata keys, and the
// records stored as document data and metadata. Change any of it only with a version bump.
//
// Units, once for the whole project: offsets are 0-based UTF-8 byte offsets, half-open
// [begin, end); paragraph, line and word-position numbers are 1-based.

#include "cite/passage/alias_file.hpp"
#include "cite/passage/catalog.hpp"
#include "cite/passage/passage.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cite::index {

/// Bumped whenever the layout below changes; a reader refuses other versions.
/// 2: quantity terms. 3: the passage record is binary, not JSON. 4: similarity signatures,
/// story band terms and copy-passage terms (similarity.hpp). 5: cased word terms (XC:). 6: language and script terms,
/// transliteration keys (docs/languages.md). 7: the document's date in value slots (date filter
/// and sort). 8: 20 story bands of 2 bins, named by 32 bits.
inline constexpr int schema_version = 8;

/// Xapian term prefixes, after Omega's conventions (docs/termprefixes.rst).
namespace prefix {
inline constexpr std::string_view unique = "Q";      ///< Q<document key>#<ordinal>: one per passage
inline constexpr std::string_view source = "P";      ///< P<source>: every passage of a file
inline constexpr std::string_view stem = "Z";        ///< Z<stem>, or Z<field prefix><stem>
inline constexpr std::string_view title = "S";       ///< words of the document title
inline constexpr std::string_view author = "A";      ///< words of the author names
inline constexpr std::string_view publisher = "XPUB";  ///< words of publisher and container
/// Quantities (analysis/quantity.hpp): XQ<unit>:<value> per value (both ends of a range),
/// XV:<value> whatever the unit, XU<unit> for "has a quantity in this unit" (range queries).
/// A bare count has the unit "n".
inline constexpr std::string_view quantity = "XQ";
inline constexpr std::string_view quantity_value = "XV";
inline constexpr std::string_view quantity_unit = "XU";
/// XB<hash>: one of a document's LSH band terms, on its first passage (similarity.hpp).
inline constexpr std::string_view story_band = "XB";
/// XH<hash>: a paragraph's words, on every passage long enough to count as a copy.
inline constexpr std::string_view copy_passage = "XH";
/// XC:<word as written>: a word with a capital letter, with its case (analysis::Token::cased),
/// at the word's position, for case-sensitive search ("XC:US" is not the pronoun "us"); after a
/// field prefix in fields ("SXC:WHO"). Never stemmed. Its wdf is 0 (positions only): count
/// its occurrences by positions.
inline constexpr std::string_view cased = "XC:";
/// XL<language>: the passage's language, "en", "ru", "kk", ... or "und" (analysis/language.hpp).
inline constexpr std::string_view language = "XL";
/// XS<script>: the script of most of the passage's letters, "Latn", "Cyrl" or "Other".
inline constexpr std::string_view script = "XS";
/// XT<key>: a capitalised word's transliteration key, at the word's position, so phrases and
/// NEAR hold across scripts (analysis/transliteration.hpp).
inline constexpr std::string_view transliteration = "XT";
}  // namespace prefix

/// The term of a cased word form: prefix::cased + `cased`.
[[nodiscard]] inline std::string cased_term(std::string_view cased) {
    return std::string(prefix::cased) + std::string(cased);
}

/// Keys of Xapian metadata entries.
namespace metadata_key {
inline constexpr std::string_view schema = "cite.schema_version";
/// analysis::Analyzer::version of the terms: a reader refuses others, since a query analysed
/// differently from the text would silently miss (v5 stems "neighbours" as "neighbor").
inline constexpr std::string_view analyzer = "cite.analyzer_version";
inline constexpr std::string_view file = "cite.file:";      ///< + source -> FileRecord
inline constexpr std::string_view document = "cite.doc:";   ///< + document key -> DocumentMeta
inline constexpr std::string_view aliases = "cite.aliases";  ///< alias groups of all corpus roots
}  // namespace metadata_key

/// Value slots.
namespace slot {
/// Corpus order: source, record and ordinal, so sorting by it gives file-then-position order.
inline constexpr unsigned corpus_order = 0;
/// The document's MinHash signature, on its first passage only (similarity.hpp).
inline constexpr unsigned signature = 1;
/// The first and the last day the document's date covers (passage::day_span), YYYYMMDD, on
/// every passage of a dated document; none on others. `date:` ranges compare both, --sort date
/// sorts by the first.
inline constexpr unsigned date_first = 2;
inline constexpr unsigned date_last = 3;
}  // namespace slot

/// One indexed input file (a text file, or a whole JSONL file).
struct FileRecord {
    std::string source;        ///< relative path, the P term and metadata key
    std::string root;          ///< absolute corpus root at index time; file = root/source
    std::string kind;          ///< SourceReader::kind(): "text", "jsonl", "html", ...
    std::string sha256;        ///< of the file's bytes when indexed
    std::uint64_t bytes = 0;   ///< file size when indexed
    std::uint32_t passages = 0;
    std::uint32_t documents = 0;  ///< 1 for text files; records for JSONL
    std::string signature;     ///< what must change for the file to be re-indexed (FileSignature)
    /// A source read through a derived text layer (passage/source_reader.hpp): the layer's
    /// sha256 and the extractor that made it; empty for files whose bytes are the text.
    std::string layer_sha256;
    std::string extractor;

    friend bool operator==(const FileRecord&, const FileRecord&) = default;
};

/// Keys and terms longer than Xapian's limit (245 bytes) are shortened with a hash, so that
/// deep paths still index; short ones are kept as they are, readable.
[[nodiscard]] std::string bounded(std::string_view prefix_or_key, std::string_view value);

/// The unit as it appears in quantity terms ("n" for a bare count).
[[nodiscard]] std::string quantity_unit_name(std::string_view unit);
[[nodiscard]] std::string quantity_term(std::string_view unit, double value);
[[nodiscard]] std::string quantity_value_term(double value);
[[nodiscard]] std::string quantity_unit_term(std::string_view unit);

[[nodiscard]] std::string unique_term(const passage::Passage& p);
[[nodiscard]] std::string source_term(std::string_view source);
[[nodiscard]] std::string file_key(std::string_view source);
[[nodiscard]] std::string document_key(std::string_view document);
/// The slot::corpus_order value: sorts by source, then record, then ordinal.
[[nodiscard]] std::string corpus_order_value(const passage::Passage& p);

/// Document data: the passage as a binary record. Numbers are unsigned LEB128 in their
/// shortest form; strings are their length (a number) and their UTF-8 bytes:
///   format byte (1), ordinal, line, bytes.begin, bytes.size(), source, record ("" for text
///   files), text; a passage with a page (PDF) has format byte 2 and, after its text, page and
///   page_label; one with a chapter (EPUB) format byte 3 and, after its text, chapter and
///   chapter_title.
/// parse_passage throws IndexError on any record serialize_passage could not have written
/// (a text as long as its byte range among them); serialize_passage requires such a passage.
[[nodiscard]] std::string serialize_passage(const passage::Passage& p);
[[nodiscard]] passage::Passage parse_passage(std::string_view data);

/// The records stored as JSON (file records, alias groups, document records): the serialize_
/// functions throw IndexError for a string that is not UTF-8 (JSON cannot hold it), naming the
/// path for a file record; the parse_ functions throw IndexError for a damaged record.
[[nodiscard]] std::string serialize_file_record(const FileRecord& r);
[[nodiscard]] FileRecord parse_file_record(std::string_view data);

/// Alias groups as a JSON array of arrays of names.
[[nodiscard]] std::string serialize_alias_groups(const std::vector<passage::AliasGroup>& groups);
[[nodiscard]] std::vector<passage::AliasGroup> parse_alias_groups(std::string_view data);
/// Adds the stored groups `data` to `groups`, each group once: the groups of several databases.
void add_alias_groups(std::vector<passage::AliasGroup>& groups, std::string_view data);

[[nodiscard]] std::string serialize_document_meta(const passage::DocumentMeta& m);
[[nodiscard]] passage::DocumentMeta parse_document_meta(std::string_view data);

}  // namespace cite::index
