#pragma once
// Builds or incrementally updates the passage database from corpus directories and JSONL files.

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cite::index {

struct IndexOptions {
    std::filesystem::path db_path;
    /// Each a directory (its *.txt/*.md files, and catalog.json and aliases.conf if present)
    /// or a .jsonl file.
    std::vector<std::filesystem::path> inputs;
    /// Asked before each file and between the passages of a file; once it returns true the
    /// indexer stops: the file in progress is rolled back (its earlier version stays), what
    /// was finished is committed, no passage of a vanished file is removed, and build_index
    /// returns with IndexSummary::interrupted set. Empty: never stop early. The indexer
    /// sets it from SIGINT/SIGTERM; it must be cheap and safe to call often.
    std::function<bool()> stop_requested = {};
    /// Which files belong in this database, by source path (relative to its corpus root):
    /// the others are left out as if absent, so a shard (shard_set.hpp) holds only its own
    /// files and loses those that belong elsewhere. Empty: every file. Called from the
    /// indexing thread; must not depend on anything but the path.
    std::function<bool(std::string_view source)> include_source = {};
    /// Glob patterns of files to leave out of corpus directories, as if absent (besides each
    /// root's .citeignore): passage/corpus_inputs.hpp.
    std::vector<std::string> exclude = {};
    /// A new single database whose inputs hold at least this many bytes is built by two
    /// writers and merged (build_index_or_shards in shard_set.hpp); build_index ignores it.
    std::uint64_t two_writer_min_bytes = 4ULL << 20;
    /// Whether passages get the terms that find copies of a story (similarity.hpp). Off only to
    /// measure what they cost (tests/bench/build_cost.cpp): such an index finds no copies.
    bool similarity_terms = true;
};

struct IndexProgress {
    std::size_t files_done = 0;
    std::size_t files_total = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t passages_written = 0;
    double seconds = 0;
};

struct IndexSummary {
    std::size_t files_added = 0;
    std::size_t files_updated = 0;
    std::size_t files_unchanged = 0;
    std::size_t files_removed = 0;
    std::size_t files_skipped = 0;       ///< unreadable or not text: reported as warnings
    std::size_t records_skipped = 0;     ///< bad JSONL lines: reported as warnings
    /// Files of kinds no reader takes (source_reader.hpp): not indexed, not an error.
    std::vector<std::string> unsupported;
    std::uint64_t passages_written = 0;  ///< by this run
    std::uint64_t passages_total = 0;    ///< in the database afterwards
    std::uint64_t bytes_read = 0;
    double seconds = 0;
    /// A directory (or part of one) could not be listed: reported as a warning; its files
    /// keep their passages, and no passage of a vanished file is removed.
    bool listing_incomplete = false;
    bool interrupted = false;  ///< stopped early by IndexOptions::stop_requested
    std::string rolled_back;   ///< interrupted: the file whose change was abandoned, if any
    /// Interrupted: files this run did not finish (the rolled-back one included); they are
    /// as the last run left them.
    std::size_t files_not_reached = 0;

    [[nodiscard]] bool clean() const {
        return files_skipped == 0 && records_skipped == 0 && !listing_incomplete && !interrupted;
    }
};

/// Receives what the indexer has to say while it runs; the front end decides how to show it.
class IndexObserver {
  public:
    virtual ~IndexObserver() = default;
    /// A file or record that was skipped, or a listing problem. `where` names the file (and
    /// line or byte offset where it applies).
    virtual void warning(const std::string& where, const std::string& message) = 0;
    /// Called after each file.
    virtual void progress(const IndexProgress& progress) = 0;
};

/// Brings the database at options.db_path in line with the inputs: new and changed files
/// are (re)indexed, unchanged ones (same content hash, catalog entry and analyzer) are left
/// alone, and files no longer present in any input lose their passages. Each file's change is
/// one Xapian transaction, and commits happen only between files, so an indexer killed at any
/// moment leaves a consistent index. Bad files are reported to `observer` and skipped (their
/// earlier passages stay). A stop request (IndexOptions::stop_requested) ends the run early
/// but cleanly: see there.
/// The alias groups of all inputs replace those stored before.
/// Throws CorpusError when an input, its catalog or its alias file is missing or unusable
/// (nothing is changed then) and
/// IndexError when the database cannot be opened (e.g. another indexer holds its lock) or
/// written.
IndexSummary build_index(const IndexOptions& options, IndexObserver& observer);

/// The analyzer version a reader must require of `db` (metadata_key::analyzer): the oldest
/// any of its files was indexed with, analysis::Analyzer::version if it holds none.
[[nodiscard]] int oldest_analyzer_version(const Xapian::Database& db);

}  // namespace cite::index
