#pragma once
// Output of `searcher quote`: the verdict for a quotation and where (and how) it stands in
// the corpus, as text, json, jsonl or markdown.
//
// JSON (format_version 4, "mode": "quote"); jsonl is the same object on one line with
// "type": "quote" first:
//   {"format_version": 4, "mode": "quote", "quote": ..., "verdict": "exact" | "typographic" |
//    "altered" | "not found", "matches": [{
//      "citation", "source", "record", "paragraph", "line", "title", "authors", "date",
//      "publisher", "container_title", "sha256", "status",
//      "start_byte", "end_byte"      the source's wording: file[start_byte:end_byte] == source_text
//      "source_text", "similarity",
//      "parts": [{"start_byte", "end_byte"}]             one per part between ellipses
//      "differences": [{"kind", "quoted", "source", "start_byte", "end_byte"}]  typographic
//      "diff": [{"op": "equal"|"replace"|"delete"|"insert", "quoted", "source",
//                "start_byte", "end_byte", "number_changed"}]                altered
//   }],
//   "left_out": [{"source", "status", "reason"}]}   files whose passages held the quote (or
//       came close) but changed ("stale") or are gone ("missing") since indexing: left out
//       of the verdict (json_sink.hpp, left_out_to_json); [] when none was
//
// Markdown ends with output::markdown_left_out's note when files were left out; text output
// does not name them (the searcher says so on stderr).

#include "cite/evidence/quote_check.hpp"
#include "cite/output/result_sink.hpp"

#include <ostream>

namespace cite::output {

/// Writes `check` in `format` (Text, Json, Jsonl or Markdown; the caller rejects others).
void write_quote_check(Format format, std::ostream& out, const evidence::QuoteCheck& check,
                       const SinkOptions& options);

}  // namespace cite::output
