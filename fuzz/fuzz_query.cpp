// Fuzzes the query language end to end, short of printing: parse_query (or parse_literal,
// chosen by the first byte), alias expansion, build_query against a small in-memory index,
// and running every compiled query with Xapian (weighted by IneB2 or BM25, also chosen by
// the first byte), then confirming matches as the searcher does
// (MatchFinder). Properties: the only error is a QueryError pointing inside the query; a
// query that parses always builds and runs (Xapian throws nothing); nodes point inside the
// query; --explain's rendering works.

#include "cite/error.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/index/document_builder.hpp"
#include "cite/query/alias_expander.hpp"
#include "cite/query/query_builder.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/rank/ranker.hpp"

#include "fuzz_support.hpp"

#include <xapian.h>

#include <cstdint>

using namespace cite;

namespace {

struct Index {
    analysis::Analyzer analyzer;
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    std::vector<passage::Passage> passages;
    std::vector<passage::DocumentMeta> metas;
    query::AliasTable aliases;

    Index() {
        const std::vector<std::pair<std::string, std::string>> texts = {
            {"003_a.txt", "As a result, China has become the country’s largest trade partner with bilateral trade "
                          "hitting $31 billion in 2023, a notable increase from over $24 billion in 2022."},
            {"003_a.txt", "Cargo via the Middle Corridor (the Trans-Caspian International Transport Route) rose to "
                          "274,200 tons in January 2024 – a 147 percent rise."},
            {"004_b.txt", "Multi-vector diplomacy: the U.S. and Kazakhstan’s neighbours; six million tons, 80% "
                          "of it by rail. Beşer wrote in Straße."},
            {"dir/x.md", "TITR and the Middle Corridor: 2.76 million tons between 2022 and 2023."},
        };
        std::uint32_t n = 0;
        for (const auto& [source, text] : texts) {
            passage::Passage p{source, "", ++n, n, {0, text.size()}, text};
            passage::DocumentMeta meta{"Title of " + source, {"Meymet Enes Beşer"}, "Astana Times", "Fakti", "2024"};
            db.add_document(index::build_document(p, meta, analyzer));
            passages.push_back(p);
            metas.push_back(meta);
        }
        aliases = query::AliasTable(
            {{"Middle Corridor", "Trans-Caspian International Transport Route", "TITR"}, {"U.S.", "United States"}},
            analyzer);
    }
};

void check_positions(const query::Node& n, std::size_t size) {
    fuzz::require(n.position <= size, "a node points past the end of the query");
    for (const query::Node& c : n.children) check_positions(c, size);
}

std::size_t run(const Xapian::Database& db, const Xapian::Query& q, rank::Weighting weighting) {
    if (q.empty()) return 0;
    Xapian::Enquire enquire = rank::weighted_enquire(db, rank::RankOptions::for_weighting(weighting));
    enquire.set_query(q);
    return enquire.get_mset(0, 10).size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Index index;
    if (size == 0) return 0;
    const bool literal = data[0] & 1;
    const bool with_aliases = data[0] & 2;
    const auto weighting = data[0] & 4 ? rank::Weighting::Bm25 : rank::Weighting::IneB2;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    query::Node root;
    try {
        root = literal ? query::parse_literal(text, index.analyzer) : query::parse_query(text, index.analyzer);
    } catch (const QueryError& e) {
        fuzz::require(e.position() <= text.size(), "a query error points past the end of the query");
        fuzz::require(std::string_view(e.what()).size() > 0, "a query error without a message");
        return 0;
    }
    if (with_aliases) query::expand_aliases(root, index.aliases);
    check_positions(root, text.size());
    (void)query::to_string(root);

    // Whatever parsed must build and run; a Xapian::Error or any other exception here is a bug.
    const query::CompiledQuery compiled = query::build_query(root, index.db);
    std::size_t matched = 0;
    for (const Xapian::Query* q : {&compiled.all, &compiled.some, &compiled.any})
        matched += run(index.db, *q, weighting);
    evidence::MatchFinder matcher(index.analyzer);
    for (std::size_t i = 0; i < index.passages.size(); ++i) {
        const auto spans = matcher.find(root, index.passages[i], index.metas[i]);
        if (!spans) continue;
        for (const evidence::MatchSpan& s : *spans)
            fuzz::require(s.bytes.begin < s.bytes.end && s.bytes.end <= index.passages[i].text.size(),
                          "a match span outside its passage");
    }
    (void)matched;
    return 0;
}
