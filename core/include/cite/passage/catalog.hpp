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
    std::string url;              ///< where the document is published (a web page's canonical URL)
    std::string doi;              ///< e.g. 10.1000/xyz123, without "https://doi.org/"

    friend bool operator==(const DocumentMeta&, const DocumentMeta&) = default;
};

void to_json(nlohmann::json& j, const DocumentMeta& meta);
/// Reads the fields above; "authors" may be a string or an array, "author" is accepted too.
/// Throws nlohmann::json::exception on wrong types.
void from_json(const nlohmann::json& j, DocumentMeta& meta);

/// `catalog.json` at a corpus root: {"format_version": 1, "files": {"<source>": {...}}}.
class Catalog {
  public:
    static constexpr const char* file_name = "catalog.json";

    /// Parses the catalog file. Throws CorpusError naming the file on bad JSON or types.
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
