#pragma once
// Read access to a passage database: opening with schema checks, file and document records.

#include "cite/index/schema.hpp"

#include <xapian.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cite::index {

class IndexReader {
  public:
    /// Opens the database read-only. Throws IndexError saying how to build it when it is
    /// missing, and to re-index when its schema version differs.
    explicit IndexReader(const std::filesystem::path& db_path);

    [[nodiscard]] const Xapian::Database& database() const { return m_db; }
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

    /// Re-opens at the latest committed revision (after Xapian::DatabaseModifiedError).
    void reopen();

    [[nodiscard]] std::optional<FileRecord> file(std::string_view source) const;
    [[nodiscard]] std::vector<FileRecord> files() const;
    /// Metadata of a document (`Passage::document_key()`); empty fields when unknown.
    [[nodiscard]] const passage::DocumentMeta& document(const std::string& key) const;
    [[nodiscard]] passage::Passage passage(const Xapian::Document& doc) const;
    [[nodiscard]] Xapian::doccount passage_count() const { return m_db.get_doccount(); }
    /// The alias groups stored by the indexer (empty when the corpus has none).
    [[nodiscard]] std::vector<passage::AliasGroup> aliases() const;

  private:
    std::filesystem::path m_path;
    Xapian::Database m_db;
    mutable std::map<std::string, passage::DocumentMeta, std::less<>> m_documents;
};

}  // namespace cite::index
