#pragma once
// CSV for spreadsheets (RFC 4180: comma-separated, CRLF row ends, fields quoted as needed).

#include "cite/output/result_sink.hpp"

#include <ostream>

namespace cite::output {

/// A header row, then one row per evidence span:
///
///     rank,score,source,record,paragraph,line,start_byte,end_byte,quote,prefix,suffix,
///     highlights,title,authors,date,publisher,sha256,status,mention_text,
///     mention_start_byte,mention_end_byte,alias
///
/// line/start_byte/end_byte are the span's (line empty for JSONL records); highlights are
/// "start-end;start-end" byte ranges; authors are joined with "; ". A hit without evidence
/// (stale or missing file) gets one row whose span fields are empty. Scores have 4 decimals.
/// The mention columns are filled for mention hits (exhaustive mode, `--all`: one row per
/// mention, its sentence as the quote; alias empty when no alias group matched) and empty in
/// ranked mode; mention_text is empty too when the file is stale or missing (withheld with
/// the quote; the mention's bytes are where the indexed version had them).
///
/// In count mode (`--count`) the table is a different one, written at end(): mentions per
/// file in corpus order, then the total (every occurrence in the index, no limit applied):
///
///     source,count
///     003_4a6a91b40eaa168d.txt,5
///     TOTAL,12
class CsvSink final : public ResultSink {
  public:
    explicit CsvSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    bool m_count_only = false;
};

}  // namespace cite::output
