#pragma once
// Chooses and quotes the evidence for a hit: the sentences of the passage that hold the
// matches, as exact byte ranges of the source file, and checks the file is unchanged.

#include "cite/analysis/byte_range.hpp"
#include "cite/analysis/sentence_splitter.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/catalog.hpp"
#include "cite/passage/passage.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cite::evidence {

/// A quote from the source. For text files offsets are into the file, so
/// file[bytes.begin, bytes.end) == quote; for JSONL records they are into the record's text.
struct EvidenceSpan {
    analysis::ByteRange bytes;
    std::uint32_t line = 0;     ///< 1-based line of bytes.begin; 0 for JSONL records
    std::string quote;          ///< the exact bytes at `bytes`
    std::string prefix;         ///< up to a few words before the quote, within the paragraph
    std::string suffix;         ///< up to a few words after the quote, within the paragraph
    std::vector<analysis::ByteRange> highlights;  ///< matched words, same offsets as `bytes`
    /// The quote's text stands more than once in its document (the passages of its file or
    /// record): a text fragment link then needs the prefix and suffix. Set only for sources
    /// with a URL (search_service.cpp), false elsewhere.
    bool repeated = false;
    /// How each highlight matched, index for index with `highlights` (empty for a span made
    /// without matches).
    std::vector<MatchedAs> matched_as;
};

/// Whether the file still holds what was indexed.
enum class SourceStatus {
    Fresh,    ///< same content hash as when indexed
    Stale,    ///< the file changed since it was indexed: its quotes cannot be trusted
    Missing,  ///< the file is gone or unreadable
    /// Not checked: the passage comes from a remote shard and its file is not readable on
    /// this machine. Quotes come from what the index stores, as for Fresh.
    Unchecked,
};

[[nodiscard]] const char* to_string(SourceStatus status);

/// Whether a hit's evidence may be quoted: Fresh, or Unchecked (a remote shard's passage).
[[nodiscard]] inline bool quotable(SourceStatus status) {
    return status == SourceStatus::Fresh || status == SourceStatus::Unchecked;
}

/// A file whose passages were left out of a verdict or a listing of figures (`searcher quote`,
/// `check`, `report`, `facts`) because the index no longer holds what the file holds: it changed
/// since it was indexed (Stale) or is gone or unreadable (Missing). Re-indexing brings it back.
struct LeftOutSource {
    std::string source;  ///< path relative to the corpus root (for JSONL records, the JSONL file)
    SourceStatus status = SourceStatus::Stale;  ///< Stale or Missing
    bool operator==(const LeftOutSource&) const = default;
};

/// Why a file was left out: "changed since it was indexed" (Stale), "no longer exists or cannot
/// be read" (Missing).
[[nodiscard]] const char* left_out_reason(SourceStatus status);

/// Adds `source` to `list` unless it is there already (first-seen order).
void note_left_out(std::vector<LeftOutSource>& list, const std::string& source, SourceStatus status);

/// One occurrence of the query in the corpus (exhaustive mode, `searcher --all`).
struct Mention {
    analysis::ByteRange bytes;  ///< the matched words; same offsets as EvidenceSpan::bytes
    std::uint32_t line = 0;     ///< 1-based line of bytes.begin; 0 for JSONL records
    /// The matched words exactly as they stand in the source; empty (withheld) unless
    /// quotable(status) of the hit, like its evidence: the bytes and line are then where the
    /// indexed version had them.
    std::string text;
    std::string alias;          ///< the alias name that matched; empty when no alias group did
};

/// Another copy of a result's passage (ranked search collapses copies: docs/duplicates.md).
struct CopyCitation {
    passage::Passage passage;  ///< where the copy stands: its own file, paragraph and bytes
    passage::DocumentMeta meta;
    /// True: the same words as the result's passage (its copy-passage term); false: a
    /// near-identical paragraph of a copy of the same story.
    bool same_words = false;
};

/// One search result with its citation and evidence: what output sinks print.
struct CitedHit {
    std::size_t rank = 0;  ///< 1-based, counting --offset
    double score = 0;
    passage::Passage passage;
    passage::DocumentMeta meta;
    std::string sha256;  ///< of the source file when indexed
    /// Sources with a derived text layer (web pages, PDFs, documents): the layer's sha256 and
    /// the extractor that made it, which the byte ranges refer to; empty otherwise.
    std::string layer_sha256{};
    std::string extractor{};
    SourceStatus status = SourceStatus::Fresh;
    std::vector<EvidenceSpan> evidence;  ///< empty unless quotable(status)
    /// Exhaustive mode: this hit is one mention (rank counts mentions in corpus order, score
    /// is 0, evidence is the sentence holding the mention, highlighting only it).
    std::optional<Mention> mention;
    /// Ranked mode, copies collapsed: the other copies of this passage, the canonical copy
    /// being this hit (earliest date, else corpus order); empty when it has none or with
    /// --no-collapse.
    std::vector<CopyCitation> copies;
    /// How many other sources (documents) `copies` stand in.
    std::size_t also_in = 0;
    /// The passage's language (analysis::identify_language), as its XL term holds it.
    std::string language;
    /// Passage words the query matched only through a transliteration key (Токаева for
    /// Tokayev), each once, in passage order.
    std::vector<std::string> transliterated;
};

/// The sentences of `passage` that overlap `matches` (merged where adjacent), as quotes
/// with their highlights; the first sentence, unhighlighted, when `matches` is empty.
[[nodiscard]] std::vector<EvidenceSpan> select_evidence(const passage::Passage& passage,
                                                        const std::vector<MatchSpan>& matches,
                                                        analysis::SentenceSplitter& sentences);

/// The evidence of each match on its own (a listing quotes one mention per hit): for match k,
/// what select_evidence(passage, {matches[k]}, ...) gives, with the passage split into
/// sentences once rather than once per match.
[[nodiscard]] std::vector<std::vector<EvidenceSpan>> select_evidence_each(const passage::Passage& passage,
                                                                          const std::vector<MatchSpan>& matches,
                                                                          analysis::SentenceSplitter& sentences);

/// Compares corpus files with their indexed content hash, reading each file once.
class FreshnessChecker {
  public:
    /// `remote`: the record comes from a remote shard, where the file lives; when it is not
    /// readable here the answer is Unchecked rather than Missing.
    [[nodiscard]] SourceStatus check(const index::FileRecord& file, bool remote = false);

  private:
    std::map<std::string, std::optional<std::string>> m_seen;  ///< path -> content hash
};

}  // namespace cite::evidence
