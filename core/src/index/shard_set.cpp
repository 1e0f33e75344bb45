#include "cite/index/shard_set.hpp"
#include "directory_lock.hpp"
#include "index_paths.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/error.hpp"
#include "cite/index/compact.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/source_text.hpp"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

namespace fs = std::filesystem;

namespace cite::index {

std::uint64_t stable_hash(std::string_view bytes) {
    // FNV-1a, 64 bit: offset basis and prime from the FNV specification.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::size_t shard_of(std::string_view source, std::size_t shard_count) {
    return static_cast<std::size_t>(stable_hash(source) % shard_count);
}

std::string StubEntry::location() const {
    switch (kind) {
    case Kind::Local: return path.string();
    case Kind::RemoteTcp:
        return "tcp://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    case Kind::RemoteProgram: return "prog:" + program + (args.empty() ? "" : " " + args);
    }
    return path.string();
}

std::optional<fs::path> stub_file_of(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (fs::is_regular_file(status)) return path;
    if (fs::is_directory(status)) {
        fs::path stub = path / stub_directory_file;
        // A glass database wins, as in Xapian's Database(path).
        if (!fs::exists(path / "iamglass", ec) && fs::is_regular_file(stub, ec)) return stub;
    }
    return std::nullopt;
}

namespace {

std::optional<unsigned> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    unsigned port = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + static_cast<unsigned>(c - '0');
    }
    if (port == 0 || port > 65535) return std::nullopt;
    return port;
}

}  // namespace

std::vector<StubEntry> parse_stub(std::string_view text, const std::string& origin) {
    std::vector<StubEntry> entries;
    passage::for_each_line(text, [&](std::size_t line_no, std::string_view line) {
        if (line.empty() || line[0] == '#') return;
        const std::size_t space = std::min(line.find(' '), line.size());
        const std::string_view type = line.substr(0, space);
        const std::string_view rest = space < line.size() ? line.substr(space + 1) : std::string_view{};
        StubEntry entry;
        bool good = false;
        if ((type == "auto" || type == "glass") && !rest.empty()) {
            entry.kind = StubEntry::Kind::Local;
            entry.backend = std::string(type);
            entry.path = std::string(rest);
            good = true;
        } else if (type == "remote" && !rest.empty()) {
            if (rest[0] == ':') {
                // `remote :PROGRAM ARGS`, as Xapian splits it: the program up to the first space.
                const std::size_t sp = rest.find(' ');
                entry.kind = StubEntry::Kind::RemoteProgram;
                entry.program = std::string(rest.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1));
                if (sp != std::string_view::npos) entry.args = std::string(rest.substr(sp + 1));
                good = !entry.program.empty();
            } else if (const std::size_t colon = rest.rfind(':');
                       colon != std::string_view::npos && !(rest.front() == '[' && rest.back() == ']')) {
                std::string_view host = rest.substr(0, colon);
                if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
                const auto port = parse_port(rest.substr(colon + 1));
                entry.kind = StubEntry::Kind::RemoteTcp;
                entry.host = std::string(host);
                entry.port = port.value_or(0);
                good = port.has_value() && !host.empty();
            }
        }
        // Like Xapian, name the line but do not echo it: the file may not be a stub at all.
        if (!good) throw IndexError(origin + ":" + std::to_string(line_no) + ": not a database line of a stub file");
        entries.push_back(std::move(entry));
    });
    return entries;
}

std::vector<StubEntry> read_stub(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IndexError("cannot read the stub file '" + file.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_stub(text.str(), file.string());
}

std::string stub_text(const std::vector<StubEntry>& entries, std::string_view comment) {
    std::string out;
    passage::for_each_line(comment, [&](std::size_t, std::string_view line) {
        out += "# ";
        out += line;
        out += '\n';
    });
    for (const StubEntry& e : entries) {
        switch (e.kind) {
        case StubEntry::Kind::Local: out += e.backend + " " + e.path.string(); break;
        case StubEntry::Kind::RemoteTcp:
            out += "remote " + (e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host) + ":" +
                   std::to_string(e.port);
            break;
        case StubEntry::Kind::RemoteProgram:
            out += "remote :" + e.program + (e.args.empty() ? "" : " " + e.args);
            break;
        }
        out += '\n';
    }
    return out;
}

fs::path resolve_stub_path(const fs::path& stub_file, const fs::path& entry_path) {
    if (entry_path.is_absolute()) return entry_path;
    return stub_file.parent_path() / entry_path;
}

fs::path shard_path(const fs::path& db, std::size_t shard) { return db / ("shard-" + std::to_string(shard)); }

namespace {

// The stub the indexer writes for a set of `count` shards.
std::vector<StubEntry> set_entries(std::size_t count) {
    std::vector<StubEntry> entries;
    for (std::size_t k = 0; k < count; ++k) {
        StubEntry e;
        e.path = "shard-" + std::to_string(k);
        entries.push_back(std::move(e));
    }
    return entries;
}

}  // namespace

std::size_t existing_shard_count(const fs::path& db) {
    std::error_code ec;
    if (!fs::is_directory(db, ec)) return 0;  // nothing yet, or a stub file: a single database to Xapian
    const auto stub = stub_file_of(db);
    if (!stub) return 0;
    const std::vector<StubEntry> entries = read_stub(*stub);
    if (entries.size() < 2 || entries != set_entries(entries.size()))
        throw IndexError("'" + db.string() + "' is a stub directory listing other databases; the indexer updates only " +
                         "shard sets it built (indexer --shards N): index each listed database on its own");
    return entries.size();
}

namespace {

// The shards' observers funnel into the front end's one: warnings once each (every shard lists
// the same directories, so listing problems come N times), progress summed over the shards.
class SharedObserver {
  public:
    SharedObserver(IndexObserver& target, std::size_t shards)
        : m_target(target), m_progress(shards), m_start(std::chrono::steady_clock::now()) {}

    void warning(const std::string& where, const std::string& message) {
        const std::lock_guard lock(m_mutex);
        if (m_warned.insert(where + '\n' + message).second) m_target.warning(where, message);
    }

    void progress(std::size_t shard, const IndexProgress& p) {
        const std::lock_guard lock(m_mutex);
        m_progress[shard] = p;
        IndexProgress sum;
        for (const IndexProgress& s : m_progress) {
            sum.files_done += s.files_done;
            sum.files_total += s.files_total;
            sum.bytes_read += s.bytes_read;
            sum.passages_written += s.passages_written;
        }
        sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        m_target.progress(sum);
    }

  private:
    std::mutex m_mutex;
    IndexObserver& m_target;
    std::vector<IndexProgress> m_progress;
    std::set<std::string> m_warned;
    std::chrono::steady_clock::time_point m_start;
};

class ShardObserver : public IndexObserver {
  public:
    ShardObserver(SharedObserver& shared, std::size_t shard) : m_shared(shared), m_shard(shard) {}
    void warning(const std::string& where, const std::string& message) override { m_shared.warning(where, message); }
    void progress(const IndexProgress& p) override { m_shared.progress(m_shard, p); }

  private:
    SharedObserver& m_shared;
    std::size_t m_shard;
};

void add_into(IndexSummary& total, const IndexSummary& s) {
    total.files_added += s.files_added;
    total.files_updated += s.files_updated;
    total.files_unchanged += s.files_unchanged;
    total.files_removed += s.files_removed;
    total.files_skipped += s.files_skipped;
    total.records_skipped += s.records_skipped;
    total.unsupported.insert(total.unsupported.end(), s.unsupported.begin(), s.unsupported.end());
    total.passages_written += s.passages_written;
    total.passages_total += s.passages_total;
    total.bytes_read += s.bytes_read;
    total.listing_incomplete = total.listing_incomplete || s.listing_incomplete;
    total.interrupted = total.interrupted || s.interrupted;
    if (!s.rolled_back.empty()) total.rolled_back += (total.rolled_back.empty() ? "" : ", ") + s.rolled_back;
    total.files_not_reached += s.files_not_reached;
}

// Creates the empty shards, then the stub listing them (written to a temporary file and
// renamed, so a reader never sees half a stub).
void create_set(const fs::path& db, std::size_t shard_count) {
    for (std::size_t k = 0; k < shard_count; ++k) {
        const fs::path path = shard_path(db, k);
        try {
            Xapian::WritableDatabase shard(path.string(), Xapian::DB_CREATE_OR_OPEN);
            shard.set_metadata(std::string(metadata_key::schema), std::to_string(schema_version));
            shard.set_metadata(std::string(metadata_key::analyzer), std::to_string(analysis::Analyzer::version));
            shard.commit();
        } catch (const Xapian::DatabaseLockError&) {
            throw lock_error(path, path);
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot create shard '" + path.string() + "': " + e.get_description());
        }
    }
    const fs::path stub = db / stub_directory_file;
    const fs::path temporary = db / (std::string(stub_directory_file) + ".new");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << stub_text(set_entries(shard_count),
                         "cite shard set: " + std::to_string(shard_count) +
                             " shards; a file's shard is FNV-1a 64 of its path modulo " +
                             std::to_string(shard_count) + " (indexer --shards " + std::to_string(shard_count) + ")");
        out.flush();
        if (!out) throw IndexError("cannot write the stub file '" + stub.string() + "'");
    }
    std::error_code ec;
    fs::rename(temporary, stub, ec);
    if (ec) throw IndexError("cannot write the stub file '" + stub.string() + "': " + ec.message());
}

// build_shards' checks of options.db_path, before anything is created: how many shards the set
// there has (0: none yet).
std::size_t check_set_path(const fs::path& db, std::size_t shard_count) {
    const std::size_t existing = existing_shard_count(db);
    std::error_code ec;
    if (existing == 0 && fs::exists(db, ec)) {
        const bool empty_dir = fs::is_directory(db, ec) && fs::is_empty(db, ec);
        bool only_shards = fs::is_directory(db, ec) && !fs::exists(db / "iamglass", ec);
        // What a first run that stopped before writing the stub leaves: carry on from there.
        if (only_shards)
            for (const auto& entry : fs::directory_iterator(db, ec)) {
                const std::string name = entry.path().filename().string();
                only_shards = only_shards && (name.starts_with("shard-") || name == std::string(stub_directory_file) + ".new");
            }
        if (!empty_dir && !only_shards)
            throw IndexError("'" + db.string() + "' holds a single database, not a shard set; build the " +
                             std::to_string(shard_count) + " shards into another --db (or remove it first)");
    }
    if (existing != 0 && existing != shard_count)
        throw IndexError("'" + db.string() + "' is a set of " + std::to_string(existing) + " shards, not " +
                         std::to_string(shard_count) + ": give --shards " + std::to_string(existing) +
                         " (changing the number of shards needs a new --db)");
    return existing;
}

// The rest of build_shards, for a caller that holds the lock on options.db_path.
IndexSummary build_locked_set(const IndexOptions& options, std::size_t shard_count, std::size_t existing,
                              IndexObserver& observer, std::size_t jobs) {
    const fs::path& db = options.db_path;
    if (existing == 0) create_set(db, shard_count);

    const auto start = std::chrono::steady_clock::now();
    SharedObserver shared(observer, shard_count);
    std::vector<IndexSummary> summaries(shard_count);
    std::vector<std::exception_ptr> errors(shard_count);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t k = next++; k < shard_count; k = next++) {
            IndexOptions shard = options;
            shard.db_path = shard_path(db, k);
            shard.include_source = [k, shard_count](std::string_view source) {
                return shard_of(source, shard_count) == k;
            };
            ShardObserver shard_observer(shared, k);
            try {
                summaries[k] = build_index(shard, shard_observer);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        }
    };
    if (jobs == 0) jobs = std::max(1U, std::thread::hardware_concurrency());
    const std::size_t threads = std::min(jobs, shard_count);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();  // this thread is one of the workers
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);

    IndexSummary total;
    for (const IndexSummary& s : summaries) add_into(total, s);
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return total;
}

}  // namespace

IndexSummary build_shards(const IndexOptions& options, std::size_t shard_count, IndexObserver& observer,
                          std::size_t jobs) {
    if (shard_count < 2) throw IndexError("a shard set needs at least 2 shards");
    const fs::path& db = options.db_path;
    // As build_index: a mistyped corpus or database path must not create anything.
    check_inputs(options);
    check_database_path(options);
    const std::size_t existing = check_set_path(db, shard_count);
    std::error_code ec;
    fs::create_directories(db, ec);
    if (ec) throw IndexError("cannot create '" + db.string() + "': " + ec.message());
    const DirectoryLock lock(db);
    return build_locked_set(options, shard_count, existing, observer, jobs);
}

namespace {

// Bytes of the inputs' files, counted until `enough`: is a new database worth two writers?
std::uint64_t input_bytes(const IndexOptions& options, std::uint64_t enough) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const fs::path& input : options.inputs) {
        if (fs::is_directory(input, ec)) {
            for (const passage::CorpusFile& f : passage::list_corpus_directory(input).files) {
                total += fs::file_size(f.path, ec);
                if (ec) ec.clear();
                if (total >= enough) return total;
            }
        } else {
            total += fs::file_size(input, ec);
            if (ec) ec.clear();
        }
    }
    return total;
}

fs::path staging_path(const fs::path& db) { return fs::path(db.string() + ".staging"); }

// The lock of a first build of `db`: on DB.staging, since DB does not exist until the end; a
// second indexer is told that `db`, the database it was given, is locked. The folder is
// created first; a first build that finishes removes it, and if it goes between the two steps
// it is created once more (the caller then finds DB in place).
DirectoryLock lock_staging(const fs::path& staging, const fs::path& db) {
    for (int attempt = 1;; ++attempt) {
        std::error_code ec;
        fs::create_directories(staging, ec);
        if (ec) throw IndexError("cannot create '" + staging.string() + "': " + ec.message());
        try {
            return DirectoryLock(staging, db);
        } catch (const IndexError&) {
            if (attempt == 2 || fs::exists(staging, ec)) throw;
        }
    }
}

// Two shards in DB.staging, built on two threads, then merged into DB (see the header). The
// lock is held from before the shards are built until DB is in place: a second indexer let in
// between used to merge into the same folder as the first (DatabaseCorruptError for both).
IndexSummary build_with_two_writers(const IndexOptions& options, IndexObserver& observer) {
    const auto start = std::chrono::steady_clock::now();
    IndexOptions staged = options;
    staged.db_path = staging_path(options.db_path);
    const DirectoryLock lock = lock_staging(staged.db_path, options.db_path);
    std::error_code ec;
    if (fs::exists(options.db_path, ec)) {
        // Another indexer finished the first build after this one looked: update DB in place.
        fs::remove(staged.db_path, ec);  // only if empty, as this run left it
        return build_index(options, observer);
    }
    IndexSummary summary = build_locked_set(staged, 2, check_set_path(staged.db_path, 2), observer, 2);
    if (summary.interrupted) return summary;  // the next run carries on in DB.staging
    const std::string target = options.db_path.string();
    // Merged inside the staging folder, then renamed into place: a merge cut short leaves no
    // half-written DB, only the staging folder, and the next run merges again.
    const fs::path merged = staged.db_path / "merged";
    fs::remove_all(merged, ec);
    try {
        compact_database(Xapian::Database((staged.db_path / stub_directory_file).string()), merged, target);
    } catch (const Xapian::Error& e) {  // opening the staged set; compact_database names `target` itself
        throw IndexError("cannot merge '" + staged.db_path.string() + "' into '" + target + "': " + e.get_description());
    }
    fs::rename(merged, options.db_path, ec);
    if (ec) throw IndexError("cannot move the merged database to '" + target + "': " + ec.message());
    fs::remove_all(staged.db_path, ec);
    if (ec) observer.warning(staged.db_path.string(), "merged into '" + target + "' but not removed: " + ec.message());
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace

IndexSummary build_index_or_shards(const IndexOptions& options, std::size_t shard_count, IndexObserver& observer) {
    // Before DB.staging is created, or the inputs are measured.
    check_inputs(options);
    check_database_path(options);
    const std::size_t existing = existing_shard_count(options.db_path);
    if (shard_count == 0) shard_count = existing;
    if (shard_count >= 2) return build_shards(options, shard_count, observer);
    if (existing >= 2)
        throw IndexError("'" + options.db_path.string() + "' is a set of " + std::to_string(existing) +
                         " shards: give --shards " + std::to_string(existing) +
                         ", or build a single database into another --db");
    std::error_code ec;
    const bool fresh = !fs::exists(options.db_path, ec);
    const bool resume = fresh && fs::exists(staging_path(options.db_path), ec);
    if (resume || (fresh && std::thread::hardware_concurrency() >= 2 &&
                   input_bytes(options, options.two_writer_min_bytes) >= options.two_writer_min_bytes))
        return build_with_two_writers(options, observer);
    return build_index(options, observer);
}

}  // namespace cite::index
