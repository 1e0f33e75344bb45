// analyzer_bench: throughput (MB/s of input text) of the text paths every indexed byte goes
// through: Analyzer::analyze, analyze + find_quantities, sentence and paragraph splitting,
// and the similarity terms of copies of a story (index/similarity.hpp: a document's MinHash
// signature and band terms, each paragraph's copy term).
// Inputs: the shipped corpus/*.txt and, when the data is there, the first ~2 MB of SciFact
// abstracts ($SCIFACT, else ../shared/eval/scifact beside the repository).

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/quantity.hpp"
#include "cite/analysis/sentence_splitter.hpp"
#include "cite/index/similarity.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr std::size_t scifact_slice_bytes = 2'000'000;

/// Texts as the indexer sees them: whole files (paragraph splitting) and their paragraphs
/// (analysis and sentence splitting run per passage).
struct BenchInput {
    std::string name;
    std::vector<std::string> documents;
    std::vector<std::string_view> paragraphs;  // views into `documents`
    std::size_t document_bytes = 0;
    std::size_t paragraph_bytes = 0;

    void add(std::string text) {
        document_bytes += text.size();
        documents.push_back(std::move(text));
    }

    // After every add(): views into `documents` stay valid once it stops growing.
    void split() {
        for (const std::string& text : documents)
            for (const auto& p : cite::passage::split_paragraphs(text, cite::passage::utf8_bom_length(text))) {
                paragraphs.push_back(std::string_view(text).substr(p.bytes.begin, p.bytes.size()));
                paragraph_bytes += p.bytes.size();
            }
    }
};

BenchInput shipped_corpus() {
    BenchInput input{"corpus", {}, {}, 0, 0};
    for (const auto& file : cite::passage::list_corpus_directory(fs::path(CITE_SOURCE_DIR) / "corpus").files)
        if (file.path.extension() == ".txt") input.add(cite::passage::read_file_bytes(file.path));
    input.split();
    return input;
}

fs::path scifact_dir() {
    const char* env = std::getenv("SCIFACT");
    if (env != nullptr && *env != '\0') return env;
    return fs::path(CITE_SOURCE_DIR) / ".." / "shared" / "eval" / "scifact";
}

/// The first records of SciFact's corpus.jsonl.gz, up to scifact_slice_bytes of text; nothing
/// when the file is absent. gzip (an essential Debian package) spares a zlib dependency.
BenchInput scifact_slice(const fs::path& gz) {
    BenchInput input{"scifact", {}, {}, 0, 0};
    if (!fs::is_regular_file(gz)) return input;
    const std::string command = "gzip -dc '" + gz.string() + "'";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return input;
    std::string jsonl;
    char buffer[1 << 16];
    // Abstracts are most of each line, so twice the slice holds enough records.
    while (jsonl.size() < 2 * scifact_slice_bytes) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe);
        if (n == 0) break;
        jsonl.append(buffer, n);
    }
    pclose(pipe);  // gzip may get SIGPIPE: we stopped reading on purpose
    jsonl.erase(jsonl.rfind('\n') + 1);  // the last line may be cut
    cite::passage::read_jsonl(
        jsonl,
        [&](cite::passage::JsonlRecord&& record) {
            if (input.document_bytes < scifact_slice_bytes) input.add(std::move(record.text));
        },
        [](std::size_t, const std::string&) {});
    input.split();
    return input;
}

/// Runs `work` on every paragraph of `input` once per iteration; the rate is paragraph bytes.
template <typename Work>
void over_paragraphs(benchmark::State& state, const BenchInput& input, Work&& work) {
    for (auto _ : state)
        for (const std::string_view paragraph : input.paragraphs) work(paragraph);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.paragraph_bytes));
}

void bench_analyze(benchmark::State& state, const BenchInput* input) {
    cite::analysis::Analyzer analyzer;
    over_paragraphs(state, *input, [&](std::string_view p) { benchmark::DoNotOptimize(analyzer.analyze(p)); });
}

void bench_analyze_quantities(benchmark::State& state, const BenchInput* input) {
    cite::analysis::Analyzer analyzer;
    over_paragraphs(state, *input, [&](std::string_view p) {
        benchmark::DoNotOptimize(cite::analysis::find_quantities(p, analyzer.analyze(p)));
    });
}

void bench_sentences(benchmark::State& state, const BenchInput* input) {
    cite::analysis::SentenceSplitter splitter;
    over_paragraphs(state, *input, [&](std::string_view p) { benchmark::DoNotOptimize(splitter.split(p)); });
}

void bench_paragraphs(benchmark::State& state, const BenchInput* input) {
    for (auto _ : state)
        for (const std::string& document : input->documents)
            benchmark::DoNotOptimize(cite::passage::split_paragraphs(document));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input->document_bytes));
}

// What the indexer adds for copies of a story: per document its signature and band terms,
// per paragraph its copy term. The rate is document bytes.
void bench_similarity(benchmark::State& state, const BenchInput* input) {
    for (auto _ : state) {
        for (const std::string& document : input->documents) {
            std::vector<std::string_view> paragraphs;
            for (const auto& p : cite::passage::split_paragraphs(document))
                paragraphs.push_back(std::string_view(document).substr(p.bytes.begin, p.bytes.size()));
            if (const auto signature = cite::index::document_signature(paragraphs))
                benchmark::DoNotOptimize(cite::index::band_terms(*signature));
            for (const std::string_view p : paragraphs) benchmark::DoNotOptimize(cite::index::copy_passage_term(p));
        }
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input->document_bytes));
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    const fs::path scifact_gz = scifact_dir() / "corpus.jsonl.gz";
    // Registered benchmarks keep pointers to these until the run ends.
    const std::vector<BenchInput> inputs = [&] {
        std::vector<BenchInput> all{shipped_corpus()};
        if (BenchInput slice = scifact_slice(scifact_gz); !slice.documents.empty())
            all.push_back(std::move(slice));
        return all;
    }();
    for (const BenchInput& input : inputs)
        std::cerr << "input " << input.name << ": " << input.documents.size() << " documents, "
                  << input.paragraphs.size() << " paragraphs, " << input.document_bytes << " bytes\n";
    if (inputs.size() == 1)
        std::cerr << "input scifact: not found at " << scifact_gz.string() << " (set SCIFACT)\n";
    for (const BenchInput& input : inputs) {
        benchmark::RegisterBenchmark(("analyze/" + input.name).c_str(), bench_analyze, &input);
        benchmark::RegisterBenchmark(("analyze+quantities/" + input.name).c_str(), bench_analyze_quantities,
                                     &input);
        benchmark::RegisterBenchmark(("sentences/" + input.name).c_str(), bench_sentences, &input);
        benchmark::RegisterBenchmark(("paragraphs/" + input.name).c_str(), bench_paragraphs, &input);
        benchmark::RegisterBenchmark(("similarity/" + input.name).c_str(), bench_similarity, &input);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
