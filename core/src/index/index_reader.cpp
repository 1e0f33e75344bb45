#include "cite/index/index_reader.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/error.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/shard_set.hpp"

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace cite::index {

Xapian::MSet all_matches_in_corpus_order(const Xapian::Database& db, const Xapian::Query& query, double time_limit) {
    Xapian::Enquire enquire(db);
    if (time_limit > 0) enquire.set_time_limit(time_limit);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_sort_by_value(slot::corpus_order, false);
    const Xapian::doccount all = db.get_doccount();
    return enquire.get_mset(0, all, all);
}
namespace {

// Stub files may list stub files; deeper than this is a cycle, or a mistake.
constexpr int max_stub_depth = 8;

// One database to open, found by expanding the locations given.
struct Leaf {
    StubEntry entry;        // Local: its path resolved against the stub that lists it
    std::string top;        // the location it was reached from, for the re-index hint
    std::string listed_in;  // the stub file listing it; empty when given directly
};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const std::string& p : parts) {
        if (!out.empty()) out += separator;
        out += p;
    }
    return out;
}

// "tcp://HOST:PORT" (IPv6: tcp://[ADDR]:PORT) as a stub entry; nullopt when it is no such URL.
std::optional<StubEntry> parse_tcp_location(const std::string& location) {
    constexpr std::string_view scheme = "tcp://";
    if (!location.starts_with(scheme)) return std::nullopt;
    const std::string rest = location.substr(scheme.size());
    std::vector<StubEntry> parsed;
    try {
        parsed = parse_stub("remote " + rest, location);
    } catch (const IndexError&) {
        throw IndexError("'" + location + "' is not a remote database address: expected tcp://HOST:PORT");
    }
    if (parsed.size() != 1 || parsed[0].kind != StubEntry::Kind::RemoteTcp)
        throw IndexError("'" + location + "' is not a remote database address: expected tcp://HOST:PORT");
    return parsed[0];
}

void expand(const std::string& location, const std::string& top, const std::string& listed_in, int depth,
            std::vector<Leaf>& out) {
    if (depth > max_stub_depth)
        throw IndexError("stub files nest more than " + std::to_string(max_stub_depth) + " deep at '" + location +
                         "' (does one list itself?)");
    if (auto remote = parse_tcp_location(location)) {
        out.push_back({std::move(*remote), top, listed_in});
        return;
    }
    const fs::path path(location);
    if (const auto stub = stub_file_of(path)) {
        const std::vector<StubEntry> entries = read_stub(*stub);
        if (entries.empty()) throw IndexError("the stub file '" + stub->string() + "' lists no database");
        for (const StubEntry& entry : entries) {
            if (entry.kind == StubEntry::Kind::Local)
                expand(resolve_stub_path(*stub, entry.path).string(), top, stub->string(), depth + 1, out);
            else
                out.push_back({entry, top, stub->string()});
        }
        return;
    }
    StubEntry local;
    local.path = path;
    out.push_back({std::move(local), top, listed_in});
}

// The same database reached twice would count its passages twice.
std::string identity(const StubEntry& e) {
    if (e.kind != StubEntry::Kind::Local) return e.location();
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(e.path, ec);
    return ec ? e.path.lexically_normal().string() : canonical.string();
}

}  // namespace

IndexReader::IndexReader(const fs::path& db_path) { open({db_path.string()}); }

IndexReader::IndexReader(const std::vector<std::string>& locations, const OpenOptions& options)
    : m_options(options) {
    open(locations);
}

void IndexReader::open(const std::vector<std::string>& locations) {
    if (locations.empty()) throw IndexError("no database given");
    m_path = locations.front();
    m_name = join(locations, ", ");
    std::vector<Leaf> leaves;
    for (const std::string& location : locations) expand(location, location, "", 0, leaves);

    std::set<std::string> seen;
    for (const Leaf& leaf : leaves) {
        const StubEntry& e = leaf.entry;
        const std::string name = e.location();
        if (!seen.insert(identity(e)).second)
            throw IndexError("database '" + name + "' is given twice (directly or through a stub file): its passages "
                             "would count twice");
        const std::string where = leaf.listed_in.empty() ? "" : " (listed in '" + leaf.listed_in + "')";
        const bool direct = leaf.listed_in.empty();
        Shard shard{name, e.kind != StubEntry::Kind::Local, {}};
        std::string failure;
        try {
            switch (e.kind) {
            case StubEntry::Kind::Local: {
                std::error_code ec;
                if (!fs::exists(e.path, ec)) {
                    failure = direct ? "no index at '" + name + "'; build it with: indexer --db " + name + " CORPUS"
                                     : "cannot open shard '" + name + "'" + where + ": no database there";
                    break;
                }
                shard.db = e.backend == "glass" ? Xapian::Database(e.path.string(), Xapian::DB_BACKEND_GLASS)
                                                : Xapian::Database(e.path.string());
                break;
            }
            case StubEntry::Kind::RemoteTcp:
                shard.db = Xapian::Remote::open(e.host, e.port, m_options.remote_timeout_ms, m_options.remote_timeout_ms);
                break;
            case StubEntry::Kind::RemoteProgram:
                shard.db = Xapian::Remote::open(e.program, e.args, m_options.remote_timeout_ms);
                break;
            }
        } catch (const Xapian::Error& x) {
            if (!shard.remote && direct)
                failure = "cannot open index '" + name + "': " + x.get_description() +
                          "; build it with: indexer --db " + name + " CORPUS";
            else
                failure = std::string(shard.remote ? "cannot reach shard '" : "cannot open shard '") + name + "'" +
                          where + ": " + x.get_description();
        }
        if (failure.empty()) {
            std::string version;
            std::string analyzer;
            try {
                version = shard.db.get_metadata(std::string(metadata_key::schema));
                analyzer = shard.db.get_metadata(std::string(metadata_key::analyzer));
            } catch (const Xapian::Error& x) {
                failure = "cannot reach shard '" + name + "'" + where + ": " + x.get_description();
            }
            // A shard of another schema or analyzer is an error even with allow_partial: it is
            // reachable but would answer wrongly, and re-indexing is what fixes it.
            const std::string rerun = shard.remote ? "; re-run the indexer on the database it serves"
                                                   : "; re-run: indexer --db " + leaf.top + " CORPUS";
            if (failure.empty() && version != std::to_string(schema_version))
                throw IndexError("index '" + name + "'" + where + " has schema version '" + version +
                                 "' but this program reads version " + std::to_string(schema_version) + rerun);
            const std::string current = std::to_string(analysis::Analyzer::version);
            if (failure.empty() && analyzer != current)
                throw IndexError("index '" + name + "'" + where + " holds terms of " +
                                 (analyzer.empty() ? "an older analyzer" : "analyzer version '" + analyzer + "'") +
                                 " but this program analyses queries with version " + current + rerun);
        }
        if (!failure.empty()) {
            if (!m_options.allow_partial) throw IndexError(failure);
            m_missing.push_back({name, failure});
            continue;
        }
        m_shards.push_back(std::move(shard));
    }
    if (m_shards.empty()) {
        // Nothing to search: partial results of nothing would only look like "no match".
        throw IndexError(m_missing.size() == 1 ? m_missing.front().reason
                                               : "no database could be opened: " + m_missing.front().reason);
    }
    combine();
}

void IndexReader::combine() {
    m_db = Xapian::Database();
    m_lookup_order.clear();
    for (const Shard& shard : m_shards) m_db.add_database(shard.db);
    for (std::size_t i = 0; i < m_shards.size(); ++i)
        if (!m_shards[i].remote) m_lookup_order.push_back(i);
    for (std::size_t i = 0; i < m_shards.size(); ++i)
        if (m_shards[i].remote) m_lookup_order.push_back(i);
    clear_caches();
}

void IndexReader::clear_caches() {
    m_files.clear();
    m_documents.clear();
    m_aliases.reset();
}

std::vector<std::string> IndexReader::shard_names() const {
    std::vector<std::string> out;
    for (const Shard& shard : m_shards) out.push_back(shard.name);
    return out;
}

bool IndexReader::has_remote_shard() const {
    return std::any_of(m_shards.begin(), m_shards.end(), [](const Shard& s) { return s.remote; });
}

void IndexReader::reopen() {
    // The combined database shares each shard's connection or files: one reopen does all.
    m_db.reopen();
    clear_caches();
}

bool IndexReader::refresh() {
    if (!m_db.reopen()) return false;
    clear_caches();
    return true;
}

bool IndexReader::drop_unreachable_shards() {
    std::vector<Shard> alive;
    std::vector<MissingShard> silent;
    for (Shard& shard : m_shards) {
        if (shard.remote) {
            try {
                shard.db.keep_alive();
                (void)shard.db.get_doccount();
            } catch (const Xapian::Error& e) {
                silent.push_back({shard.name, "shard '" + shard.name + "' stopped answering: " + e.get_description()});
                continue;
            }
        }
        alive.push_back(shard);
    }
    if (silent.empty()) return false;
    if (!m_options.allow_partial) throw IndexError(silent.front().reason);
    if (alive.empty()) throw IndexError("no shard answers any more: " + silent.front().reason);
    m_shards = std::move(alive);
    m_missing.insert(m_missing.end(), silent.begin(), silent.end());
    combine();
    return true;
}

std::optional<IndexReader::Located> IndexReader::locate(std::string_view source) const {
    auto it = m_files.find(source);
    if (it == m_files.end()) {
        std::optional<Located> found;
        const std::string key = file_key(source);
        for (std::size_t i : m_lookup_order) {
            const std::string data = m_shards[i].db.get_metadata(key);
            if (data.empty()) continue;
            found = Located{parse_file_record(data), i};
            break;
        }
        it = m_files.emplace(std::string(source), std::move(found)).first;
    }
    return it->second;
}

std::optional<FileRecord> IndexReader::file(std::string_view source) const {
    auto located = locate(source);
    if (!located) return std::nullopt;
    return std::move(located->record);
}

bool IndexReader::is_remote(std::string_view source) const {
    const auto located = locate(source);
    return located && m_shards[located->shard].remote;
}

std::vector<std::pair<std::string, passage::DocumentMeta>> IndexReader::documents() const {
    std::vector<std::pair<std::string, passage::DocumentMeta>> out;
    std::set<std::string, std::less<>> seen;
    const std::string prefix(metadata_key::document);
    for (const Shard& shard : m_shards) {
        for (auto it = shard.db.metadata_keys_begin(prefix); it != shard.db.metadata_keys_end(prefix); ++it) {
            std::string key = (*it).substr(prefix.size());
            if (seen.insert(key).second) out.emplace_back(std::move(key), parse_document_meta(shard.db.get_metadata(*it)));
        }
    }
    return out;
}

std::vector<FileRecord> IndexReader::files() const {
    std::vector<FileRecord> out;
    std::set<std::string, std::less<>> seen;
    const std::string prefix(metadata_key::file);
    for (const Shard& shard : m_shards) {
        for (auto it = shard.db.metadata_keys_begin(prefix); it != shard.db.metadata_keys_end(prefix); ++it) {
            FileRecord record = parse_file_record(shard.db.get_metadata(*it));
            if (seen.insert(record.source).second) out.push_back(std::move(record));
        }
    }
    return out;
}

const passage::DocumentMeta& IndexReader::document(const std::string& key) const {
    auto it = m_documents.find(key);
    if (it == m_documents.end()) {
        passage::DocumentMeta meta;
        const std::string metadata = document_key(key);
        for (std::size_t i : m_lookup_order) {
            const std::string data = m_shards[i].db.get_metadata(metadata);
            if (data.empty()) continue;
            meta = parse_document_meta(data);
            break;
        }
        it = m_documents.emplace(key, std::move(meta)).first;
    }
    return it->second;
}

std::vector<passage::AliasGroup> IndexReader::aliases() const {
    if (!m_aliases) {
        // Every shard of a set stores the same groups; shards from other sets may add theirs.
        std::vector<passage::AliasGroup> groups;
        for (const Shard& shard : m_shards) add_alias_groups(groups, shard.db.get_metadata(std::string(metadata_key::aliases)));
        m_aliases = std::move(groups);
    }
    return *m_aliases;
}

passage::Passage IndexReader::passage(const Xapian::Document& doc) const { return parse_passage(doc.get_data()); }

}  // namespace cite::index
