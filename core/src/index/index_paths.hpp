#pragma once
// Checks of the paths an indexer run is given, made by every way in (build_index,
// build_shards, build_index_or_shards) before anything is created or written.

#include "cite/index/index_writer.hpp"

namespace cite::index {

/// Throws CorpusError when no input is given, when one does not exist, or when its absolute
/// path is not valid UTF-8: the index stores each file's corpus root and path as text (JSON
/// file records, passage records the reader checks), so no file below it could be stored.
void check_inputs(const IndexOptions& options);

/// Throws IndexError when options.db_path is a corpus root given as an input, or inside one (the
/// database would be written among the articles), or an existing directory that holds neither
/// a database nor only what Xapian and the indexer write (a folder of other files, e.g. a
/// corpus given as --db). An empty directory is taken, as are the leftovers of a run killed
/// before its first commit.
void check_database_path(const IndexOptions& options);

}  // namespace cite::index
