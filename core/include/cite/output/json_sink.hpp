#pragma once
// The formats for programs: `json` (one document) and `jsonl` (JSON Lines, streamed).
// Both carry the same result objects. Wire format, format_version 5 (2 added "mode", and
// "mention" and "mentions" for exhaustive mode; 3 added status "unchecked" and
// "missing_shards"; 4 withholds a mention's "text" (null) when its file is stale or missing,
// and added "left_out" to the quote, check and facts documents; 5 added "also_in" and
// "copies" to ranked results whose passage has copies, and "documents" and "stories" to
// "mentions"):
//
// JSON Lines (`--format jsonl`): one compact object per line, "type" first, flushed after
// each line so a reader sees results as they come:
//
//   {"type":"begin","format_version":5,"mode":"ranked","query":"solar wind","db":"idx",
//    "offset":0,"limit":10}
//   {"type":"result", <result fields>}          one per hit, in rank order
//   {"type":"end","results":2,"total_matches":17,"total_exact":true}
//
// Under --batch, "id" (the query's id in the batch file) follows "mode", in both formats.
// In exhaustive and count modes the end line also carries "mentions" (below); when shards
// were missing (searcher --allow-partial), "missing_shards" comes last.
//
// JSON (`--format json`): one pretty-printed document (2-space indent), written at the end:
//
//   {"format_version": 5, "mode": ..., "query": ..., "db": ..., "offset": ..., "limit": ...,
//    "total_matches": ..., "total_exact": ..., ["mentions": {...},] ["missing_shards": [...],]
//    "results": [<result>, ...]}
//
// db               the database as given; several (shards) joined by ", "
// missing_shards   only when some shard could not be searched (searcher --allow-partial):
//                  their names (path or tcp://HOST:PORT); results and totals cover the others
//
// mode             "ranked" (the best passages by relevance), "mentions" (`--all`: every
//                  occurrence of the query, one result per mention, in corpus order) or
//                  "count" (`--count`: "results" is empty; only "mentions" is of interest)
// mentions         only in modes "mentions" and "count":
//   total          number of mentions
//   passages       passages holding at least one mention
//   documents      documents (files, JSONL records) holding at least one mention
//   stories        distinct stories among those documents: copies of one story count once
//                  (docs/duplicates.md); absent with --no-collapse
//   exhaustive     true: no limit applies, every occurrence in the index is counted; false
//                  only when shards are missing (then "missing_shards" names them)
//   per_file       array of {"source", "count"}, in corpus order (for JSONL records, source is
//                  the JSONL file)
//   per_alias      array of {"alias", "count"} in alias-file order, zero counts included;
//                  empty when the query named no alias group
//
// Result fields (snake_case; offsets are 0-based UTF-8 byte offsets, half-open [start, end);
// paragraph and line numbers are 1-based):
//
//   rank             1-based position in the full ranking (counts --offset); in mode
//                    "mentions", the mention's position in corpus order
//   score            relevance, rounded to 4 decimals; 0 in mode "mentions"
//   citation         "source ¶paragraph l.line" or "source#record ¶paragraph"
//   source           file path relative to the corpus root, '/'-separated
//   record           JSONL record id, or null for text files
//   paragraph        paragraph number within the file or record
//   line             line of the citation (the mention's in mode "mentions", else the first
//                    evidence span's, else the paragraph's); null for JSONL records
//   start_byte, end_byte   the paragraph: in the file, or in the record's "text"
//   title, date, publisher, container_title   strings, "" when unknown
//   authors          array of strings, possibly empty
//   sha256           hex content hash of the file when it was indexed
//   status           "fresh", "stale" (file changed: no evidence given), "missing", or
//                    "unchecked" (a remote shard's passage whose file is not on this machine:
//                    evidence is quoted from the index)
//   evidence         array, empty unless status is "fresh" or "unchecked"; each element:
//     quote          exactly the bytes [start_byte, end_byte) of the file (or record text)
//     start_byte, end_byte
//     line           line of start_byte; null for JSONL records
//     prefix, suffix a few words of context before and after the quote
//     highlights     array of {"start_byte", "end_byte", "matched_as"}: matched words, same
//                    offsets as quote; matched_as "exact", "folded", "stem", "transliteration",
//                    "alias" (with "alias") or "figure" (with "figure": value, unit), and the
//                    query's words as typed in "query_word" (not for figures)
//   also_in, copies  only in mode "ranked" when the passage has copies (and not with
//                    --no-collapse): this result is the canonical copy (earliest date, else
//                    corpus order); also_in counts the other documents holding a copy, and
//                    copies lists each copy (canonical order) as {"citation", "source",
//                    "record", "paragraph", "line" (the paragraph's), "start_byte",
//                    "end_byte", "title", "date", "same_words" (true: word for word the
//                    same; false: a near-identical paragraph of a copy of the story)}
//   mention          only in mode "mentions", last: the one occurrence this result stands for
//                    (evidence is then the sentence holding it, highlighting only it):
//     text           the matched words exactly as in the source; null when status is "stale"
//                    or "missing" (withheld with the evidence)
//     start_byte, end_byte   same offsets as the evidence (for a stale or missing file, where
//                    the indexed version had them)
//     line           line of start_byte; null for JSONL records
//     alias          the alias name that matched, or null
//
// Strings are UTF-8; an invalid byte (never expected: the indexer checks its input) is
// written as U+FFFD rather than failing. No timings appear, so output is reproducible.
// Change any of this only together with a format_version bump.

#include "cite/output/result_sink.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace cite::output {

inline constexpr int json_format_version = 5;

/// The result object described above, without "type".
[[nodiscard]] nlohmann::ordered_json result_to_json(const evidence::CitedHit& hit);

/// The "left_out" array of the quote, check and facts documents: one {"source", "status"
/// ("stale" or "missing"), "reason" ("changed since it was indexed", "no longer exists or
/// cannot be read")} per file left out, in first-seen order; [] when none was.
[[nodiscard]] nlohmann::ordered_json left_out_to_json(const std::vector<evidence::LeftOutSource>& left_out);

/// `--format json`: collects results and writes one document at end().
class JsonSink final : public ResultSink {
  public:
    explicit JsonSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    nlohmann::ordered_json m_header;   ///< the fields known at begin()
    nlohmann::ordered_json m_results = nlohmann::ordered_json::array();
};

/// `--format jsonl`: writes and flushes one line per event.
class JsonLinesSink final : public ResultSink {
  public:
    explicit JsonLinesSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    void write_line(const nlohmann::ordered_json& object);

    std::ostream& m_out;
    std::size_t m_count = 0;
};

}  // namespace cite::output
