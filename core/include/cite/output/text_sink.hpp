#pragma once
// The human-readable format: one block per hit with its citation, score, bibliographic line
// and quoted evidence, matches marked «like this» or in ANSI colour; a summary line at the end.

#include "cite/output/result_sink.hpp"

#include <ostream>

namespace cite::output {

/// Writes, per hit:
///
///     1. 003_4a6a91b40eaa168d.txt ¶12 l.23  score 12.4080
///        Title — Author One, Author Two (2021-03-04)
///        > quote with «matched» words, line breaks shown as one space
///          bytes 1042-1180
///
/// (a "> …" and "bytes" pair per evidence span; a "! …" line instead when the file changed
/// or is missing), a blank line, and at end() one summary line.
class TextSink final : public ResultSink {
  public:
    TextSink(std::ostream& out, const SinkOptions& options);

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    SinkOptions m_options;
    std::size_t m_offset = 0;
    std::size_t m_count = 0;
};

}  // namespace cite::output
