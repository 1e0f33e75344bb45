#pragma once
// indexer's command line: argv -> IndexConfig.

#include "cite/index/index_writer.hpp"

#include <optional>

namespace indexer {

struct IndexConfig {
    cite::index::IndexOptions index;
    bool quiet = false;
    /// --shards N: 0 (not given) keeps what the database is, 1 a single database, N >= 2 a
    /// shard set (cite/index/shard_set.hpp).
    std::size_t shards = 0;
    /// --merge: the inputs are databases, merged into a new compact database at db_path
    /// (cite/index/compact.hpp) instead of being indexed.
    bool merge = false;
    /// --watch: after the first run, stay running and index again whenever the corpus changes
    /// (cite/passage/corpus_watcher.hpp), until SIGINT or SIGTERM.
    bool watch = false;
    /// --poll SECONDS (with --watch): poll the corpus instead of inotify; 0 when not given.
    double poll_seconds = 0;
    /// --verbose: list the files of unsupported kinds, not only their count.
    bool verbose = false;
    /// --extract FILE: print the text layer of FILE (what passages' byte ranges refer to)
    /// instead of indexing.
    std::string extract;
    /// --extract-metadata FILE: print FILE's metadata as the indexer reads it, as JSON.
    std::string extract_metadata;
};

/// The checked configuration, or nullopt when --help or --version was printed to `out`.
/// Throws cite::UsageError.
std::optional<IndexConfig> parse_options(int argc, const char* const* argv, std::ostream& out);

}  // namespace indexer
