#pragma once
// The formats for programs: `json` (one document) and `jsonl` (JSON Lines, streamed).
// Both carry the same result objects. Wire format, format_version 1:
//
// JSON Lines (`--format jsonl`): one compact object per line, "type" first, flushed after
// each line so a reader sees results as they come:
//
//   {"type":"begin","format_version":1,"query":"solar wind","db":"idx","offset":0,"limit":10}
//   {"type":"result", <result fields>}          one per hit, in rank order
//   {"type":"end","results":2,"total_matches":17,"total_exact":true}
//
// JSON (`--format json`): one pretty-printed document (2-space indent), written at the end:
//
//   {"format_version": 1, "query": ..., "db": ..., "offset": ..., "limit": ...,
//    "total_matches": ..., "total_exact": ..., "results": [<result>, ...]}
//
// Result fields (snake_case; offsets are 0-based UTF-8 byte offsets, half-open [start, end);
// paragraph and line numbers are 1-based):
//
//   rank             1-based position in the full ranking (counts --offset)
//   score            relevance, rounded to 4 decimals
//   citation         "source ¶paragraph l.line" or "source#record ¶paragraph"
//   source           file path relative to the corpus root, '/'-separated
//   record           JSONL record id, or null for text files
//   paragraph        paragraph number within the file or record
//   line             line of the citation (first evidence span, else paragraph); null for
//                    JSONL records
//   start_byte, end_byte   the paragraph: in the file, or in the record's "text"
//   title, date, publisher, container_title   strings, "" when unknown
//   authors          array of strings, possibly empty
//   sha256           hex content hash of the file when it was indexed
//   status           "fresh", "stale" (file changed: no evidence given) or "missing"
//   evidence         array, empty unless status is "fresh"; each element:
//     quote          exactly the bytes [start_byte, end_byte) of the file (or record text)
//     start_byte, end_byte
//     line           line of start_byte; null for JSONL records
//     prefix, suffix a few words of context before and after the quote
//     highlights     array of {"start_byte", "end_byte"}: matched words, same offsets as quote
//
// Strings are UTF-8; an invalid byte (never expected: the indexer checks its input) is
// written as U+FFFD rather than failing. No timings appear, so output is reproducible.
// Change any of this only together with a format_version bump.

#include "cite/output/result_sink.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace cite::output {

inline constexpr int json_format_version = 1;

/// The result object described above, without "type".
[[nodiscard]] nlohmann::ordered_json result_to_json(const evidence::CitedHit& hit);

/// `--format json`: collects results and writes one document at end().
class JsonSink final : public ResultSink {
  public:
    explicit JsonSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    nlohmann::ordered_json m_document;
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
