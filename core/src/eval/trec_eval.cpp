#include "cite/eval/trec_eval.hpp"

#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <functional>

namespace cite::eval {
namespace {

/// Calls `on_row(line_number, columns)` for every non-blank line of `text` (1-based numbers).
void for_each_row(std::string_view text,
                  const std::function<void(std::size_t, const std::vector<std::string_view>&)>& on_row) {
    std::vector<std::string_view> columns;
    passage::for_each_line(text, [&](std::size_t line_number, std::string_view line) {
        columns.clear();
        std::size_t start = 0;
        while (true) {
            start = line.find_first_not_of(" \t\r", start);
            if (start == std::string_view::npos) break;
            std::size_t end = line.find_first_of(" \t\r", start);
            if (end == std::string_view::npos) end = line.size();
            columns.push_back(line.substr(start, end - start));
            start = end;
        }
        if (!columns.empty()) on_row(line_number, columns);
    });
}

std::string where(const std::string& source, std::size_t line_number) {
    return source + ":" + std::to_string(line_number) + ": ";
}

template <typename Number>
bool parse_number(std::string_view text, Number& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

std::string read_text(const std::filesystem::path& file) {
    try {
        return passage::read_file_bytes(file);
    } catch (const CorpusError& e) {
        throw EvalError(e.what());  // the message names the file
    }
}

/// DCG of the first k gains, rank r (1-based) discounted by log2(r + 1).
double dcg(const std::vector<int>& gains, std::size_t k) {
    double sum = 0;
    for (std::size_t i = 0; i < std::min(k, gains.size()); ++i)
        sum += static_cast<double>(gains[i]) / std::log2(static_cast<double>(i) + 2.0);
    return sum;
}

int gain_of(const Judgments& judged, const std::string& document) {
    const auto it = judged.find(document);
    return it == judged.end() ? 0 : std::max(it->second, 0);
}

std::size_t count_relevant(const Judgments& judged) {
    return static_cast<std::size_t>(
        std::count_if(judged.begin(), judged.end(), [](const auto& judgment) { return judgment.second > 0; }));
}

}  // namespace

Qrels parse_qrels(std::string_view text, const std::string& source) {
    Qrels qrels;
    std::size_t expected_columns = 0;  // fixed by the first line: 3 after a BEIR header, else 4
    for_each_row(text, [&](std::size_t line_number, const std::vector<std::string_view>& columns) {
        if (expected_columns == 0) {
            const bool beir_header = columns.size() == 3 && columns[0] == "query-id" &&
                                     columns[1] == "corpus-id" && columns[2] == "score";
            expected_columns = beir_header ? 3 : 4;
            if (beir_header) return;
        }
        if (columns.size() != expected_columns)
            throw EvalError(where(source, line_number) + "expected " + std::to_string(expected_columns) +
                            (expected_columns == 3 ? " columns (query-id corpus-id score)"
                                                   : " columns (QUERY ITERATION DOCUMENT GRADE) or a BEIR "
                                                     "header 'query-id corpus-id score' on the first line") +
                            ", found " + std::to_string(columns.size()));
        const std::string_view grade_text = columns.back();
        int grade = 0;
        if (!parse_number(grade_text, grade))
            throw EvalError(where(source, line_number) + "relevance grade '" + std::string(grade_text) +
                            "' is not an integer");
        const std::string_view document = columns[columns.size() - 2];
        auto& judged = qrels[std::string(columns[0])];
        if (!judged.emplace(document, grade).second)
            throw EvalError(where(source, line_number) + "document '" + std::string(document) +
                            "' is judged twice for query '" + std::string(columns[0]) + "'");
    });
    return qrels;
}

Qrels read_qrels(const std::filesystem::path& file) { return parse_qrels(read_text(file), file.string()); }

Run parse_run(std::string_view text, const std::string& source) {
    struct Entry {
        std::string document;
        double score;
        long rank;
    };
    std::map<std::string, std::vector<Entry>> entries;
    std::map<std::string, std::map<std::string, std::size_t>> seen;  // query -> document -> line
    for_each_row(text, [&](std::size_t line_number, const std::vector<std::string_view>& columns) {
        if (columns.size() != 6)
            throw EvalError(where(source, line_number) +
                            "expected 6 columns (QUERY Q0 DOCUMENT RANK SCORE TAG), found " +
                            std::to_string(columns.size()));
        Entry entry{std::string(columns[2]), 0.0, 0};
        if (!parse_number(columns[3], entry.rank))
            throw EvalError(where(source, line_number) + "rank '" + std::string(columns[3]) +
                            "' is not an integer");
        if (!parse_number(columns[4], entry.score) || !std::isfinite(entry.score))
            throw EvalError(where(source, line_number) + "score '" + std::string(columns[4]) +
                            "' is not a number");
        const std::string query(columns[0]);
        const auto [first, inserted] = seen[query].emplace(entry.document, line_number);
        if (!inserted)
            throw EvalError(where(source, line_number) + "document '" + entry.document +
                            "' is listed twice for query '" + query + "' (first on line " +
                            std::to_string(first->second) + ")");
        entries[query].push_back(std::move(entry));
    });
    Run run;
    for (auto& [query, list] : entries) {
        // Stable: equal score and rank keep the file's order, so the result is deterministic.
        std::stable_sort(list.begin(), list.end(), [](const Entry& a, const Entry& b) {
            return a.score != b.score ? a.score > b.score : a.rank < b.rank;
        });
        auto& documents = run[query];
        documents.reserve(list.size());
        for (Entry& e : list) documents.push_back(std::move(e.document));
    }
    return run;
}

Run read_run(const std::filesystem::path& file) { return parse_run(read_text(file), file.string()); }

double ndcg_at(std::span<const std::string> ranking, const Judgments& judged, std::size_t k) {
    assert(k >= 1);
    std::vector<int> ideal;
    ideal.reserve(judged.size());
    for (const auto& [document, grade] : judged) ideal.push_back(std::max(grade, 0));
    std::sort(ideal.begin(), ideal.end(), std::greater<>());
    const double ideal_dcg = dcg(ideal, k);
    if (ideal_dcg == 0) return 0;
    std::vector<int> gains;
    for (const std::string& document : ranking.first(std::min(k, ranking.size())))
        gains.push_back(gain_of(judged, document));
    return dcg(gains, k) / ideal_dcg;
}

double recall_at(std::span<const std::string> ranking, const Judgments& judged, std::size_t k) {
    assert(k >= 1);
    const std::size_t relevant = count_relevant(judged);
    if (relevant == 0) return 0;
    // A run lists each document once (parse_run checks), so no document is counted twice.
    const auto top = ranking.first(std::min(k, ranking.size()));
    const auto found =
        std::count_if(top.begin(), top.end(), [&](const std::string& document) { return gain_of(judged, document) > 0; });
    return static_cast<double>(found) / static_cast<double>(relevant);
}

Evaluation evaluate(const Qrels& qrels, const Run& run, std::size_t k_ndcg, std::size_t k_recall) {
    Evaluation result;
    const std::vector<std::string> unanswered;
    for (const auto& [query, judged] : qrels) {
        if (count_relevant(judged) == 0) {
            ++result.queries_skipped;
            continue;
        }
        const auto answer = run.find(query);
        const std::vector<std::string>& ranking = answer == run.end() ? unanswered : answer->second;
        result.queries.push_back({query, ndcg_at(ranking, judged, k_ndcg), recall_at(ranking, judged, k_recall)});
    }
    for (const QueryScores& q : result.queries) {
        result.mean_ndcg += q.ndcg;
        result.mean_recall += q.recall;
    }
    if (!result.queries.empty()) {
        result.mean_ndcg /= static_cast<double>(result.queries.size());
        result.mean_recall /= static_cast<double>(result.queries.size());
    }
    return result;
}

}  // namespace cite::eval
