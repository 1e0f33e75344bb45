#pragma once
// Bibliographic metadata of corpus documents: corpus/catalog.json, JSONL record fields,
// or a title derived from the text.

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// What a citation says about a document. Unknown fields stay empty.
struct DocumentMeta {
    std::string title;
    std::vector<std::string> authors;
    std::string publisher;
    std::string container_title;  ///< journal or site name
    std::string date;             ///< as given: YYYY, YYYY-MM or YYYY-MM-DD
    // Citation fields (docs/citations.md). `{}`: brace-initialised metas that predate them
    // need not name them (-Wmissing-field-initializers).
    std::string url{};              ///< where the document was found
    std::string doi{};              ///< "10.…", without a resolver prefix
    std::string accessed{};         ///< when `url` was read: YYYY, YYYY-MM or YYYY-MM-DD
    std::string language{};         ///< a BCP 47 tag such as "en" or "en-GB"
    std::string type{};             ///< a CSL item type ("article-newspaper", "report", …)
    std::string id{};               ///< the citation key to use; empty: one is derived

    friend bool operator==(const DocumentMeta&, const DocumentMeta&) = default;
};

/// The six citation fields from url to id are written only when set, so that a record without
/// them serializes as it did before they existed.
void to_json(nlohmann::json& j, const DocumentMeta& meta);
/// Reads the fields above; "authors" may be a string or an array, "author" is accepted too;
/// "container-title" and "URL"/"DOI" (CSL spellings) are accepted for container_title, url
/// and doi. Throws CorpusError naming the field on a wrong type, a "type" that is not a CSL
/// item type, or an "id" that cannot be a citation key (citation_key.hpp).
void from_json(const nlohmann::json& j, DocumentMeta& meta);

/// Whether `key` may be a citation key everywhere we write one (pandoc `@key`, BibTeX, RIS):
/// ASCII letters, digits and `_`, with `-`, `:`, `.` and `/` allowed only between two of
/// those (pandoc ends a key at a trailing or doubled punctuation mark). At most 100 bytes.
[[nodiscard]] bool is_valid_citation_key(std::string_view key);

/// Whether `type` is one of the item types of CSL 1.0.2 ("article-newspaper", "report", …).
[[nodiscard]] bool is_csl_type(std::string_view type);

/// `catalog.json` at a corpus root: {"format_version": 1, "files": {"<source>": {...}}}.
class Catalog {
  public:
    static constexpr const char* file_name = "catalog.json";

    /// Parses the catalog file. Throws CorpusError naming the file on bad JSON or types, and on
    /// an "id" given to two entries.
    [[nodiscard]] static Catalog load(const std::filesystem::path& file);

    /// Metadata for a source path relative to the corpus root, or nullptr.
    [[nodiscard]] const DocumentMeta* find(std::string_view source) const;
    [[nodiscard]] std::size_t size() const { return m_entries.size(); }

  private:
    std::map<std::string, DocumentMeta, std::less<>> m_entries;
};

/// The first non-blank line of `text`, trimmed, cut to at most 200 bytes on a character
/// boundary: the title of a document the catalog does not describe.
[[nodiscard]] std::string derive_title(std::string_view text);

}  // namespace cite::passage
