// Unit tests of the eval module: qrels and run parsing, nDCG@k and Recall@k. Every expected
// figure is worked out by hand in the comments beside it, from the definitions in
// trec_eval.hpp, never copied from the program's output.

#include "cite/error.hpp"
#include "cite/eval/trec_eval.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace {

using cite::eval::evaluate;
using cite::eval::parse_qrels;
using cite::eval::parse_run;

// One query, four judged documents with graded relevance; d2 is judged not relevant.
const std::string graded_qrels =
    "query-id\tcorpus-id\tscore\n"
    "q1\td1\t2\n"
    "q1\td2\t0\n"
    "q1\td3\t1\n"
    "q1\td4\t1\n";

// The lines are deliberately not in score order: by score the ranking is d1, d2, d3
// (d4, relevant, is not retrieved; x9 is not judged).
const std::string graded_run =
    "q1 Q0 d3 3 1.5 t\n"
    "q1 Q0 d1 1 3.0 t\n"
    "q1 Q0 d2 2 2.0 t\n"
    "q1 Q0 x9 4 0.5 t\n";

/// The message of the cite::EvalError `action` throws; fails the test when it throws none.
template <typename Action>
std::string eval_error_of(Action&& action) {
    try {
        action();
    } catch (const cite::EvalError& e) {
        return e.what();
    }
    FAIL("no cite::EvalError thrown");
    return {};
}

std::vector<std::string> ranking_of(const std::string& run_text, const std::string& query) {
    const auto run = parse_run(run_text, "run");
    const auto it = run.find(query);
    REQUIRE(it != run.end());
    return it->second;
}

}  // namespace

TEST_CASE("Run lines are ordered by score, not by their order in the file", "[eval]") {
    CHECK(ranking_of(graded_run, "q1") == std::vector<std::string>{"d1", "d2", "d3", "x9"});
}

TEST_CASE("Equal scores are ordered by rank, then by line order", "[eval]") {
    // b and c tie on score; c has the better (smaller) rank. d and e tie on score and rank:
    // the file's order decides.
    const std::string run =
        "q Q0 b 3 2.0 t\n"
        "q Q0 e 4 1.0 t\n"
        "q Q0 a 1 5.0 t\n"
        "q Q0 c 2 2.0 t\n"
        "q Q0 d 4 1.0 t\n";
    CHECK(ranking_of(run, "q") == std::vector<std::string>{"a", "c", "b", "e", "d"});
}

TEST_CASE("nDCG@k uses graded gains and the ideal ranking of the judged documents", "[eval]") {
    const auto qrels = parse_qrels(graded_qrels, "qrels");
    const auto ranking = ranking_of(graded_run, "q1");
    const auto& judged = qrels.at("q1");
    // Ranking d1 d2 d3 x9 has gains 2, 0, 1, 0; the ideal order of the judged grades is 2, 1, 1, 0.
    // nDCG@3: DCG  = 2/log2(2) + 0/log2(3) + 1/log2(4)          = 2 + 0 + 0.5     = 2.5
    //         IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4)          = 2 + 0.6309 + 0.5 = 3.1309
    //         nDCG = 2.5 / 3.1309                                                  ≈ 0.7985
    CHECK(cite::eval::ndcg_at(ranking, judged, 3) == Approx(2.5 / (2.0 + 1.0 / std::log2(3.0) + 0.5)));
    CHECK(cite::eval::ndcg_at(ranking, judged, 3) == Approx(0.7985).epsilon(1e-4));
    // nDCG@4: x9 adds 0 to DCG; the ideal adds 0 too (its 4th grade is d2's 0): also ≈ 0.7985.
    CHECK(cite::eval::ndcg_at(ranking, judged, 4) == Approx(2.5 / (2.0 + 1.0 / std::log2(3.0) + 0.5)));
}

TEST_CASE("nDCG@k and Recall@k stop at k", "[eval]") {
    const auto qrels = parse_qrels(graded_qrels, "qrels");
    const auto ranking = ranking_of(graded_run, "q1");
    const auto& judged = qrels.at("q1");
    // @1: gains 2 against ideal 2: 2/2 = 1.
    CHECK(cite::eval::ndcg_at(ranking, judged, 1) == Approx(1.0));
    // @2: DCG = 2 + 0 = 2; IDCG = 2 + 1/log2(3) = 2.6309; nDCG = 2/2.6309 ≈ 0.7602.
    CHECK(cite::eval::ndcg_at(ranking, judged, 2) == Approx(2.0 / (2.0 + 1.0 / std::log2(3.0))));
    // Relevant (grade > 0): d1, d3, d4. Top 2 holds d1 only: 1/3. Top 3 adds d3: 2/3. d4 is
    // never retrieved, so a large k still gives 2/3.
    CHECK(cite::eval::recall_at(ranking, judged, 2) == Approx(1.0 / 3.0));
    CHECK(cite::eval::recall_at(ranking, judged, 3) == Approx(2.0 / 3.0));
    CHECK(cite::eval::recall_at(ranking, judged, 100) == Approx(2.0 / 3.0));
}

TEST_CASE("Recall counts every positive grade once, whatever its size", "[eval]") {
    // Grades 3, 1, 0, -1: relevant are a (3) and b (1); c (0) and d (-1) are not.
    const auto qrels = parse_qrels(
        "q 0 a 3\n"
        "q 0 b 1\n"
        "q 0 c 0\n"
        "q 0 d -1\n",
        "qrels");
    const auto& judged = qrels.at("q");
    // Retrieving b, c, d finds one relevant document of two: 1/2 (b's grade 1 counts as
    // much as a's 3 would).
    const std::vector<std::string> bcd{"b", "c", "d"};
    CHECK(cite::eval::recall_at(bcd, judged, 10) == Approx(0.5));
    // nDCG of b, c, d: DCG = 1/log2(2) = 1 (d's -1 counts as 0);
    // IDCG = 3/log2(2) + 1/log2(3) = 3.6309; nDCG = 1/3.6309 ≈ 0.2754.
    CHECK(cite::eval::ndcg_at(bcd, judged, 10) == Approx(1.0 / (3.0 + 1.0 / std::log2(3.0))));
}

TEST_CASE("A judged query missing from the run scores 0 and still counts in the mean", "[eval]") {
    const auto qrels = parse_qrels(
        "q1 0 d1 1\n"
        "q2 0 d7 1\n",
        "qrels");
    // q1 finds its only relevant document first: nDCG 1, recall 1. q2 is not in the run: 0, 0.
    // Means over both: (1 + 0) / 2 = 0.5. q3 is answered but not judged: ignored.
    const auto run = parse_run(
        "q1 Q0 d1 1 9.0 t\n"
        "q3 Q0 d1 1 9.0 t\n",
        "run");
    const auto result = evaluate(qrels, run, 10, 100);
    REQUIRE(result.queries.size() == 2);
    CHECK(result.queries[0].query_id == "q1");
    CHECK(result.queries[0].ndcg == Approx(1.0));
    CHECK(result.queries[1].query_id == "q2");
    CHECK(result.queries[1].ndcg == 0.0);
    CHECK(result.queries[1].recall == 0.0);
    CHECK(result.mean_ndcg == Approx(0.5));
    CHECK(result.mean_recall == Approx(0.5));
    CHECK(result.queries_skipped == 0);
}

TEST_CASE("A query without any relevant document is skipped, not scored 0", "[eval]") {
    // q0 has only grade-0 judgments: its ideal DCG and its number of relevant documents are
    // both 0, so neither measure is defined. The means are q1's alone.
    const auto qrels = parse_qrels(
        "q0 0 d1 0\n"
        "q1 0 d1 1\n",
        "qrels");
    const auto run = parse_run("q1 Q0 x 1 2.0 t\nq1 Q0 d1 2 1.0 t\n", "run");
    const auto result = evaluate(qrels, run, 10, 100);
    CHECK(result.queries_skipped == 1);
    REQUIRE(result.queries.size() == 1);
    // q1: d1 at rank 2: DCG = 1/log2(3); IDCG = 1/log2(2) = 1; nDCG = 1/log2(3) ≈ 0.6309.
    CHECK(result.mean_ndcg == Approx(1.0 / std::log2(3.0)));
    CHECK(result.mean_recall == Approx(1.0));
}

TEST_CASE("BEIR and TREC qrels give the same judgments, blank lines and CRLF included", "[eval]") {
    const auto beir = parse_qrels("query-id\tcorpus-id\tscore\r\n\r\nq1\td1\t2\r\nq2\td5\t1\r\n", "beir");
    const auto trec = parse_qrels("q1 0 d1 2\n\nq2 Q0 d5 1", "trec");
    CHECK(beir == trec);
    CHECK(trec.at("q1").at("d1") == 2);
}

TEST_CASE("Malformed qrels and run lines are rejected with file and line", "[eval]") {
    using Catch::Matchers::Contains;
    SECTION("qrels") {
        auto [text, message] = GENERATE(table<std::string, std::string>({
            {"query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n", "qrels.tsv:3: expected 3 columns"},
            {"q1 0 d1 1\nq1 d2 1\n", "qrels.tsv:2: expected 4 columns"},
            {"q1\td1\t1\n", "qrels.tsv:1: expected 4 columns"},  // 3 columns need the BEIR header
            {"q1 0 d1 1\n\nq1 0 d2 high\n", "qrels.tsv:3: relevance grade 'high' is not an integer"},
            {"q1 0 d1 1.5\n", "qrels.tsv:1: relevance grade '1.5' is not an integer"},
            {"q1 0 d1 1\nq1 0 d1 2\n", "qrels.tsv:2: document 'd1' is judged twice for query 'q1'"},
        }));
        CAPTURE(text);
        CHECK_THAT(eval_error_of([&] { (void)parse_qrels(text, "qrels.tsv"); }), Contains(message));
    }
    SECTION("run") {
        auto [text, message] = GENERATE(table<std::string, std::string>({
            {"q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 1.0\n", "run.trec:2: expected 6 columns"},
            {"q1 Q0 d1 1 abc t\n", "run.trec:1: score 'abc' is not a number"},
            {"q1 Q0 d1 1 2.0x t\n", "run.trec:1: score '2.0x' is not a number"},
            {"q1 Q0 d1 1 nan t\n", "run.trec:1: score 'nan' is not a number"},
            {"q1 Q0 d1 first 2.0 t\n", "run.trec:1: rank 'first' is not an integer"},
            {"q1 Q0 d1 1 2.0 t\nq2 Q0 d1 1 2.0 t\nq1 Q0 d1 2 1.0 t\n",
             "run.trec:3: document 'd1' is listed twice for query 'q1' (first on line 1)"},
        }));
        CAPTURE(text);
        CHECK_THAT(eval_error_of([&] { (void)parse_run(text, "run.trec"); }), Contains(message));
    }
}

TEST_CASE("A file that cannot be read is an EvalError naming it", "[eval]") {
    const cite::test::TempDir dir;
    const auto missing = dir.path() / "missing.tsv";
    using Catch::Matchers::Contains;
    CHECK_THAT(eval_error_of([&] { (void)cite::eval::read_qrels(missing); }), Contains(missing.string()));
    CHECK_THAT(eval_error_of([&] { (void)cite::eval::read_run(missing); }), Contains(missing.string()));
    // And a readable file is parsed with its path as the source of messages.
    const auto run = dir.write("run.trec", "q1 Q0 d1 1 x t\n");
    CHECK_THAT(eval_error_of([&] { (void)cite::eval::read_run(run); }), Contains(run.string() + ":1:"));
}
