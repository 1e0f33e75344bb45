#pragma once
// Read access to the passage databases: opening one database, or several shards searched as
// one (local directories, stub files listing them, remote servers), with schema checks; file
// and document records looked up in whichever shard holds them.

#include "cite/index/schema.hpp"

#include <xapian.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cite::index {

/// How to open a set of databases.
struct OpenOptions {
    /// Search the shards that can be opened when some cannot, each listed in
    /// IndexReader::missing(), instead of failing. At least one must open.
    bool allow_partial = false;
    /// Remote shards: how long to wait for the connection, and then for each reply.
    unsigned remote_timeout_ms = 10000;
};

/// A shard that could not be opened (OpenOptions::allow_partial) or stopped answering.
struct MissingShard {
    std::string name;    ///< its path, or tcp://HOST:PORT
    std::string reason;  ///< the whole message an error would have given
};

/// Asks for all the documents of `mset` at once: one round trip per remote shard instead of
/// one per document (nothing changes for local ones). Xapian 1.4.22's MSet::fetch() without
/// arguments crashes when the MSet does not start at rank 0; the iterator form does not.
inline void prefetch(Xapian::MSet& mset) {
    if (!mset.empty()) mset.fetch(mset.begin(), mset.end());
}

/// Every passage matching `query`, in corpus order (file, then position; slot::corpus_order),
/// unweighted: what the exhaustive modes and the fact table walk through. Not prefetched.
/// `time_limit` > 0: Xapian's time limit in seconds (the list may then be incomplete; the
/// caller gives up on its request).
[[nodiscard]] Xapian::MSet all_matches_in_corpus_order(const Xapian::Database& db, const Xapian::Query& query,
                                                       double time_limit = 0);

class IndexReader {
  public:
    /// Opens one database read-only (a directory, or a stub file listing shards). Throws
    /// IndexError saying how to build it when it is missing, and to re-index when its schema
    /// version differs.
    explicit IndexReader(const std::filesystem::path& db_path);

    /// Opens several databases as one collection (Xapian's multi-database search: global
    /// term statistics, one ranking). Each location is a database directory, a stub file (or
    /// stub directory) listing databases, expanded recursively, or `tcp://HOST:PORT` for a
    /// database served by xapian-tcpsrv. Every shard must have this program's schema version.
    /// Throws IndexError naming the shard that cannot be opened (unless allow_partial), that
    /// has another schema version, or that is given twice.
    IndexReader(const std::vector<std::string>& locations, const OpenOptions& options);

    /// All shards as one database: what queries run on.
    [[nodiscard]] const Xapian::Database& database() const { return m_db; }
    /// The first location given (the only one, usually).
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    /// The locations as given, joined by ", ": how results name the database.
    [[nodiscard]] const std::string& name() const { return m_name; }
    /// The shards that are searched: each one's name (path or tcp://HOST:PORT).
    [[nodiscard]] std::vector<std::string> shard_names() const;
    /// Shards left out (OpenOptions::allow_partial), in the order they were given.
    [[nodiscard]] const std::vector<MissingShard>& missing() const { return m_missing; }
    [[nodiscard]] bool has_remote_shard() const;

    /// Re-opens at the latest committed revision (after Xapian::DatabaseModifiedError).
    void reopen();
    /// Moves to the latest committed revision if there is a newer one (true), keeping the
    /// caches otherwise: what a long-lived reader calls before each request.
    bool refresh();

    /// After a Xapian::NetworkError: asks every remote shard whether it still answers. With
    /// allow_partial the silent ones are moved to missing() and the rest searched as one (true:
    /// try again); otherwise throws IndexError naming the first silent shard. False when every
    /// shard still answers (the error was something else).
    bool drop_unreachable_shards();

    /// The file's record, from whichever shard holds it (looked up once, then cached).
    [[nodiscard]] std::optional<FileRecord> file(std::string_view source) const;
    /// True when the file's record comes from a remote shard: the file may well not be on
    /// this machine, so freshness cannot be checked here.
    [[nodiscard]] bool is_remote(std::string_view source) const;
    /// Every file record of every shard (a source held by two shards: the first one's).
    [[nodiscard]] std::vector<FileRecord> files() const;
    /// Every document of every shard, text files and JSONL records alike, by document key
    /// (Passage::document_key), with its metadata as indexed (the first shard's, as files()).
    [[nodiscard]] std::vector<std::pair<std::string, passage::DocumentMeta>> documents() const;
    /// Metadata of a document (`Passage::document_key()`); empty fields when unknown.
    [[nodiscard]] const passage::DocumentMeta& document(const std::string& key) const;
    [[nodiscard]] passage::Passage passage(const Xapian::Document& doc) const;
    [[nodiscard]] Xapian::doccount passage_count() const { return m_db.get_doccount(); }
    /// The alias groups stored by the indexer (empty when the corpus has none): those of
    /// every shard, each distinct group once, in shard order.
    [[nodiscard]] std::vector<passage::AliasGroup> aliases() const;

  private:
    struct Shard {
        std::string name;
        bool remote = false;
        Xapian::Database db;
    };
    struct Located {
        FileRecord record;
        std::size_t shard = 0;
    };
    void open(const std::vector<std::string>& locations);
    void combine();
    void clear_caches();
    [[nodiscard]] std::optional<Located> locate(std::string_view source) const;

    OpenOptions m_options;
    std::filesystem::path m_path;
    std::string m_name;
    std::vector<Shard> m_shards;
    std::vector<std::size_t> m_lookup_order;  ///< local shards first: lookups are cheap there
    std::vector<MissingShard> m_missing;
    Xapian::Database m_db;
    mutable std::map<std::string, std::optional<Located>, std::less<>> m_files;
    mutable std::map<std::string, passage::DocumentMeta, std::less<>> m_documents;
    mutable std::optional<std::vector<passage::AliasGroup>> m_aliases;
};

}  // namespace cite::index
