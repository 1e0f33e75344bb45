#pragma once
// One search from query text to a sink: parse, rank, cite, print. Opens the index once and
// serves any number of queries.

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/sentence_splitter.hpp"
#include "cite/evidence/evidence.hpp"
#include "cite/index/index_reader.hpp"
#include "cite/output/result_sink.hpp"
#include "cite/rank/ranker.hpp"

#include <filesystem>
#include <string>

namespace cite::search {

struct SearchRequest {
    std::string id;        ///< names the query in batch output; may be empty
    std::string query;
    bool literal = false;  ///< plain words: no operators, quotes or fields (query::parse_literal)
    std::size_t offset = 0;
    std::size_t limit = 10;
    rank::RankOptions ranking;
};

class SearchService {
  public:
    /// Throws IndexError when the database is missing or of another schema version.
    explicit SearchService(const std::filesystem::path& db_path);

    /// Runs `request` and writes begin, each hit, and end to `sink`. Returns what was passed to
    /// end(). If the index changes while the query runs (an indexer commits), it re-opens the
    /// latest revision and runs again, so results come from one consistent snapshot.
    /// Throws QueryError (bad query) and IndexError.
    output::SearchStats run(const SearchRequest& request, output::ResultSink& sink);

    /// The parsed form of `query`, for --explain. Throws QueryError.
    [[nodiscard]] std::string explain(const std::string& query);

  private:
    struct Page {
        std::vector<evidence::CitedHit> hits;
        std::size_t total = 0;
        bool exact = true;
    };
    Page search_once(const SearchRequest& request, bool with_evidence);

    index::IndexReader m_reader;
    analysis::Analyzer m_analyzer;
    analysis::SentenceSplitter m_sentences;
    evidence::FreshnessChecker m_freshness;
};

}  // namespace cite::search
