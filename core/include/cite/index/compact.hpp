#pragma once
// Merging databases into one compact database with Xapian's compaction, so that the result
// still says truthfully which analyzer made its terms, and holds each file once.

#include <xapian.h>

#include <filesystem>
#include <vector>

namespace cite::index {

/// Writes the passages of `sources` (databases, or stub files listing a set's shards) into a
/// new compact database at `dest`, which must not exist. It appears only when complete
/// (written beside it, then renamed), so a merge cut short leaves nothing at `dest`.
/// Throws IndexError, naming what is wrong, when `dest` exists, a source cannot be opened
/// (remote shards are compacted where they are served), the sources have different schema
/// versions, or a file is indexed in two sources (its passages would be there twice).
/// The result's analyzer version is the oldest any of its files was indexed with, as the
/// indexer stores it, so the searcher refuses it until those files are re-indexed; its alias
/// groups are those of all sources.
void compact_databases(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& dest);

/// The same for a set already open, written directly at `dest` (compact_databases' temporary
/// directory, or the indexer's merge of its two writers' shards); errors name `named`, the
/// database the user asked for.
void compact_database(Xapian::Database set, const std::filesystem::path& dest, const std::filesystem::path& named);

}  // namespace cite::index
