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
///
/// A mention hit (exhaustive mode, `--all`) quotes the sentence holding the mention, which
/// alone is bold, and its citation names the mention (and the alias that matched, if any):
///
///     — mention “TITR” (alias TITR), *Title*, … `dir/a.txt` ¶12, l.24 (bytes 1042–1180).
///
/// ("— mention (text withheld), …" when the file changed or is missing.)
///
/// Nothing is written at begin(); nothing at end() either, unless SearchStats::mentions is
/// set (`--all`, `--count`): then a summary stating that the count is exhaustive, then the
/// files holding mentions and, when the query named an alias group, the count per alias:
///
///     **12 mentions** in 3 files, exhaustive.
///
///     - `003_4a6a91b40eaa168d.txt`: 5
///     - `004_1c0e81e84614d3ea.txt`: 7
///
///     By alias:
///
///     - Middle Corridor: 8
///     - TITR: 1
///
/// ("**No mentions**, exhaustive." when there are none).
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
