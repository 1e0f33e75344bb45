#pragma once
// Offline ranking quality: relevance judgments (qrels) and a TREC run in, nDCG@k and Recall@k
// out, as trec_eval and BEIR compute them. No searching here: runs come from
// `searcher --format trec`; the front end is tests/bench/evaluate.cpp.

#include <cstddef>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cite::eval {

/// One query's judged documents: document id -> relevance grade, the gain nDCG uses.
/// A grade of 0 or less means judged not relevant (negative grades count as 0).
using Judgments = std::unordered_map<std::string, int>;

/// Query id -> its judgments; ordered so per-query output comes in a stable order.
using Qrels = std::map<std::string, Judgments>;

/// Query id -> retrieved document ids, best first.
using Run = std::map<std::string, std::vector<std::string>>;

/// Parses relevance judgments in either layout, decided by the first non-blank line:
/// - BEIR: a header `query-id corpus-id score`, then `QUERY DOCUMENT GRADE` lines;
/// - TREC: `QUERY ITERATION DOCUMENT GRADE` lines (ITERATION is ignored).
/// Columns are separated by tabs or spaces; blank lines and a CR before the LF are ignored.
/// `source` names the input in messages. Throws EvalError "SOURCE:LINE: ..." for a wrong
/// number of columns, a grade that is not an integer, or a document judged twice for a query.
[[nodiscard]] Qrels parse_qrels(std::string_view text, const std::string& source);

/// parse_qrels of a file's contents; also throws EvalError when the file cannot be read.
[[nodiscard]] Qrels read_qrels(const std::filesystem::path& file);

/// Parses a TREC run, `QUERY Q0 DOCUMENT RANK SCORE TAG` lines (the second column and TAG are
/// ignored). Each query's documents are ordered by SCORE descending, equal scores by RANK
/// ascending, then by line order: like trec_eval, the order of the lines is not trusted. Throws
/// EvalError "SOURCE:LINE: ..." for a wrong number of columns, a RANK that is not an integer,
/// a SCORE that is not a finite number, or a document listed twice for a query.
[[nodiscard]] Run parse_run(std::string_view text, const std::string& source);

/// parse_run of a file's contents; also throws EvalError when the file cannot be read.
[[nodiscard]] Run read_run(const std::filesystem::path& file);

/// nDCG@k of one ranking: DCG = sum over ranks r = 1..k of gain(r) / log2(r + 1), divided by
/// the DCG of the judged documents sorted by gain (the ideal ranking), also cut at k.
/// Unjudged documents have gain 0. 0 when no judged document has a positive gain. k >= 1.
[[nodiscard]] double ndcg_at(std::span<const std::string> ranking, const Judgments& judged, std::size_t k);

/// Recall@k of one ranking: |top k ∩ relevant| / |relevant|, relevant meaning a grade > 0
/// whatever its size. 0 when nothing is relevant. k >= 1.
[[nodiscard]] double recall_at(std::span<const std::string> ranking, const Judgments& judged, std::size_t k);

struct QueryScores {
    std::string query_id;
    double ndcg = 0;
    double recall = 0;
};

struct Evaluation {
    std::vector<QueryScores> queries;  ///< every evaluated query, in query id order
    double mean_ndcg = 0;              ///< over `queries`; 0 when there are none
    double mean_recall = 0;
    std::size_t queries_skipped = 0;   ///< qrels queries without a relevant document
};

/// Scores `run` against `qrels`. The means are over every qrels query that has at least one
/// relevant document (grade > 0): a query the run does not answer scores 0, so a run cannot
/// look better by leaving hard queries out. Queries without a relevant document are skipped
/// (both measures are 0/0 there) and counted in `queries_skipped`. Run queries without
/// judgments are ignored. k_ndcg, k_recall >= 1.
[[nodiscard]] Evaluation evaluate(const Qrels& qrels, const Run& run, std::size_t k_ndcg, std::size_t k_recall);

}  // namespace cite::eval
