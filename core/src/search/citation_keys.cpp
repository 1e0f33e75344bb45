#include "cite/search/citation_keys.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cite::search {

std::shared_ptr<const output::CitationKeys> corpus_citation_keys(const index::IndexReader& reader) {
    std::vector<std::pair<std::string, passage::DocumentMeta>> documents;
    for (const index::FileRecord& file : reader.files())
        if (file.kind != "jsonl") documents.emplace_back(file.source, reader.document(file.source));
    return std::make_shared<const output::CitationKeys>(std::move(documents));
}

}  // namespace cite::search
