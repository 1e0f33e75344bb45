#pragma once
// One search from query text to a sink: parse, rank, cite, print. Opens the index once and
// serves any number of queries.

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/sentence_splitter.hpp"
#include "cite/evidence/evidence.hpp"
#include "cite/evidence/fact_check.hpp"
#include "cite/evidence/quote_check.hpp"
#include "cite/index/index_reader.hpp"
#include "cite/output/copies_report.hpp"
#include "cite/output/result_sink.hpp"
#include "cite/query/query_ast.hpp"
#include "cite/query/query_builder.hpp"
#include "cite/rank/ranker.hpp"
#include "cite/search/analysis_pool.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cite::search {

enum class SearchMode {
    Ranked,    ///< the best passages, --limit at a time
    Mentions,  ///< every occurrence, in corpus order, no limit (--all)
    Count,     ///< only the mention counts (--count)
};

struct SearchRequest {
    std::string id;        ///< names the query in batch output; may be empty
    std::string query;
    bool literal = false;  ///< plain words: no operators, quotes or fields (query::parse_literal)
    std::size_t offset = 0;
    std::size_t limit = 10;
    rank::RankOptions ranking;
    SearchMode mode = SearchMode::Ranked;  ///< offset and limit apply to Ranked only
    bool use_aliases = true;               ///< expand alias groups named in the query
    /// Ranked: copies of a passage in copies of one story, or word for word elsewhere, are
    /// one result (search/copy_collapse.hpp); mentions and counts also count distinct
    /// stories. False: every copy is its own result (--no-collapse).
    bool collapse_copies = true;
};

class SearchService {
  public:
    /// Throws IndexError when the database is missing or of another schema version.
    explicit SearchService(const std::filesystem::path& db_path);
    /// Searches several databases as one: shards, stub files listing them, tcp://HOST:PORT
    /// (index::IndexReader). Results are the same as for one database holding the same
    /// passages. Throws IndexError naming a shard that cannot be opened (unless
    /// options.allow_partial) or has another schema version.
    SearchService(const std::vector<std::string>& databases, const index::OpenOptions& options);

    /// Shards left out (index::OpenOptions::allow_partial): at opening, or because they
    /// stopped answering during a search. Every SearchStats carries them too.
    [[nodiscard]] std::vector<std::string> missing_shards() const;
    /// The same, with the reason each was left out.
    [[nodiscard]] const std::vector<index::MissingShard>& missing() const { return m_reader.missing(); }
    /// The databases searched, for what reads the index beyond a query (citation_keys.hpp).
    [[nodiscard]] const index::IndexReader& reader() const { return m_reader; }
    /// Moves to the index's latest committed revision, if newer (a long-lived service, such
    /// as one HTTP worker's, calls it before each request). True when it moved.
    bool refresh() { return m_reader.refresh(); }

    /// Work of the calls that follow stops with TimeLimitError once `deadline` has passed: the
    /// match (Xapian's time limit) and the loops reading passages check it; nullopt: no limit.
    /// A long-lived service (an HTTP worker's) sets it before each request.
    void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) { m_deadline = deadline; }

    /// Runs `request` and writes begin, each hit, and end to `sink`. Returns what was passed to
    /// end(). In Mentions mode each hit is one occurrence of the query (CitedHit::mention),
    /// all of them, file by file and in text order; stats.mentions counts them. If the index changes while the query runs (an indexer commits), it re-opens the
    /// latest revision and runs again, so results come from one consistent snapshot; if a
    /// remote shard stops answering, the IndexError names it (with allow_partial, the search
    /// runs again without it). Throws QueryError (bad query) and IndexError.
    output::SearchStats run(const SearchRequest& request, output::ResultSink& sink);

    /// Verifies a quotation (README, "Verifying a quote"): finds where its words stand in the
    /// same order, through typography, line breaks and case (unless `case_sensitive`); an
    /// ellipsis ("..." or "…") stands for omitted words within one passage. Candidates come
    /// from the index (the quote's rarest words). A passage whose file changed or is gone since
    /// it was indexed gives no verdict; QuoteCheck::left_out names such files. Remote shards'
    /// Unchecked passages count. Throws QueryError when the quote has no words.
    evidence::QuoteCheck verify_quote(const std::string& quote, bool case_sensitive);

    /// Checks a claim's figures (README, "Fact-checking"): the passages that bear on the claim,
    /// each figure of the claim compared with theirs, and a verdict. Passages of files that
    /// changed or are gone neither support nor contradict (ClaimCheck::left_out names the files
    /// of those bearing on the claim). Throws QueryError when the claim has nothing to check.
    evidence::ClaimCheck check_claim(const std::string& claim);

    /// Every figure stated in the passages matching `query`, grouped by unit; none from a file
    /// that changed or is gone (FactTable::left_out names those). Throws QueryError.
    evidence::FactTable list_facts(const std::string& query, const evidence::FactOptions& options = {});

    /// `searcher copies`: the group of copies of one story `document` (a source path, or
    /// `file.jsonl#record`) belongs to, with each copy's similarity to it, and the documents
    /// outside the group sharing paragraphs with it word for word; nullopt: every group of
    /// two or more documents (docs/duplicates.md). Throws IndexError when the document is
    /// not in the index.
    output::CopiesReport copies(const std::optional<std::string>& document);

    /// The parsed form of the request's query as it would be searched (--literal and
    /// --no-aliases apply), for --explain. Throws QueryError.
    [[nodiscard]] std::string explain(const SearchRequest& request);

  private:
    struct Page {
        std::vector<evidence::CitedHit> hits;
        std::size_t total = 0;
        bool exact = true;
        std::optional<output::MentionSummary> mentions;
        std::vector<output::UnmatchedWord> unmatched;  ///< query words no passage holds
        bool empty_index = false;
    };
    Page search_once(const SearchRequest& request, bool with_evidence);
    evidence::QuoteCheck verify_quote_once(const std::string& quote, bool case_sensitive);
    /// The places where the quote's words run from the end of one paragraph into the start
    /// of the next, among the paragraphs of `candidates` and their neighbours.
    std::vector<evidence::QuoteMatch> quote_across_paragraphs(const std::string& text, const std::vector<evidence::Word>& words,
                                                              const Xapian::MSet& candidates, bool case_sensitive,
                                                              std::vector<evidence::LeftOutSource>& left_out);
    evidence::ClaimCheck check_claim_once(const std::string& claim);
    evidence::FactTable list_facts_once(const std::string& query, const evidence::FactOptions& options);
    output::CopiesReport copies_once(const std::optional<std::string>& document);
    template <typename F>
    auto on_consistent_snapshot(F&& work);
    /// `phrase`, if given, receives the text of an unquoted run read as one phrase (--all, --count).
    query::Node parse(const SearchRequest& request, std::string* phrase = nullptr);
    evidence::CitedHit cite(const passage::Passage& passage, std::size_t rank, double score);
    /// Sets EvidenceSpan::repeated on the quotes of hits whose source has a URL.
    void mark_repeated_quotes(std::vector<evidence::CitedHit>& hits);
    void rank_collapsed(const SearchRequest& request, const query::CompiledQuery& compiled,
                        const rank::RankOptions& ranking, const rank::Verifier* verifier,
                        const rank::WordPositions* positions, Page& page);
    void add_story_count(const SearchRequest& request, const query::CompiledQuery& compiled,
                         output::MentionSummary& summary);
    void collect_mentions(const SearchRequest& request, const query::Node& parsed,
                          const query::CompiledQuery& compiled, bool with_evidence, Page& page);

    /// Throws TimeLimitError when the deadline has passed.
    void check_deadline() const;
    /// Seconds left before the deadline, for Xapian's time limit; 0 without one.
    [[nodiscard]] double seconds_left() const;

    std::optional<std::chrono::steady_clock::time_point> m_deadline;
    index::IndexReader m_reader;
    analysis::Analyzer m_analyzer;
    analysis::SentenceSplitter m_sentences;
    evidence::FreshnessChecker m_freshness;
    // Declared last, so destroyed first: it refers to the analyzer and splitter above.
    AnalysisPool m_pool{AnalysisTools{m_analyzer, m_sentences}};
};

}  // namespace cite::search
