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
///
/// A mention hit (exhaustive mode, `--all`) has no score; its header names the mention, and
/// the alias that matched if any (the mention in ANSI colour instead of «» with color):
///
///     7. 003_4a6a91b40eaa168d.txt ¶12 l.24  mention «TITR»  alias TITR
///
/// When the file changed or is missing, the mention's words are withheld with its quote
/// ("mention (text withheld)"); the citation keeps the indexed version's paragraph and line.
///
/// When SearchStats::mentions is set (`--all`, `--count`), end() prints instead of the
/// ranked summary line how many mentions there are and where, and that the count is
/// exhaustive ("listed" with `--all`, "counted" with `--count`); files without a mention are
/// left out; "no mentions" when there are none:
///
///     12 mentions in 3 files (5 passages); exhaustive: every occurrence in the index is listed
///       003_4a6a91b40eaa168d.txt: 5
///       004_1c0e81e84614d3ea.txt: 7
///       by alias: Middle Corridor 8, Trans-Caspian International Transport Route 3, TITR 1
///
/// (the "by alias" line only when the query named an alias group).
class TextSink final : public ResultSink {
  public:
    TextSink(std::ostream& out, const SinkOptions& options);

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    void write_summary(const SearchStats& stats);
    /// `complete`: no shard is missing, so the list is exhaustive.
    void write_mention_summary(const MentionSummary& mentions, bool complete);

    std::ostream& m_out;
    SinkOptions m_options;
    std::size_t m_offset = 0;
    std::size_t m_count = 0;
    bool m_count_only = false;
    std::size_t m_queries = 0;  // --batch queries begun, to separate them
};

}  // namespace cite::output
