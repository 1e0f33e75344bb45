#pragma once
// The citation keys of an indexed corpus (output::CitationKeys), read from the index's file
// and document records, for the citation formats to name each source uniquely.

#include "cite/index/index_reader.hpp"
#include "cite/output/citation_key.hpp"

#include <memory>

namespace cite::search {

/// Keys for every file of every shard of `reader` (its metadata as indexed). JSONL
/// records are not listed, since the index keeps no list of them: a record's key is its
/// citation_key_base(), made unique within each output (output::Bibliography).
[[nodiscard]] std::shared_ptr<const output::CitationKeys> corpus_citation_keys(const index::IndexReader& reader);

}  // namespace cite::search
