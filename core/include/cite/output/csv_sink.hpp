#pragma once
// CSV for spreadsheets (RFC 4180: comma-separated, CRLF row ends, fields quoted as needed).

#include "cite/output/result_sink.hpp"

#include <ostream>

namespace cite::output {

/// A header row, then one row per evidence span:
///
///     rank,score,source,record,paragraph,line,start_byte,end_byte,quote,prefix,suffix,
///     highlights,title,authors,date,publisher,sha256,status
///
/// line/start_byte/end_byte are the span's (line empty for JSONL records); highlights are
/// "start-end;start-end" byte ranges; authors are joined with "; ". A hit without evidence
/// (stale or missing file) gets one row whose span fields are empty. Scores have 4 decimals.
class CsvSink final : public ResultSink {
  public:
    explicit CsvSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
};

}  // namespace cite::output
