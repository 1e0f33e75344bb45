#include "cite/index/index_writer.hpp"
#include "bounded_queue.hpp"
#include "directory_lock.hpp"
#include "index_paths.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/index/document_builder.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/similarity.hpp"
#include "cite/index/file_signature.hpp"
#include "cite/passage/alias_file.hpp"
#include "cite/passage/corpus_inputs.hpp"
#include "cite/passage/source_reader.hpp"
#include "cite/passage/source_text.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <variant>

namespace fs = std::filesystem;

namespace cite::index {
namespace {

using Unit = passage::InputFile;
using passage::SourceDocument;

// Commit after this much new work, always at a file boundary: bounds memory and the work an
// interrupted run repeats, without a commit per file (which is slow for many small files).
constexpr std::uint64_t commit_every_passages = 20000;
constexpr std::uint64_t commit_every_bytes = 64ULL << 20;
// Passages between Xapian's flushes of pending postings: see use_small_flushes().
constexpr unsigned flush_every_passages = 300;
// A file with this many passages is written after a commit, in chunks, and can be abandoned
// part way (Writer::write_file); smaller ones are analysed before their transaction and
// written whole.
constexpr std::uint32_t large_file_passages = 1000;

// The oldest schema and analyzer versions any stored file was indexed with, in one pass over
// the file records; the current ones if there are none.
struct Versions {
    int schema = schema_version;
    int analyzer = analysis::Analyzer::version;
};

// The day a file is indexed, UTC, as YYYY-MM-DD: a web source's access date when its metadata
// gives none (the text indexed is the text read that day). Read per file, as a --watch run
// outlives its first day. SOURCE_DATE_EPOCH, the reproducible-builds convention, fixes it.
std::string indexing_date() {
    std::chrono::sys_seconds now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        char* end = nullptr;
        const long long seconds = std::strtoll(epoch, &end, 10);
        if (*end == '\0' && seconds >= 0) now = std::chrono::sys_seconds(std::chrono::seconds(seconds));
    }
    const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return text;
}

Versions oldest_versions(const Xapian::Database& db) {
    Versions oldest;
    const std::string prefix(metadata_key::file);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
        const FileSignature signature = FileSignature::parse(parse_file_record(db.get_metadata(*it)).signature);
        oldest.schema = std::min(oldest.schema, signature.schema);
        oldest.analyzer = std::min(oldest.analyzer, signature.analyzer);
    }
    return oldest;
}

// One write of a file's change, in the order the writer applies them: a passage, or a
// document's metadata record after its passages.
struct DocumentRecord {
    std::string key;
    std::string value;
};
using WriteOp = std::variant<Xapian::Document, DocumentRecord>;

// What the preparing thread hands the writer for a file: the decision with the first chunk,
// then the file's writes, in one chunk or, for a large file, several.
struct PreparedChunk {
    enum class Action { Skip, Unsupported, Unchanged, Index };
    std::size_t unit = 0;  // into the writer's units
    Action action = Action::Index;
    bool large = false;    // written in chunks: see large_file_passages
    bool last = true;
    bool replaces_earlier = false;  // the database has an older version of the file
    bool root_changed = false;      // Unchanged, but found under another corpus root
    FileRecord record;
    std::string record_value;  // serialize_file_record(record), made before any transaction
    // Skip: why. In a later chunk of a large file: its analysis failed, the file is skipped.
    std::string skip_reason;
    std::vector<std::pair<std::string, std::string>> warnings;  // where, message
    std::size_t records_skipped = 0;
    std::vector<WriteOp> writes;
};

// Passages per chunk of a large file, and the text in flight between the two threads: enough
// to keep the writer busy, little enough that a large corpus never sits in memory.
constexpr std::size_t chunk_passages = 256;
constexpr std::size_t text_in_flight = 4ULL << 20;

// Reads, checks, splits and analyses files on its own thread, so that the analysis runs
// beside the single Xapian writer instead of before it. It decides from the file records
// stored before the run whether a file changed; the writer owns the database.
class Preparer {
  public:
    Preparer(const std::vector<Unit>& units, const std::map<std::string, FileRecord, std::less<>>& stored,
             BoundedQueue<PreparedChunk>& queue, bool similarity_terms)
        : m_units(units), m_stored(stored), m_queue(queue), m_similarity_terms(similarity_terms) {}

    // The thread's body: never throws; a failure is kept for failure() and ends the output.
    void run() noexcept {
        try {
            for (std::size_t i = 0; i < m_units.size(); ++i)
                if (!prepare(i)) break;  // the writer stopped
        } catch (...) {
            m_failure = std::current_exception();
        }
        m_queue.finish();
    }

    [[nodiscard]] std::exception_ptr failure() const { return m_failure; }

  private:
    // False when the writer no longer listens.
    bool prepare(std::size_t index) {
        const Unit& unit = m_units[index];
        PreparedChunk chunk;
        chunk.unit = index;
        passage::SourceContent content;
        try {
            const passage::SourceReader* reader =
                unit.jsonl ? &passage::jsonl_reader() : passage::reader_for_file(unit.path);
            if (!reader) {
                chunk.action = PreparedChunk::Action::Unsupported;
                return m_queue.push(std::move(chunk), 0);
            }
            content = reader->read(passage::SourceFile{unit.path, unit.source, unit.catalog});
        } catch (const CorpusError& e) {
            return skip(std::move(chunk), e.what());
        }
        for (const passage::RecordError& error : content.record_errors) {
            chunk.warnings.emplace_back(unit.path.string() + ":" + std::to_string(error.line),
                                        "record skipped: " + error.message);
            ++chunk.records_skipped;
        }
        std::vector<SourceDocument>& documents = content.documents;
        // Serialised here, on this thread: a record that cannot be stored skips its file, where
        // inside the writer's transaction it would abort the run and lose the pending files.
        try {
            std::string meta_json;
            for (const SourceDocument& doc : documents) meta_json += serialize_document_meta(doc.meta);
            chunk.record = FileRecord{unit.source, unit.root, content.kind, content.sha256, content.bytes, 0,
                                      static_cast<std::uint32_t>(documents.size()),
                                      FileSignature::current(content.sha256, meta_json, content.extractor).to_string(),
                                      content.layer.empty() ? std::string() : passage::sha256_hex(content.layer),
                                      content.layer.empty() ? std::string() : content.extractor};
            for (const SourceDocument& doc : documents)
                chunk.record.passages += static_cast<std::uint32_t>(doc.passages.size());
            chunk.record_value = serialize_file_record(chunk.record);
            // After the signature, which must not change with the day: an unchanged file keeps
            // the date its text was first read.
            for (SourceDocument& doc : documents)
                if (doc.meta.accessed.empty() && !doc.meta.url.empty()) doc.meta.accessed = indexing_date();
        } catch (const IndexError& e) {
            return skip(std::move(chunk), e.what());
        }

        if (const auto it = m_stored.find(unit.source); it != m_stored.end()) {
            chunk.replaces_earlier = true;
            if (it->second.signature == chunk.record.signature) {
                chunk.action = PreparedChunk::Action::Unchanged;
                chunk.root_changed = it->second.root != chunk.record.root;
                return m_queue.push(std::move(chunk), 0);
            }
        }
        chunk.large = chunk.record.passages >= large_file_passages;
        return chunk.large ? send_in_chunks(std::move(chunk), documents) : send_whole(std::move(chunk), documents);
    }

    bool skip(PreparedChunk chunk, std::string reason) {
        chunk.action = PreparedChunk::Action::Skip;
        chunk.skip_reason = std::move(reason);
        return m_queue.push(std::move(chunk), 0);
    }

    // A small file is analysed whole: an analysis error skips it before anything changes.
    bool send_whole(PreparedChunk chunk, const std::vector<SourceDocument>& documents) {
        std::size_t cost = 0;
        try {
            for (const SourceDocument& doc : documents) {
                const std::optional<Signature> signature = signature_of(doc);
                for (const passage::Passage& p : doc.passages) {
                    chunk.writes.emplace_back(build_passage_document(doc, p, signature));
                    cost += p.text.size();
                }
                chunk.writes.emplace_back(DocumentRecord{document_key(doc.key), serialize_document_meta(doc.meta)});
            }
        } catch (const Error& e) {
            chunk.writes.clear();
            return skip(std::move(chunk), e.what());
        }
        return m_queue.push(std::move(chunk), cost);
    }

    // A large file goes in chunks of chunk_passages, so neither thread holds all of it.
    bool send_in_chunks(PreparedChunk chunk, const std::vector<SourceDocument>& documents) {
        chunk.last = false;
        std::size_t cost = 0;
        auto send = [&] {
            const std::size_t sent = cost;
            cost = 0;
            if (!m_queue.push(std::move(chunk), sent)) return false;
            chunk = PreparedChunk{};
            chunk.last = false;
            return true;
        };
        try {
            for (const SourceDocument& doc : documents) {
                const std::optional<Signature> signature = signature_of(doc);
                for (const passage::Passage& p : doc.passages) {
                    chunk.writes.emplace_back(build_passage_document(doc, p, signature));
                    cost += p.text.size();
                    if (chunk.writes.size() >= chunk_passages && !send()) return false;
                }
                chunk.writes.emplace_back(DocumentRecord{document_key(doc.key), serialize_document_meta(doc.meta)});
            }
        } catch (const Error& e) {
            chunk.writes.clear();
            chunk.skip_reason = e.what();
        }
        chunk.last = true;
        return m_queue.push(std::move(chunk), cost);
    }

    // The passage's Xapian document with its similarity terms: the document's signature goes
    // with its first passage, so that it is replaced and removed with the document's passages
    // and groups of copies follow every change (duplicate_groups.hpp).
    Xapian::Document build_passage_document(const SourceDocument& doc, const passage::Passage& p,
                                            const std::optional<Signature>& signature) {
        Xapian::Document xdoc = build_document(p, doc.meta, m_analyzer);
        if (m_similarity_terms)
            add_similarity_terms(xdoc, p.text, signature && &p == &doc.passages.front() ? &*signature : nullptr);
        return xdoc;
    }

    std::optional<Signature> signature_of(const SourceDocument& doc) const {
        if (!m_similarity_terms) return std::nullopt;
        std::vector<std::string_view> texts;
        texts.reserve(doc.passages.size());
        for (const passage::Passage& p : doc.passages) texts.push_back(p.text);
        return document_signature(texts);
    }

    const std::vector<Unit>& m_units;
    const std::map<std::string, FileRecord, std::less<>>& m_stored;
    BoundedQueue<PreparedChunk>& m_queue;
    const bool m_similarity_terms;
    analysis::Analyzer m_analyzer;
    std::exception_ptr m_failure;
};

class Writer {
  public:
    Writer(const IndexOptions& options, IndexObserver& observer)
        : m_options(options), m_observer(observer), m_start(std::chrono::steady_clock::now()) {}

    IndexSummary run() {
        resolve_inputs();
        open_database();
        m_progress.files_total = m_units.size();
        write_prepared_files(read_file_records());
        if (m_summary.interrupted) {
            // The files after the stop were never looked at, so they are not in m_seen:
            // removing "vanished" files now would delete passages of files that exist.
            m_summary.files_not_reached = m_units.size() - m_progress.files_done;
        } else {
            remove_vanished_files();
        }
        store_aliases();
        store_versions();
        commit();
        m_summary.passages_total = m_db.get_doccount();
        m_summary.passages_written = m_progress.passages_written;
        m_summary.bytes_read = m_progress.bytes_read;
        m_summary.seconds = elapsed();
        return m_summary;
    }

  private:
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

    // Analysis runs on a second thread (Preparer) while this one writes: Xapian allows one
    // writer, so the two cores split the work as analysis | write.
    void write_prepared_files(const std::map<std::string, FileRecord, std::less<>>& stored) {
        BoundedQueue<PreparedChunk> queue(text_in_flight);
        m_preparer = std::make_unique<Preparer>(m_units, stored, queue, m_options.similarity_terms);
        std::jthread thread([this] { m_preparer->run(); });
        // Declared after the thread, so destroyed before it is joined: however this function
        // ends, the preparer is released from a full queue and the join cannot hang.
        struct CloseOnExit {
            BoundedQueue<PreparedChunk>& queue;
            ~CloseOnExit() { queue.close(); }
        } close_on_exit{queue};

        while (!stop_requested()) {
            std::optional<PreparedChunk> chunk = queue.pop();
            if (!chunk) {
                rethrow_preparer_failure();
                break;
            }
            if (!write_file(*chunk, queue)) break;
            ++m_progress.files_done;
            m_progress.seconds = elapsed();
            m_observer.progress(m_progress);
            if (m_pending_passages >= commit_every_passages || m_pending_bytes >= commit_every_bytes)
                commit();
        }
    }

    void rethrow_preparer_failure() const {
        if (m_preparer && m_preparer->failure()) std::rethrow_exception(m_preparer->failure());
    }

    // The records of the files indexed before: what the preparer compares files with.
    std::map<std::string, FileRecord, std::less<>> read_file_records() {
        std::map<std::string, FileRecord, std::less<>> records;
        const std::string prefix(metadata_key::file);
        for (auto it = m_db.metadata_keys_begin(prefix); it != m_db.metadata_keys_end(prefix); ++it) {
            FileRecord record = parse_file_record(m_db.get_metadata(*it));
            std::string source = record.source;
            records.emplace(std::move(source), std::move(record));
        }
        return records;
    }

    // Every input is checked before the database is touched: a mistyped path must not
    // look like a corpus whose files were all deleted.
    void resolve_inputs() {
        check_inputs(m_options);
        check_database_path(m_options);
        passage::CorpusInputs inputs = passage::resolve_corpus_inputs(m_options.inputs, m_options.include_source, m_options.exclude);
        for (const auto& [where, message] : inputs.listing_warnings) {
            m_observer.warning(where, message);
            m_summary.listing_incomplete = true;
        }
        for (const passage::RejectedInput& rejected : inputs.rejected) skip(rejected.path, rejected.reason);
        m_units = std::move(inputs.files);
        m_aliases = std::move(inputs.aliases);
        m_catalogs = std::move(inputs.catalogs);
    }

    void open_database() {
        const std::string path = m_options.db_path.string();
        try {
            std::error_code ec;
            fs::create_directories(m_options.db_path, ec);
            if (ec) throw IndexError("cannot create '" + path + "': " + ec.message());
            m_lock.emplace(m_options.db_path);
            m_db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
            store_versions();
        } catch (const Xapian::DatabaseLockError&) {
            throw locked_error();
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot open database '" + path + "' for writing: " + e.get_description());
        }
    }

    // Xapian's lock was refused: another writer that is not an indexer (m_lock keeps those
    // out), or a database this process may not write.
    IndexError locked_error() const { return lock_error(m_options.db_path, m_options.db_path); }

    // Rolls back the transaction in progress. Xapian 1.4's glass backend keeps the free-list
    // blocks it had cached when a transaction is cancelled, so a later write through the same
    // handle can be given a block the committed revision still uses (the database then fails
    // xapian-check: "Used block also in freelist"). So the handle is closed at once and the
    // database opened again, which reads the committed free list from disk: the state a crash
    // here would leave, which the database is built to survive.
    void roll_back() {
        m_db.cancel_transaction();
        m_db.close();  // nothing is pending after the cancel: its implicit commit writes nothing
        const std::string path = m_options.db_path.string();
        try {
            m_db = Xapian::WritableDatabase(path, Xapian::DB_OPEN);
        } catch (const Xapian::DatabaseLockError&) {
            throw locked_error();
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot open database '" + path + "' again after a rollback: " + e.get_description());
        }
    }

    // The schema and analyzer versions the reader requires (metadata_key::schema and
    // ::analyzer): the oldest any stored file was indexed with, so that a database is refused
    // while any of its files still has passages or terms of an older version (one this run
    // skipped, rolled back or never reached, or one a killed run left), and accepted once
    // every file has been re-indexed. Stored when the database is opened (a new one is current
    // from its first commit) and after the run.
    void store_versions() {
        const Versions oldest = oldest_versions(m_db);
        m_db.set_metadata(std::string(metadata_key::schema), std::to_string(oldest.schema));
        m_db.set_metadata(std::string(metadata_key::analyzer), std::to_string(oldest.analyzer));
    }

    // Polls IndexOptions::stop_requested; remembers a request for the summary.
    bool stop_requested() {
        if (!m_summary.interrupted && m_options.stop_requested && m_options.stop_requested())
            m_summary.interrupted = true;
        return m_summary.interrupted;
    }

    // Writes one file's prepared chunks: its whole change is one transaction. False when a
    // stop request came while it was being written: the transaction was cancelled, so the
    // file keeps its earlier version.
    bool write_file(PreparedChunk& first, BoundedQueue<PreparedChunk>& queue) {
        const Unit& unit = m_units[first.unit];
        m_seen.insert(unit.source);
        for (const auto& [where, message] : first.warnings) m_observer.warning(where, message);
        m_summary.records_skipped += first.records_skipped;
        if (first.action == PreparedChunk::Action::Skip) {
            skip(unit, first.skip_reason);
            return true;
        }
        if (first.action == PreparedChunk::Action::Unsupported) {
            m_summary.unsupported.push_back(unit.path.string());
            return true;
        }
        m_progress.bytes_read += first.record.bytes;
        if (first.action == PreparedChunk::Action::Unchanged) {
            ++m_summary.files_unchanged;
            // The corpus may have moved: keep the record's root current for freshness checks.
            if (first.root_changed) m_db.set_metadata(file_key(unit.source), first.record_value);
            return true;
        }

        // Xapian's cancel_transaction() on an unflushed transaction also discards everything
        // pending since the last commit, i.e. the files indexed before this one. So nothing
        // that can fail for this file alone runs inside a transaction with other files
        // pending: a small file arrives analysed whole (an analysis error skipped it before
        // anything changed), and a large one, which arrives in chunks and can be abandoned
        // part way, starts from a fresh commit.
        if (first.large) commit();
        // Unflushed: the transaction makes the file's change all-or-nothing, and the commits
        // between files make it durable, without a commit (and fsync) per file.
        m_db.begin_transaction(false);
        auto abandon = [&](std::string skip_reason) {
            roll_back();  // nothing else is pending: see above
            if (skip_reason.empty()) {
                m_summary.rolled_back = unit.path.string();
                return false;
            }
            skip(unit, skip_reason);
            return true;
        };
        if (!remove_file_contents(unit.source, first.large)) return abandon({});
        std::uint64_t added = 0;
        PreparedChunk later;
        for (PreparedChunk* chunk = &first;;) {
            if (!chunk->skip_reason.empty()) return abandon(chunk->skip_reason);  // analysis failed part way
            for (WriteOp& op : chunk->writes) {
                if (auto* doc = std::get_if<Xapian::Document>(&op)) {
                    if (first.large && stop_requested()) return abandon({});
                    // The file's old passages were deleted above, so add rather than replace:
                    // replace_document looks its unique term up, which inside a large
                    // transaction made indexing quadratic.
                    m_db.add_document(*doc);
                    ++added;
                } else {
                    const auto& record = std::get<DocumentRecord>(op);
                    m_db.set_metadata(record.key, record.value);
                }
            }
            if (chunk->last) break;
            std::optional<PreparedChunk> next = queue.pop();
            if (!next) {
                try {
                    roll_back();
                } catch (const Error&) {
                    // The preparer's failure below is the cause worth reporting.
                }
                rethrow_preparer_failure();
                throw IndexError("'" + unit.path.string() + "' ended before all its passages were written");
            }
            later = std::move(*next);
            chunk = &later;
        }
        m_db.set_metadata(file_key(unit.source), first.record_value);
        m_db.commit_transaction();
        m_progress.passages_written += added;
        m_pending_passages += added;
        m_pending_bytes += first.record.bytes;
        ++(first.replaces_earlier ? m_summary.files_updated : m_summary.files_added);
        return true;
    }

    // Passages and document records of a source; the caller holds a transaction.
    // With `interruptible`, a stop request is honoured between passages (deleting a large
    // file's old passages takes as long as writing them): false then, and the caller cancels.
    bool remove_file_contents(const std::string& source, bool interruptible = false) {
        if (interruptible) {
            // Docids first: a postlist must not be read while its documents are deleted.
            const std::string term = source_term(source);
            std::vector<Xapian::docid> ids;
            for (auto it = m_db.postlist_begin(term); it != m_db.postlist_end(term); ++it) ids.push_back(*it);
            for (const Xapian::docid id : ids) {
                if (stop_requested()) return false;
                m_db.delete_document(id);
            }
        } else {
            m_db.delete_document(source_term(source));
        }
        const std::string own_key = document_key(source);
        const std::string record_prefix = own_key + "#";
        std::vector<std::string> keys;
        for (auto it = m_db.metadata_keys_begin(own_key); it != m_db.metadata_keys_end(own_key); ++it) {
            const std::string key = *it;
            if (key == own_key || key.starts_with(record_prefix)) keys.push_back(key);
        }
        for (const std::string& key : keys) m_db.set_metadata(key, "");  // empty value deletes
        return true;
    }

    void remove_vanished_files() {
        if (m_summary.listing_incomplete) {
            m_observer.warning(m_options.db_path.string(),
                               "a corpus directory could not be listed completely; no passages were removed");
            return;
        }
        const std::string prefix(metadata_key::file);
        std::vector<std::string> vanished;
        for (auto it = m_db.metadata_keys_begin(prefix); it != m_db.metadata_keys_end(prefix); ++it) {
            const FileRecord record = parse_file_record(m_db.get_metadata(*it));
            if (!m_seen.contains(record.source)) vanished.push_back(record.source);
        }
        for (const std::string& source : vanished) {
            m_db.begin_transaction(false);
            remove_file_contents(source);
            m_db.set_metadata(file_key(source), "");
            m_db.commit_transaction();
            ++m_summary.files_removed;
        }
    }

    // The alias groups of every input's aliases.conf: a query naming one alias finds all of
    // its group. They change no passage, so updating them needs no re-indexing.
    void store_aliases() {
        const std::string key(metadata_key::aliases);
        const std::string value = m_aliases.empty() ? std::string() : serialize_alias_groups(m_aliases);
        if (m_db.get_metadata(key) != value) m_db.set_metadata(key, value);
    }

    void skip(const Unit& unit, const std::string& reason) { skip(unit.path, reason); }

    void skip(const fs::path& path, const std::string& reason) {
        m_observer.warning(analysis::escape_invalid_utf8(path.string()), "skipped: " + reason);
        ++m_summary.files_skipped;
    }

    void commit() {
        // Explicit: the destructor would commit too, but would swallow any error.
        try {
            m_db.commit();
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot commit to '" + m_options.db_path.string() + "': " + e.get_description());
        }
        m_pending_passages = 0;
        m_pending_bytes = 0;
    }

    const IndexOptions& m_options;
    IndexObserver& m_observer;
    std::chrono::steady_clock::time_point m_start;
    std::vector<std::unique_ptr<passage::Catalog>> m_catalogs;
    std::vector<Unit> m_units;
    std::vector<passage::AliasGroup> m_aliases;
    std::set<std::string, std::less<>> m_seen;
    std::optional<DirectoryLock> m_lock;  // before m_db: released after the database is closed
    Xapian::WritableDatabase m_db;
    std::unique_ptr<Preparer> m_preparer;
    IndexProgress m_progress;
    IndexSummary m_summary;
    std::uint64_t m_pending_passages = 0;
    std::uint64_t m_pending_bytes = 0;
};

// Xapian flushes a writer's pending postings every XAPIAN_FLUSH_THRESHOLD documents (10,000
// by default), also inside a transaction. Measured on SciFact, smaller flushes are much faster
// (merging a large batch of postings into the B-tree costs more than several small ones) and
// use less memory. A value the user set is kept. Once per process, before any database is
// opened: shard threads all pass here first.
void use_small_flushes() {
    static std::once_flag once;
    std::call_once(once, [] { ::setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(flush_every_passages).c_str(), 0); });
}

}  // namespace

int oldest_analyzer_version(const Xapian::Database& db) { return oldest_versions(db).analyzer; }

IndexSummary build_index(const IndexOptions& options, IndexObserver& observer) {
    use_small_flushes();
    try {
        return Writer(options, observer).run();
    } catch (const Xapian::Error& e) {
        throw IndexError("database '" + options.db_path.string() + "': " + e.get_description());
    }
}

}  // namespace cite::index
