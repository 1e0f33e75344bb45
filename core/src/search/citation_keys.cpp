#include "cite/search/citation_keys.hpp"

namespace cite::search {

std::shared_ptr<const output::CitationKeys> corpus_citation_keys(const index::IndexReader& reader) {
    return std::make_shared<const output::CitationKeys>(reader.documents());
}

}  // namespace cite::search
