#pragma once
// The citation keys of an indexed corpus (output::CitationKeys), read from the index's file
// and document records, for the citation formats to name each source uniquely.

#include "cite/index/index_reader.hpp"
#include "cite/output/citation_key.hpp"

#include <memory>

namespace cite::search {

/// Keys for every document of every shard of `reader` (its metadata as indexed): text files
/// and JSONL records, unique across the corpus.
[[nodiscard]] std::shared_ptr<const output::CitationKeys> corpus_citation_keys(const index::IndexReader& reader);

}  // namespace cite::search
