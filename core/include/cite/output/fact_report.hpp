#pragma once
// Output of `searcher check` and `searcher report` (claims with verdicts and the figures
// compared) and of `searcher facts` (the figures passages state, grouped by unit), in every
// format. It reports evidence retrieval with numeric comparison, not a language model.
//
// Claims, JSON (format_version 4, "mode": "check"); jsonl writes each element of "claims" on
// one line with "type": "claim" first:
//   {"format_version": 4, "mode": "check",
//    "note": "evidence retrieval with numeric comparison, not a language model",
//    "claims": [{"claim", "verdict": "supported" | "contradicted" | "not found",
//                "reason": null | "no passage about the subject" |
//                          "the subject is there with no figure for this measure",
//                "unknown_names": [...],                   claim names the corpus never mentions
//                "quantities": [<quantity>],               the figures read from the claim
//                "evidence": [<result> + {                 the result fields of json_sink.hpp
//                    "word_coverage",                      share of the claim's content words, 0-1
//                    "supports",                           true / false
//                    "anchors": [...],                     the claim's words found in its article
//                    "comparisons": [{"claimed": <quantity>,
//                                     "status": "matched" | "differs" | "absent",
//                                     "found": <quantity> or null}]}],
//                "left_out": [{"source", "status", "reason"}]}]}
//   "left_out" names the files with passages bearing on the claim that changed ("stale") or
//   are gone ("missing") since indexing: left out of the verdict, never in "evidence"
//   (json_sink.hpp, left_out_to_json); [] when none was.
//   In "evidence", "rank" is the passage's 1-based position in the claim's evidence list
//   (supporting passages first, then those with differing figures), as [n] in text and CSV.
//
// A <quantity> is {"text", "value", "value_to" (null unless a range), "unit" ("" for a count),
// "start_byte", "end_byte", "line" (null when unknown)}: bytes are offsets into the claim for
// claimed figures, into the file (or JSONL record text) for figures found in passages.
//
// Facts, JSON ("mode": "facts"):
//   {"format_version": 4, "mode": "facts", "query", "passages",     passages matching the query
//    "figures", "truncated",              figures in them (of the units asked for); --limit cut
//    "units": [{"unit", "facts": [<quantity> + {"citation", "source", "record", "paragraph",
//               "evidence": [<span>],      the sentence with the figure, as json_sink.hpp's
//               "title", "authors", "date", "status"}]}],
//    "left_out": [{"source", "status", "reason"}]}   files matching the query that changed or
//                                                    are gone: no figure is read from them
//   jsonl: {"type": "fact", "unit", <the fact's fields>} per fact, in the same order, then
//   {"type": "end", "figures", "truncated", "passages", "left_out"}.
//
// Text and CSV output do not name the files left out (the searcher says so on stderr);
// Markdown ends each claim, and the table of figures, with output::markdown_left_out's note.

#include "cite/evidence/fact_check.hpp"
#include "cite/output/result_sink.hpp"

#include <ostream>
#include <vector>

namespace cite::output {

/// Writes `checks` in `format` (Trec is written as Text):
///
/// - text: per claim its verdict with the reason, the claim's figures, then each evidence
///   passage with its citation, title, quotes (figures marked «» or in ANSI colour with
///   `options.color`) and one line per claimed figure; a blank line between claims:
///
///       claim: Trade hit $31 billion in 2023
///       verdict: supported — a passage states every figure and enough of the claim's words
///         figures: $31 billion (31000000000 usd), 2023 (2023 year)
///         [1] a.txt ¶5 l.9  supports · words 83%
///             Title
///             > Trade reached «$31 billion» in «2023».
///               bytes 1378-1420
///             $31 billion: matched — “$31 billion” (bytes 1393-1404)
///             2023: matched — “2023” (bytes 1408-1412)
///
/// - csv: a header row `claim,verdict,rank,source,record,paragraph,line,quote,start_byte,
///   end_byte,claimed,status,found,found_start_byte,found_end_byte,word_coverage,supports`,
///   then a row per claim, evidence passage and claimed figure (a claim without evidence: one
///   row with claim and verdict only; a claim without figures: one row per passage with the
///   figure columns empty). quote and its bytes are the passage's first evidence span.
/// - markdown (what `searcher report` prints): `# Fact-check report`, then per claim a
///   `### claim` heading, the verdict in bold, up to three quotes (from supporting passages
///   or ones with differing figures) with figures in bold and a citation number [n], each
///   followed by its figure comparisons as a list; then `## Sources`, one entry per cited
///   paragraph in number order. A paragraph keeps its number across all `checks`.
/// - pandoc: the markdown report opened by write_pandoc_front_matter(options.bibliography),
///   each quote cited as [@key, para N] and followed by its pandoc_provenance() comment, no
///   `## Sources` (citeproc lists them); the sources cited are written to
///   options.bibliography as CSL-JSON (pandoc_sink.hpp). Throws cite::Error if it cannot be.
/// - csl-json, bibtex, biblatex, ris: one entry per source of any claim's evidence, in order
///   of first citation (bibliography.hpp), keys from options.keys.
void write_claim_checks(Format format, std::ostream& out,
                        const std::vector<evidence::ClaimCheck>& checks,
                        const SinkOptions& options);

/// Writes `table` in `format` (Trec is written as Text):
///
/// - text: per unit a heading with its count, then per fact its value, wording and citation,
///   and the sentence; then a total:
///
///       usd (2 figures)
///         31000000000  “$31 billion”  a.txt ¶5 l.9
///           > Trade reached «$31 billion» in 2023.
///         ...
///       (count) (1 figure)
///         ...
///       3 figures in 2 passages
///
/// - csv: a header row `unit,value,value_to,text,start_byte,end_byte,line,source,record,
///   paragraph,quote,title`, then a row per fact.
/// - markdown: a `## unit` section per unit with a table `| Figure | Value | Source |
///   Sentence |`, then the total.
/// - csl-json, bibtex, biblatex, ris: one entry per source of a figure.
/// - pandoc: written as text (the searcher refuses it for facts).
void write_fact_table(Format format, std::ostream& out, const evidence::FactTable& table,
                      const SinkOptions& options);

}  // namespace cite::output
