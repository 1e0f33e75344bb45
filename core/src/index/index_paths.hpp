#pragma once
// Checks of the paths an indexer run is given, made by every way in (build_index,
// build_shards, build_index_or_shards) before anything is created or written.

#include "cite/index/index_writer.hpp"

namespace cite::index {

/// Throws CorpusError when no input is given, when one does not exist, or when its absolute
/// path is not valid UTF-8: the index stores each file's corpus root and path as text (JSON
/// file records, passage records the reader checks), so no file below it could be stored.
void check_inputs(const IndexOptions& options);

}  // namespace cite::index
