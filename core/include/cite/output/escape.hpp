#pragma once
// Small text helpers the sinks share: CSV and Markdown escaping, line-break flattening,
// highlight marking inside quotes, and the short citation label. No JSON: that is nlohmann's.

#include "cite/evidence/evidence.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cite::output {

/// One CSV field after RFC 4180: wrapped in double quotes, with inner quotes doubled, iff it
/// contains a comma, a double quote, CR or LF; otherwise returned unchanged.
[[nodiscard]] std::string csv_field(std::string_view text);

/// One CSV row of `fields` (strings or string views), each through csv_field, ended by CRLF
/// as RFC 4180 asks, whatever the platform.
template <typename Fields>
void write_csv_row(std::ostream& out, const Fields& fields) {
    bool first = true;
    for (const auto& field : fields) {
        if (!first) out << ',';
        first = false;
        out << csv_field(field);
    }
    out << "\r\n";
}

/// `text` as a CommonMark code span, with a fence longer than any backtick run inside; line
/// breaks flattened (flatten_line_breaks).
[[nodiscard]] std::string markdown_code_span(std::string_view text);

/// "*Title*, Author One, Author Two, Publisher, 2021-03-04" without the unknown parts,
/// each escaped for Markdown; empty when nothing is known.
[[nodiscard]] std::string markdown_bibliography(const passage::DocumentMeta& meta);

/// The Markdown note on files left out of `what` ("this verdict", "these figures") because
/// they changed or are gone (evidence::LeftOutSource): an introduction and a list item per file,
///
///     Left out of this verdict; re-run the indexer to check against them:
///
///     - `003_4a6a91b40eaa168d.txt` changed since it was indexed
///
/// Empty when none was.
[[nodiscard]] std::string markdown_left_out(const std::vector<evidence::LeftOutSource>& left_out,
                                            std::string_view what);

/// "1 mention", "12 mentions": `n` and the noun, plural with an s.
[[nodiscard]] std::string counted(std::size_t n, std::string_view noun);

/// `text` with every run of CR and LF replaced by one space, so a quote fits on one line.
[[nodiscard]] std::string flatten_line_breaks(std::string_view text);

/// `text` made literal for CommonMark/GFM inline content: \ ` * _ [ ] < > # | get a
/// backslash, and (as flatten_line_breaks) each run of CR/LF becomes one space, because a
/// line break would end the "> " block quote the text is put in. Text is only ever placed
/// after "> " or inside a sentence, so line-start markers (- + 1.) need no escaping.
[[nodiscard]] std::string markdown_escape(std::string_view text);

/// Text piece transformer for render_quote.
using TextFilter = std::string (*)(std::string_view);

/// The quote of `span` with each highlight wrapped in `open`…`close`; `filter` is applied to
/// every piece of quoted text (inside and outside highlights), never to the markers.
/// Highlights use the same offsets as `span.bytes`; they are clipped to the quote, and
/// overlapping or touching ones are merged.
[[nodiscard]] std::string render_quote(const evidence::EvidenceSpan& span, std::string_view open,
                                       std::string_view close, TextFilter filter);

/// The line a citation points at: the mention's for a mention hit (exhaustive mode), else
/// that of the first evidence span if there is one, else the passage's; 0 (no line) for
/// JSONL records.
[[nodiscard]] std::uint32_t citation_line(const evidence::CitedHit& hit);

/// "003_4a6a91b40eaa168d.txt ¶12 l.23" for text files; "corpus.jsonl#4983 ¶2" for JSONL
/// records (no line). The paragraph is passage.ordinal; the line is citation_line().
[[nodiscard]] std::string citation_label(const evidence::CitedHit& hit);

/// round_score(score) with exactly 4 decimals ("12.4080"), independent of the locale.
[[nodiscard]] std::string format_score(double score);

/// `score` rounded to 4 decimals, for JSON numbers.
[[nodiscard]] double round_score(double score);

}  // namespace cite::output
