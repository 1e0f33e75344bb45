#pragma once
// Where results go. Search produces CitedHits; each output format is one ResultSink.
// Sinks never touch Xapian and never compute scores.

#include "cite/evidence/evidence.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cite::output {

struct QueryInfo {
    std::string query;  ///< as the user typed it
    std::string db;     ///< database path
    std::size_t offset = 0;
    std::size_t limit = 0;
    std::string id;  ///< the query's id in batch runs; empty otherwise
    bool exhaustive = false;  ///< `--all`: hits are mentions, every one of them, in corpus order
    bool count_only = false;  ///< `--count`: no hits follow, only the summary at end()
};

/// What exhaustive mode found, counted. The list it summarises is complete: no limit applies.
struct MentionSummary {
    std::size_t total = 0;     ///< mentions
    std::size_t passages = 0;  ///< passages holding at least one mention
    /// Distinct stories among the documents holding a mention: copies of one story
    /// (docs/duplicates.md) count once. nullopt with --no-collapse.
    std::optional<std::size_t> stories;
    std::size_t documents = 0;  ///< documents (files, JSONL records) holding a mention
    /// Mentions per source file (per JSONL file for records), in corpus order.
    std::vector<std::pair<std::string, std::size_t>> per_file;
    /// Mentions per alias name, in alias-file order, names with no mention included; empty
    /// when the query named no alias group (or --no-aliases).
    std::vector<std::pair<std::string, std::size_t>> per_alias;
    /// The unquoted words that were read as this one phrase ("Jose Mourinho"), or "".
    std::string phrase;
    /// The query names catalog fields only (title:Glazer): each matching passage is one mention.
    bool fields_only = false;
};

/// A query word no passage holds, named instead of dropped in silence.
struct UnmatchedWord {
    std::string word;     ///< as typed in the query
    std::string nearest;  ///< the nearest word the index holds (normalised), or "" when none is near
};

struct SearchStats {
    std::size_t results = 0;        ///< hits passed to the sink
    std::size_t total_matches = 0;  ///< matching passages in the database
    bool total_exact = true;        ///< false when total_matches is Xapian's estimate
    double seconds = 0;
    std::optional<MentionSummary> mentions;  ///< set in exhaustive and count modes
    /// Shards that could not be searched (searcher --allow-partial): the results, totals and
    /// mention counts cover the other shards only. Empty: nothing is missing.
    std::vector<std::string> missing_shards;
    /// Query words no passage holds, in query order.
    std::vector<UnmatchedWord> unmatched;
    /// The database holds no passage at all.
    bool empty_index = false;
};

class ResultSink {
  public:
    virtual ~ResultSink() = default;
    virtual void begin(const QueryInfo& query) = 0;
    virtual void hit(const evidence::CitedHit& hit) = 0;
    virtual void end(const SearchStats& stats) = 0;
    /// False for formats that print no quotes (trec): evidence is then not built.
    [[nodiscard]] virtual bool wants_evidence() const { return true; }
};

enum class Format { Text, Json, Jsonl, Csv, Markdown, CslJson, Trec, Pandoc, Bibtex, Biblatex, Ris };

/// "text", "json", "jsonl", "csv", "markdown", "csl-json", "trec", "pandoc", "bibtex",
/// "biblatex", "ris"; nullopt for anything else.
[[nodiscard]] std::optional<Format> parse_format(std::string_view name);

/// Whether `format` is a list of sources, one entry each (csl-json, bibtex, biblatex, ris).
[[nodiscard]] bool is_bibliography_format(Format format);

class CitationKeys;

struct SinkOptions {
    bool color = false;  ///< text: ANSI bold/colour for matches instead of «…» markers
    /// The corpus's citation keys (citation_key.hpp); null: each source's key is derived from
    /// its metadata alone (unique within one output, not necessarily in the corpus).
    std::shared_ptr<const CitationKeys> keys{};
    /// pandoc: the CSL-JSON file its Markdown names as its bibliography, written at the end.
    std::string bibliography{};
};

[[nodiscard]] std::unique_ptr<ResultSink> make_sink(Format format, std::ostream& out, const SinkOptions& options);

}  // namespace cite::output
