#pragma once
// Sharded indexes: which shard a file belongs to, the stub file that lists a set of databases
// (Xapian's own stub-database format, so every Xapian tool opens the set by one path), and
// building the shards of one corpus in parallel. Searching them together is IndexReader's job.

#include "cite/index/index_writer.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cite::index {

/// FNV-1a (64 bit) of the bytes: the stable hash that assigns files to shards. It never
/// changes between runs, machines or versions, so a file stays in its shard and incremental
/// re-indexing works shard by shard.
[[nodiscard]] std::uint64_t stable_hash(std::string_view bytes);

/// The shard (0-based) of a source path, its path relative to the corpus root as stored in
/// the index: stable_hash(source) modulo shard_count. Requires shard_count >= 1.
[[nodiscard]] std::size_t shard_of(std::string_view source, std::size_t shard_count);

/// One database listed in a stub file.
struct StubEntry {
    enum class Kind {
        Local,          ///< `auto PATH` or `glass PATH`
        RemoteTcp,      ///< `remote HOST:PORT` (xapian-tcpsrv)
        RemoteProgram,  ///< `remote :PROGRAM ARGS` (xapian-progsrv over a pipe)
    };
    Kind kind = Kind::Local;
    std::string backend = "auto";  ///< Local: "auto" or "glass"
    std::filesystem::path path;    ///< Local: as written (relative to the stub file's folder)
    std::string host;              ///< RemoteTcp: name or address, without IPv6 brackets
    unsigned port = 0;             ///< RemoteTcp
    std::string program;           ///< RemoteProgram
    std::string args;              ///< RemoteProgram: one string, as Xapian takes it

    /// How the searcher names it: the path, `tcp://HOST:PORT`, or `prog:PROGRAM ARGS`.
    [[nodiscard]] std::string location() const;
    friend bool operator==(const StubEntry&, const StubEntry&) = default;
};

/// The file name Xapian looks for inside a directory given as a database ("stub directory").
inline constexpr std::string_view stub_directory_file = "XAPIANDB";

/// The stub file `path` stands for: `path` itself when it is a regular file, path/XAPIANDB
/// when it is a directory holding one; nullopt for a plain database directory or nothing.
[[nodiscard]] std::optional<std::filesystem::path> stub_file_of(const std::filesystem::path& path);

/// Parses stub-file text as Xapian 1.4 does: one database per line, `auto PATH`,
/// `glass PATH`, `remote HOST:PORT` (IPv6 as `[ADDR]:PORT`) or `remote :PROGRAM ARGS`; blank
/// lines and lines starting with '#' are skipped. Throws IndexError naming `origin` and the
/// line number for any other line (not its text, as Xapian: it may not be a stub at all).
[[nodiscard]] std::vector<StubEntry> parse_stub(std::string_view text, const std::string& origin);

/// Reads and parses a stub file. Throws IndexError.
[[nodiscard]] std::vector<StubEntry> read_stub(const std::filesystem::path& file);

/// Stub-file text for `entries`, after `comment` (each of its lines prefixed with "# ").
[[nodiscard]] std::string stub_text(const std::vector<StubEntry>& entries, std::string_view comment);

/// A local path of a stub entry, resolved as Xapian resolves it: relative to the folder of
/// the stub file.
[[nodiscard]] std::filesystem::path resolve_stub_path(const std::filesystem::path& stub_file,
                                                      const std::filesystem::path& entry_path);

/// The shard set the indexer builds at DB (`indexer --shards N --db DB`): DB is a directory,
/// DB/XAPIANDB lists `auto shard-0` ... `auto shard-<N-1>`, and each DB/shard-K is an
/// ordinary database holding the files with shard_of(source, N) == K.
[[nodiscard]] std::filesystem::path shard_path(const std::filesystem::path& db, std::size_t shard);

/// How many shards the indexer's set at `db` has; 0 when `db` is no shard set (a single
/// database, or nothing yet). Throws IndexError when `db` is a stub listing anything else:
/// the indexer updates only the sets it built.
[[nodiscard]] std::size_t existing_shard_count(const std::filesystem::path& db);

/// Builds or updates the shard set at options.db_path with `shard_count` (>= 2) shards, each
/// by build_index with IndexOptions::include_source selecting its files, on up to `jobs`
/// threads (0: one per processor core, at most one per shard). The stub is written when the
/// set is created, after its empty shards, so the set always opens. Everything build_index
/// promises holds per shard; the summary adds the shards' up (seconds: wall time).
/// Throws CorpusError when an input is missing (before anything is created), IndexError when
/// db_path holds a single database or a set of another size, when another indexer is
/// writing to the set, or when a shard fails (the first error; the other shards finish).
IndexSummary build_shards(const IndexOptions& options, std::size_t shard_count, IndexObserver& observer,
                          std::size_t jobs = 0);

/// What the indexer runs: build_shards when `shard_count` >= 2 or db_path already is a shard
/// set (0: keep its size), else a single database: by build_index, except that a new one
/// whose inputs hold at least IndexOptions::two_writer_min_bytes, on a machine with two or more
/// cores, is built as two shards in DB.staging on two threads and then merged into DB by
/// Xapian's compaction. One Xapian writer keeps one core busy, and the merge is a sequential
/// pass; the result is an ordinary (compacted) database, updated by build_index from then on.
/// A stopped or killed new build leaves DB.staging, and the next run carries on with it.
/// `shard_count` 1 asks for a single database.
IndexSummary build_index_or_shards(const IndexOptions& options, std::size_t shard_count, IndexObserver& observer);

}  // namespace cite::index
