// index_dump [--terms] DB: every passage and file record of a database as JSON lines, for
// the reliability tests to compare databases by content (docids differ between runs).
//
//   {"passage": {"source", "record", "paragraph", "line", "start_byte", "end_byte", "text"},
//    "terms": "<sha256 of the document's terms, wdf and positions>"}   (terms: with --terms)
//   {"file": {"source", "kind", "sha256", "bytes", "passages", "documents"}}
//
// Opening goes through IndexReader, so a database the searcher would refuse fails here too
// (exit 2, message on stderr).

#include "cite/index/index_reader.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/source_text.hpp"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <iostream>
#include <string_view>

namespace {

// The document's terms as one string: term, wdf and positions each, in term order.
std::string term_digest(const Xapian::Document& doc) {
    std::string all;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        all += *t;
        all += " " + std::to_string(t.get_wdf()) + ":";
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) all += std::to_string(*p) + ",";
        all += '\n';
    }
    return cite::passage::sha256_hex(all);
}

}  // namespace

int main(int argc, char** argv) {
    const bool with_terms = argc == 3 && std::string_view(argv[1]) == "--terms";
    if (argc != 2 && !with_terms) {
        std::cerr << "usage: index_dump [--terms] DB\n";
        return 2;
    }
    try {
        const cite::index::IndexReader reader(argv[argc - 1]);
        const Xapian::Database& db = reader.database();
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::Document doc = db.get_document(*it);
            const auto p = reader.passage(doc);
            nlohmann::json passage = {{"source", p.source},       {"record", p.record},
                                      {"paragraph", p.ordinal},   {"line", p.line},
                                      {"start_byte", p.bytes.begin}, {"end_byte", p.bytes.end},
                                      {"text", p.text}};
            nlohmann::json line = {{"passage", passage}};
            if (with_terms) line["terms"] = term_digest(doc);
            std::cout << line.dump() << '\n';
        }
        for (const cite::index::FileRecord& r : reader.files()) {
            nlohmann::json file = {{"source", r.source},   {"kind", r.kind},         {"sha256", r.sha256},
                                   {"bytes", r.bytes},     {"passages", r.passages}, {"documents", r.documents}};
            std::cout << nlohmann::json{{"file", file}}.dump() << '\n';
        }
    } catch (const std::exception& e) {
        std::cerr << "index_dump: " << e.what() << '\n';
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "index_dump: " << e.get_description() << '\n';
        return 2;
    }
    return 0;
}
