#pragma once
// Markdown for pasting into notes: each hit is a block quote followed by its citation.

#include "cite/output/result_sink.hpp"

#include <ostream>

namespace cite::output {

/// Per hit (CommonMark; quoted text is markdown_escape()d, matches are **bold**):
///
///     > The quoted sentence with a **matched** word.
///
///     — *Title*, Ann Author, Publisher, 2021-03-04. `dir/a.txt` ¶12, l.23 (bytes 1042–1180).
///
/// Several evidence spans become paragraphs of one block quote, separated by a ">" line,
/// and their byte ranges are listed in order. JSONL records are cited as `source#record` ¶N
/// with no line. A changed or missing file gets a "*(quote withheld: …)*" quote instead.
/// Nothing is written at begin() or end().
class MarkdownSink final : public ResultSink {
  public:
    explicit MarkdownSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
};

}  // namespace cite::output
