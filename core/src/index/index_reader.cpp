#include "cite/index/index_reader.hpp"

#include "cite/error.hpp"

namespace cite::index {

IndexReader::IndexReader(const std::filesystem::path& db_path) : m_path(db_path) {
    const std::string path = db_path.string();
    std::error_code ec;
    if (!std::filesystem::exists(db_path, ec))
        throw IndexError("no index at '" + path + "'; build it with: indexer --db " + path + " CORPUS");
    try {
        m_db = Xapian::Database(path);
    } catch (const Xapian::Error& e) {
        throw IndexError("cannot open index '" + path + "': " + e.get_description() +
                         "; build it with: indexer --db " + path + " CORPUS");
    }
    const std::string version = m_db.get_metadata(std::string(metadata_key::schema));
    if (version != std::to_string(schema_version))
        throw IndexError("index '" + path + "' has schema version '" + version + "' but this program reads version " +
                         std::to_string(schema_version) + "; re-run: indexer --db " + path + " CORPUS");
}

void IndexReader::reopen() {
    m_db.reopen();
    m_documents.clear();
}

std::optional<FileRecord> IndexReader::file(std::string_view source) const {
    const std::string data = m_db.get_metadata(file_key(source));
    if (data.empty()) return std::nullopt;
    return parse_file_record(data);
}

std::vector<FileRecord> IndexReader::files() const {
    std::vector<FileRecord> out;
    const std::string prefix(metadata_key::file);
    for (auto it = m_db.metadata_keys_begin(prefix); it != m_db.metadata_keys_end(prefix); ++it)
        out.push_back(parse_file_record(m_db.get_metadata(*it)));
    return out;
}

const passage::DocumentMeta& IndexReader::document(const std::string& key) const {
    auto it = m_documents.find(key);
    if (it == m_documents.end()) {
        const std::string data = m_db.get_metadata(document_key(key));
        it = m_documents.emplace(key, data.empty() ? passage::DocumentMeta{} : parse_document_meta(data)).first;
    }
    return it->second;
}

std::vector<passage::AliasGroup> IndexReader::aliases() const {
    return parse_alias_groups(m_db.get_metadata(std::string(metadata_key::aliases)));
}

passage::Passage IndexReader::passage(const Xapian::Document& doc) const { return parse_passage(doc.get_data()); }

}  // namespace cite::index
