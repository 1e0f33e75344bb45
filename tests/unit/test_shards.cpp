// Sharded indexes (issue 8): files go to shards by a stable hash, stub files list them the way
// Xapian reads them, the shards are built in parallel and incrementally, the reader finds
// records in whichever shard holds them, and searching the shards gives what one database of
// the same corpus gives, result for result.

#include "cite/analysis/analyzer.hpp"
#include "cite/error.hpp"
#include "cite/evidence/evidence.hpp"
#include "cite/index/index_reader.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/shard_set.hpp"
#include "cite/output/fact_report.hpp"
#include "cite/output/quote_report.hpp"
#include "cite/output/result_sink.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/search/search_service.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <atomic>
#include <map>
#include <set>
#include <sstream>

using namespace cite;
namespace fs = std::filesystem;

namespace {

struct QuietObserver : index::IndexObserver {
    std::vector<std::string> warnings;
    void warning(const std::string& where, const std::string& message) override {
        warnings.push_back(where + ": " + message);
    }
    void progress(const index::IndexProgress&) override {}
};

// A corpus of twelve text files, two in a subfolder, a JSONL file and an alias file. Several
// paragraphs are the same in many files, so that scores tie across files (and shards).
void write_corpus(const test::TempDir& dir) {
    for (int i = 0; i < 12; ++i) {
        const std::string n = std::to_string(i);
        const std::string name = i < 10 ? "n0" + n + ".txt" : "sub/deep" + n + ".md";
        dir.write("corpus/" + name,
                  "Report " + n + " on the Middle Corridor\n\n"
                  "Cargo on the Middle Corridor rose to " + std::to_string(1000 * i + 200) + " tons in 2023.\n\n"
                  "The TITR route links China and Europe.\n\n"
                  "Freight trains carry " + n + " million tons of grain near the port" +
                      (i % 3 == 0 ? ", and the Trans-Caspian International Transport Route grows.\n" : ".\n"));
    }
    dir.write("corpus/aliases.conf", "Middle Corridor | Trans-Caspian International Transport Route | TITR\n");
    dir.write("records.jsonl",
              "{\"_id\": \"r1\", \"title\": \"Ferries\", \"text\": \"The TITR route links China and Europe.\"}\n"
              "{\"_id\": \"r2\", \"title\": \"Grain\", \"text\": \"Ships carry 4 million tons of grain.\"}\n");
}

struct Fixture {
    test::TempDir dir;
    fs::path corpus = dir.path() / "corpus";
    fs::path records = dir.path() / "records.jsonl";
    fs::path single = dir.path() / "single.db";
    fs::path set = dir.path() / "set.db";
    QuietObserver observer;

    Fixture() { write_corpus(dir); }
    index::IndexOptions options(const fs::path& db) const { return {db, {corpus, records}}; }
    index::IndexSummary build_single() { return index::build_index(options(single), observer); }
    index::IndexSummary build_set(std::size_t shards = 3) { return index::build_shards(options(set), shards, observer, 2); }
};

// Sources of the passages a database holds (its P terms, read back from document data).
std::set<std::string> sources_in(const fs::path& db) {
    std::set<std::string> out;
    Xapian::Database xdb(db.string());
    for (auto it = xdb.postlist_begin(""); it != xdb.postlist_end(""); ++it)
        out.insert(index::parse_passage(xdb.get_document(*it).get_data()).source);
    return out;
}

// "key#ordinal" -> passage text, over every passage of a (possibly combined) database.
std::map<std::string, std::string> passages_in(const Xapian::Database& xdb) {
    std::map<std::string, std::string> out;
    for (auto it = xdb.postlist_begin(""); it != xdb.postlist_end(""); ++it) {
        const auto p = index::parse_passage(xdb.get_document(*it).get_data());
        out[p.document_key() + "#" + std::to_string(p.ordinal)] = p.text;
    }
    return out;
}

// Output without the line naming the database: the only thing allowed to differ.
std::string without_db_line(const std::string& json) {
    std::istringstream in(json);
    std::string out;
    for (std::string line; std::getline(in, line);)
        if (line.find("\"db\":") == std::string::npos) out += line + '\n';
    return out;
}

std::string search_json(search::SearchService& service, const search::SearchRequest& request) {
    std::ostringstream out;
    auto sink = output::make_sink(output::Format::Json, out, {});
    (void)service.run(request, *sink);
    return without_db_line(out.str());
}

}  // namespace

TEST_CASE("Shards: FNV-1a 64 test vectors, and a file's shard is its hash modulo the count", "[shards]") {
    // The published FNV-1a 64-bit test vectors.
    CHECK(index::stable_hash("") == 0xcbf29ce484222325ULL);
    CHECK(index::stable_hash("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(index::stable_hash("foobar") == 0x85944171f73967e8ULL);
    CHECK(index::shard_of("a", 3) == 0xaf63dc4c8601ec8cULL % 3);
    CHECK(index::shard_of("foobar", 7) == 0x85944171f73967e8ULL % 7);
    CHECK(index::shard_of("anything", 1) == 0);
    // Spread: 3000 paths over 3 shards, each within 10% of a third.
    std::array<std::size_t, 3> counts{};
    for (int i = 0; i < 3000; ++i) ++counts[index::shard_of("dir/file_" + std::to_string(i) + ".txt", 3)];
    for (std::size_t c : counts) CHECK((c > 900 && c < 1100));
}

TEST_CASE("Shards: stub files parse as Xapian reads them and round-trip", "[shards]") {
    const std::string text = "# a comment\n"
                             "\n"
                             "auto shard-0\n"
                             "glass /abs/shard-1\n"
                             "remote 127.0.0.1:8100\n"
                             "remote [::1]:8101\n"
                             "remote :xapian-progsrv /srv/db\n";
    const auto entries = index::parse_stub(text, "x.stub");
    REQUIRE(entries.size() == 5);
    CHECK(entries[0].kind == index::StubEntry::Kind::Local);
    CHECK(entries[0].backend == "auto");
    CHECK(entries[0].path == "shard-0");
    CHECK(entries[1].backend == "glass");
    CHECK(entries[1].location() == "/abs/shard-1");
    CHECK(entries[2].kind == index::StubEntry::Kind::RemoteTcp);
    CHECK((entries[2].host == "127.0.0.1" && entries[2].port == 8100));
    CHECK(entries[2].location() == "tcp://127.0.0.1:8100");
    CHECK((entries[3].host == "::1" && entries[3].port == 8101));
    CHECK(entries[3].location() == "tcp://[::1]:8101");
    CHECK(entries[4].kind == index::StubEntry::Kind::RemoteProgram);
    CHECK((entries[4].program == "xapian-progsrv" && entries[4].args == "/srv/db"));
    CHECK(index::parse_stub(index::stub_text(entries, "two\nlines"), "again") == entries);
    CHECK(index::stub_text({entries[0]}, "hi") == "# hi\nauto shard-0\n");

    for (const std::string bad : {"auto\n", "remote\n", "remote host\n", "remote host:port\n", "remote h:70000\n",
                                  "chert x\n", "auto a\nsomething else\n"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(index::parse_stub(bad, "x.stub"), IndexError);
    }
    // The error names the file and the line (not its text).
    CHECK_THROWS_WITH(index::parse_stub("auto a\n# c\nsecret words\n", "x.stub"), Catch::StartsWith("x.stub:3: "));

    CHECK(index::resolve_stub_path("/srv/set/XAPIANDB", "shard-0") == fs::path("/srv/set/shard-0"));
    CHECK(index::resolve_stub_path("/srv/set/XAPIANDB", "/other/db") == fs::path("/other/db"));
    CHECK(index::resolve_stub_path("list.stub", "db") == fs::path("db"));
}

TEST_CASE("Shards: Xapian itself opens the stub a set is described by", "[shards]") {
    Fixture f;
    f.build_set();
    REQUIRE(index::stub_file_of(f.set) == f.set / "XAPIANDB");
    CHECK_FALSE(index::stub_file_of(index::shard_path(f.set, 0)).has_value());  // a plain database
    CHECK_FALSE(index::stub_file_of(f.dir.path() / "nothing").has_value());
    const Xapian::Database whole(f.set.string());  // Xapian's own stub-directory handling
    Xapian::doccount sum = 0;
    for (std::size_t k = 0; k < 3; ++k) sum += Xapian::Database(index::shard_path(f.set, k).string()).get_doccount();
    CHECK(whole.get_doccount() == sum);
    // A hand-written stub file listing two of the shards by relative path, as Xapian resolves it.
    index::StubEntry a, b;
    a.path = "set.db/shard-0";
    b.path = "set.db/shard-2";
    f.dir.write("two.stub", index::stub_text({a, b}, "two shards"));
    const Xapian::Database two((f.dir.path() / "two.stub").string());
    CHECK(two.get_doccount() == Xapian::Database(index::shard_path(f.set, 0).string()).get_doccount() +
                                    Xapian::Database(index::shard_path(f.set, 2).string()).get_doccount());
}

TEST_CASE("Shards: each file lands in its hash's shard and the set holds what one database holds", "[shards]") {
    Fixture f;
    const auto single = f.build_single();
    const auto sharded = f.build_set();
    CHECK(f.observer.warnings.empty());
    CHECK(sharded.files_added == single.files_added);
    CHECK(sharded.files_added == 13);  // twelve text files and one JSONL file
    CHECK(sharded.passages_total == single.passages_total);
    CHECK(sharded.passages_written == single.passages_written);
    CHECK(index::existing_shard_count(f.set) == 3);
    CHECK(index::existing_shard_count(f.single) == 0);

    std::set<std::string> all;
    for (std::size_t k = 0; k < 3; ++k) {
        const auto sources = sources_in(index::shard_path(f.set, k));
        CHECK_FALSE(sources.empty());
        for (const std::string& s : sources) {
            CAPTURE(s, k);
            CHECK(index::shard_of(s, 3) == k);
            CHECK(all.insert(s).second);  // in one shard only
        }
        // Every shard stores the alias groups and the schema and analyzer versions.
        const Xapian::Database shard(index::shard_path(f.set, k).string());
        CHECK_FALSE(shard.get_metadata(std::string(index::metadata_key::aliases)).empty());
        CHECK(shard.get_metadata(std::string(index::metadata_key::schema)) == std::to_string(index::schema_version));
        CHECK(shard.get_metadata(std::string(index::metadata_key::analyzer)) ==
              std::to_string(cite::analysis::Analyzer::version));
    }
    CHECK(all == sources_in(f.single));
    CHECK(passages_in(index::IndexReader(f.set).database()) == passages_in(index::IndexReader(f.single).database()));
}

TEST_CASE("A new large single database is built by two writers, merged, and then updated as one", "[shards]") {
    Fixture f;
    const auto single = f.build_single();
    const fs::path merged = f.dir.path() / "merged.db";
    const fs::path staging = f.dir.path() / "merged.db.staging";
    index::IndexOptions options = f.options(merged);
    options.two_writer_min_bytes = 0;  // this small corpus counts as large

    SECTION("the merged database holds what one writer writes, and is no shard set") {
        const auto built = index::build_index_or_shards(options, 0, f.observer);
        CHECK(built.files_added == single.files_added);
        CHECK(built.passages_total == single.passages_total);
        CHECK(index::existing_shard_count(merged) == 0);
        CHECK_FALSE(fs::exists(staging));
        const Xapian::Database db(merged.string());
        CHECK(passages_in(db) == passages_in(Xapian::Database(f.single.string())));
        CHECK_FALSE(db.get_metadata(std::string(index::metadata_key::aliases)).empty());
        CHECK(db.get_metadata(index::file_key("n03.txt")) ==
              Xapian::Database(f.single.string()).get_metadata(index::file_key("n03.txt")));
        // From now on it is an ordinary database, updated in place.
        f.dir.write("corpus/n01.txt", "Report 1 was rewritten entirely.\n");
        const auto again = index::build_index_or_shards(options, 0, f.observer);
        CHECK(again.files_updated == 1);
        CHECK(again.files_unchanged == 12);
        CHECK(passages_in(Xapian::Database(merged.string())).at("n01.txt#1") == "Report 1 was rewritten entirely.");
    }
    SECTION("a stopped build leaves its shards in DB.staging and the next run finishes from there") {
        std::atomic<int> polls{0};  // asked from both shard threads
        options.stop_requested = [&] { return ++polls > 6; };
        const auto stopped = index::build_index_or_shards(options, 0, f.observer);
        CHECK(stopped.interrupted);
        CHECK_FALSE(fs::exists(merged));
        CHECK(index::existing_shard_count(staging) == 2);
        // As if a merge had been cut short too: its half-written output is redone.
        f.dir.write("merged.db.staging/merged/postlist.glass", "half a table");
        options.stop_requested = {};
        options.two_writer_min_bytes = std::uint64_t{1} << 40;  // resumed whatever the size
        const auto finished = index::build_index_or_shards(options, 0, f.observer);
        CHECK_FALSE(finished.interrupted);
        CHECK(finished.files_unchanged + finished.files_added == single.files_added);
        CHECK(finished.files_unchanged > 0);
        CHECK_FALSE(fs::exists(staging));
        CHECK(passages_in(Xapian::Database(merged.string())) == passages_in(Xapian::Database(f.single.string())));
    }
}

TEST_CASE("A second indexer of a new database being built by two writers is refused, naming the database",
          "[shards]") {
    // The build runs in DB.staging; the refusal used to name that folder, which the user never gave.
    Fixture f;
    const auto single = f.build_single();
    const fs::path db = f.dir.path() / "new.db";
    index::IndexOptions options = f.options(db);
    options.two_writer_min_bytes = 0;  // this small corpus counts as large
    std::atomic<bool> second_started{false};
    std::string second_error;  // Catch's assertions are not thread-safe: checked afterwards
    options.stop_requested = [&] {  // asked from the shard threads while they build
        if (second_started.exchange(true)) return false;
        QuietObserver observer;
        index::IndexOptions second = f.options(db);
        second.two_writer_min_bytes = 0;
        try {
            (void)index::build_index_or_shards(second, 0, observer);
            second_error = "(none)";
        } catch (const Error& e) {
            second_error = e.what();
        }
        return false;
    };
    const auto first = index::build_index_or_shards(options, 0, f.observer);
    CHECK(second_error == "database '" + db.string() + "' is locked: another indexer is writing to it");
    CHECK(first.files_added == single.files_added);
    CHECK(passages_in(Xapian::Database(db.string())) == passages_in(Xapian::Database(f.single.string())));
}

TEST_CASE("Shards: re-runs are incremental, shard by shard", "[shards]") {
    Fixture f;
    f.build_set();
    auto again = f.build_set();
    CHECK((again.files_unchanged == 13 && again.passages_written == 0 && again.files_added == 0));

    f.dir.write("corpus/n01.txt", "Report 1 was rewritten entirely.\n");
    fs::remove(f.corpus / "n02.txt");
    f.dir.write("corpus/n99.txt", "A new report on the Middle Corridor.\n");
    // Size 0: keep the set's size.
    const auto changed = index::build_index_or_shards(f.options(f.set), 0, f.observer);
    CHECK(changed.files_updated == 1);
    CHECK(changed.files_removed == 1);
    CHECK(changed.files_added == 1);
    CHECK(changed.files_unchanged == 11);
    CHECK(changed.passages_written == 2);
    CHECK(sources_in(index::shard_path(f.set, index::shard_of("n99.txt", 3))).contains("n99.txt"));
    for (std::size_t k = 0; k < 3; ++k) CHECK_FALSE(sources_in(index::shard_path(f.set, k)).contains("n02.txt"));
}

TEST_CASE("Shards: a set keeps its size; a single database is not turned into a set", "[shards]") {
    Fixture f;
    f.build_set();
    CHECK_THROWS_WITH(index::build_index_or_shards(f.options(f.set), 2, f.observer),
                      Catch::Contains("is a set of 3 shards, not 2"));
    CHECK_THROWS_WITH(index::build_index_or_shards(f.options(f.set), 1, f.observer),
                      Catch::Contains("is a set of 3 shards"));
    f.build_single();
    CHECK_THROWS_WITH(index::build_index_or_shards(f.options(f.single), 3, f.observer),
                      Catch::Contains("holds a single database"));
    // A mistyped corpus creates nothing.
    const fs::path fresh = f.dir.path() / "fresh.db";
    CHECK_THROWS_AS(index::build_shards({fresh, {f.dir.path() / "no-such-corpus"}}, 3, f.observer), CorpusError);
    CHECK_FALSE(fs::exists(fresh));
    // A stub directory the indexer did not write is left alone.
    index::StubEntry other;
    other.path = "/elsewhere";
    f.dir.write("hand.db/XAPIANDB", index::stub_text({other}, "by hand"));
    CHECK_THROWS_WITH(index::existing_shard_count(f.dir.path() / "hand.db"), Catch::Contains("listing other databases"));
}

TEST_CASE("Shards: the reader finds file and document records in whichever shard holds them", "[shards]") {
    Fixture f;
    f.build_set();
    const index::IndexReader reader(f.set);
    CHECK(reader.shard_names().size() == 3);
    CHECK_FALSE(reader.has_remote_shard());
    const auto files = reader.files();
    CHECK(files.size() == 13);
    for (const index::FileRecord& record : files) {
        CAPTURE(record.source);
        const auto found = reader.file(record.source);
        REQUIRE(found.has_value());
        CHECK(*found == record);
        CHECK_FALSE(reader.is_remote(record.source));
    }
    CHECK_FALSE(reader.file("no-such.txt").has_value());
    CHECK(reader.document("records.jsonl#r2").title == "Grain");
    CHECK(reader.document("n03.txt").title == "Report 3 on the Middle Corridor");
    REQUIRE(reader.aliases().size() == 1);  // each shard has the group; it counts once
    CHECK(reader.aliases()[0].size() == 3);
}

TEST_CASE("Shards: a missing shard or one of another schema is named", "[shards]") {
    Fixture f;
    f.build_set();
    const std::string shard1 = index::shard_path(f.set, 1).string();
    {
        Xapian::WritableDatabase w(shard1, Xapian::DB_OPEN);
        w.set_metadata(std::string(index::metadata_key::schema), "1");
        w.commit();
    }
    CHECK_THROWS_WITH(index::IndexReader(f.set), Catch::Contains("index '" + shard1 + "'") &&
                                                     Catch::Contains("schema version '1'"));
    // Another schema is an error even when partial results are allowed.
    CHECK_THROWS_AS(index::IndexReader({f.set.string()}, {true}), IndexError);

    // So are terms of another analyzer, or of one from before the version was stored.
    for (const std::string stored : {"4", ""}) {
        {
            Xapian::WritableDatabase w(shard1, Xapian::DB_OPEN);
            w.set_metadata(std::string(index::metadata_key::schema), std::to_string(index::schema_version));
            w.set_metadata(std::string(index::metadata_key::analyzer), stored);
            w.commit();
        }
        CAPTURE(stored);
        CHECK_THROWS_WITH(index::IndexReader(f.set),
                          Catch::Contains("index '" + shard1 + "'") &&
                              Catch::Contains(stored.empty() ? "holds terms of an older analyzer" : "analyzer version '4'"));
        CHECK_THROWS_AS(index::IndexReader({f.set.string()}, {true}), IndexError);
    }

    fs::remove_all(shard1);
    CHECK_THROWS_WITH(index::IndexReader(f.set), Catch::Contains("cannot open shard '" + shard1 + "'") &&
                                                     Catch::Contains("listed in"));
    const index::IndexReader partial({f.set.string()}, {true});
    REQUIRE(partial.missing().size() == 1);
    CHECK(partial.missing()[0].name == shard1);
    CHECK(partial.shard_names().size() == 2);
    // Nothing at all to search is an error, partial or not.
    CHECK_THROWS_AS(index::IndexReader({shard1}, {true}), IndexError);
    // The same database twice would count its passages twice.
    CHECK_THROWS_WITH(index::IndexReader({f.set.string(), index::shard_path(f.set, 0).string()}, {true}),
                      Catch::Contains("given twice"));
}

TEST_CASE("Shards: searching shards gives what one database gives, result for result", "[shards]") {
    Fixture f;
    f.build_single();
    f.build_set();
    search::SearchService one(f.single);
    // The shards named one by one, in another order than the stub's: order must not matter.
    search::SearchService shards({index::shard_path(f.set, 2).string(), index::shard_path(f.set, 0).string(),
                                  index::shard_path(f.set, 1).string()},
                                 {});
    using Mode = search::SearchMode;
    struct Case {
        std::string query;
        Mode mode = Mode::Ranked;
        std::size_t offset = 0;
        std::size_t limit = 100;
        bool all_words_first = true;
    };
    const std::vector<Case> cases = {
        {"TITR route"},                               // ties across files and shards
        {"\"Middle Corridor\""},                      // alias group expansion
        {"tons grain"},                               // all-words tier, then some
        {"tons grain", Mode::Ranked, 5, 4},           // a page in the middle
        {"China Europe", Mode::Ranked, 0, 100, false},
        {"\"Middle Corridor\" NEAR/8 tons"},          // candidates confirmed after the match
        {"\"Middle Corridor\" NEAR/8 tons", Mode::Ranked, 2, 3},
        {"grain file:sub"},
        {"TITR", Mode::Mentions},
        {"tons", Mode::Count},
        {"\"4 million tons\"", Mode::Mentions},
    };
    for (const Case& c : cases) {
        // Copies collapsed (the default) and not: the corpus repeats paragraphs across files.
        for (const bool collapse : {false, true}) {
            search::SearchRequest request;
            request.query = c.query;
            request.mode = c.mode;
            request.offset = c.offset;
            request.limit = c.limit;
            request.ranking.all_words_first = c.all_words_first;
            request.collapse_copies = collapse;
            CAPTURE(c.query, c.offset, c.limit, collapse);
            const std::string expected = search_json(one, request);
            // The case tests something: results, or (count mode) mentions.
            if (!collapse)
                CHECK(expected.find(c.mode == Mode::Count ? "\"total\": 0," : "\"results\": []") == std::string::npos);
            CHECK(search_json(shards, request) == expected);
        }
    }

    auto render = [](auto write) {
        std::ostringstream out;
        write(out);
        return out.str();
    };
    for (const std::string quote : {"The TITR route links China and Europe", "cargo on the middle corridor rose to 5200 tons",
                                    "Cargo on the Middle Corridor rose to 5300 tons in 2023"}) {
        CAPTURE(quote);
        auto write = [&](search::SearchService& s) {
            return render([&](std::ostream& out) {
                output::write_quote_check(output::Format::Json, out, s.verify_quote(quote, false), {});
            });
        };
        CHECK(write(shards) == write(one));
    }
    for (const std::string claim : {"Cargo rose to 3200 tons in 2023", "Cargo rose to 3300 tons in 2023"}) {
        CAPTURE(claim);
        auto write = [&](search::SearchService& s) {
            return render([&](std::ostream& out) {
                output::write_claim_checks(output::Format::Json, out, {s.check_claim(claim)}, {});
            });
        };
        CHECK(write(shards) == write(one));
    }
    auto facts = [&](search::SearchService& s) {
        return render([&](std::ostream& out) {
            output::write_fact_table(output::Format::Json, out, s.list_facts("grain"), {});
        });
    };
    CHECK(facts(shards) == facts(one));
}

TEST_CASE("Ranking: equal scores come in corpus order, not in the order files were indexed", "[shards]") {
    test::TempDir dir;
    const fs::path db = dir.path() / "db";
    QuietObserver observer;
    // b.txt is indexed first (lower docids), a.txt later: docid order is b, a.
    dir.write("late/b.txt", "Silk road caravans rest here.\n");
    (void)index::build_index({db, {dir.path() / "late"}}, observer);
    dir.write("late/a.txt", "Silk road caravans rest here.\n");
    (void)index::build_index({db, {dir.path() / "late"}}, observer);
    search::SearchService service(db);
    for (const std::string query : {"caravans", "silk NEAR/2 caravans"}) {
        CAPTURE(query);
        search::SearchRequest request;
        request.query = query;
        const std::string json = search_json(service, request);
        const auto a = json.find("\"source\": \"a.txt\"");
        const auto b = json.find("\"source\": \"b.txt\"");
        REQUIRE((a != std::string::npos && b != std::string::npos));
        CHECK(a < b);
    }
}

TEST_CASE("Freshness: a remote shard's file that is not here is unchecked, not missing", "[shards]") {
    test::TempDir dir;
    const auto file = dir.write("a.txt", "text\n");
    index::FileRecord record{"a.txt", dir.path().string(), "text", passage::sha256_hex("text\n"), 5, 1, 1, "", "", ""};
    index::FileRecord elsewhere = record;
    elsewhere.root = (dir.path() / "not-on-this-machine").string();
    evidence::FreshnessChecker checker;
    CHECK(checker.check(record, true) == evidence::SourceStatus::Fresh);  // here after all: checked
    CHECK(checker.check(elsewhere, true) == evidence::SourceStatus::Unchecked);
    CHECK(checker.check(elsewhere, false) == evidence::SourceStatus::Missing);
    CHECK(std::string(evidence::to_string(evidence::SourceStatus::Unchecked)) == "unchecked");
}
