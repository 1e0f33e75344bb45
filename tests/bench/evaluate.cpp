// evaluate: scores a TREC run against relevance judgments with nDCG@k and Recall@k, for
// scripts/eval, scripts/ranking-grid and the SciFact quality guard. argv -> EvaluateConfig ->
// cite::eval -> exit code.

#include "cite/cli/common_options.hpp"
#include "cite/error.hpp"
#include "cite/eval/trec_eval.hpp"

#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

struct EvaluateConfig {
    std::string qrels_file;
    std::string run_file;
    std::size_t k_ndcg = 10;
    std::size_t k_recall = 100;
    bool per_query = false;
};

/// The checked configuration, or nullopt when --help or --version was printed to `out`.
/// Throws cite::UsageError.
std::optional<EvaluateConfig> parse_options(int argc, const char* const* argv, std::ostream& out) {
    EvaluateConfig config;
    std::vector<std::string> runs;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help and exit")("version", "show the version and exit")(
        "qrels", po::value<std::string>(&config.qrels_file)->value_name("FILE"),
        "relevance judgments: BEIR TSV (header 'query-id corpus-id score') or TREC qrels "
        "('QUERY ITERATION DOCUMENT GRADE')")(
        "k-ndcg", po::value<std::size_t>(&config.k_ndcg)->default_value(config.k_ndcg)->value_name("K"),
        "cut-off of nDCG")(
        "k-recall", po::value<std::size_t>(&config.k_recall)->default_value(config.k_recall)->value_name("K"),
        "cut-off of Recall")("per-query", "also print each query's scores ('nDCG@K QUERY SCORE')");
    po::variables_map vm;
    cite::cli::parse_command_line(argc, argv, visible, "run", runs, vm);
    if (vm.count("help")) {
        out << "Usage: evaluate --qrels FILE [--k-ndcg K] [--k-recall K] [--per-query] RUN\n\n"
               "Score RUN, a TREC run ('QUERY Q0 DOCUMENT RANK SCORE TAG' lines, as 'searcher --format\n"
               "trec' writes them; ordered by SCORE, then RANK), against the judgments in --qrels.\n"
               "Prints the number of queries scored, mean nDCG@K (graded gains) and mean Recall@K.\n"
               "Every judged query with a relevant document counts; one missing from RUN scores 0.\n\n"
            << visible << "\nExit status: 0 scores printed, 2 usage error or unreadable input.\n";
        return std::nullopt;
    }
    if (vm.count("version")) {
        out << "evaluate " CITE_VERSION "\n";
        return std::nullopt;
    }
    if (config.qrels_file.empty()) throw cite::UsageError("no --qrels FILE given");
    if (runs.size() != 1) throw cite::UsageError("give exactly one RUN file");
    if (config.k_ndcg == 0 || config.k_recall == 0)
        throw cite::UsageError("--k-ndcg and --k-recall must be at least 1");
    config.run_file = runs.front();
    config.per_query = vm.count("per-query") > 0;
    return config;
}

void print_scores(const EvaluateConfig& config, const cite::eval::Evaluation& result, std::ostream& out) {
    const std::string ndcg = "nDCG@" + std::to_string(config.k_ndcg);
    const std::string recall = "R@" + std::to_string(config.k_recall);
    out << std::fixed << std::setprecision(4);
    if (config.per_query)
        for (const auto& q : result.queries) {
            out << ndcg << ' ' << q.query_id << ' ' << q.ndcg << '\n';
            out << recall << ' ' << q.query_id << ' ' << q.recall << '\n';
        }
    out << "queries " << result.queries.size() << '\n'
        << ndcg << ' ' << result.mean_ndcg << '\n'
        << recall << ' ' << result.mean_recall << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto config = parse_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        const auto qrels = cite::eval::read_qrels(config->qrels_file);
        const auto run = cite::eval::read_run(config->run_file);
        const auto result = cite::eval::evaluate(qrels, run, config->k_ndcg, config->k_recall);
        if (result.queries_skipped > 0)
            std::cerr << "evaluate: " << result.queries_skipped
                      << " judged queries have no relevant document and are not scored\n";
        print_scores(*config, result, std::cout);
        return cite::exit_ok;
    } catch (const cite::UsageError& e) {
        std::cerr << "evaluate: " << e.what() << "\nTry 'evaluate --help'.\n";
    } catch (const std::exception& e) {  // cite::EvalError: the message names file and line
        std::cerr << "evaluate: " << e.what() << '\n';
    }
    return cite::exit_error;
}
