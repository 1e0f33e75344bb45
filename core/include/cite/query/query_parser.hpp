#pragma once
// Parses the query language (README, "Query language") into a Node tree, analysing every
// word with the index's Analyzer.
//
//   words        ranked; passages with all words first     "exact phrase"  “curly quotes”
//   a AND b      a OR b     a NOT b     -word     a NEAR b     a NEAR/5 b     ( ... )
//   title:word   author:"Given Family"   publisher:word   file:003 (substring; * globs)
//   case:US      case:"WHO report"  (letter case as written; US, WHO, AIDS alone are, too)
// Operators are upper case; "and"/"or"/"not"/"near" in lower case are ordinary words.

#include "cite/analysis/analyzer.hpp"
#include "cite/query/query_ast.hpp"

#include <string_view>

namespace cite::query {

/// Throws QueryError with the byte position of the fault: unbalanced quotes or
/// parentheses, an operator with nothing on one side, a query of excluded words only, or a
/// query with nothing searchable (e.g. only punctuation). Also rejects invalid UTF-8.
[[nodiscard]] Node parse_query(std::string_view text, analysis::Analyzer& analyzer);

/// Replaces the words of `root` that state a figure — a quoted phrase or a word that is one
/// quantity, or a run of side-by-side plain words that together are one — by Quantity nodes,
/// so that "6 million tons" finds "six million tons" and `$31 billion` finds "31 billion
/// dollars". A bare number or year stays a word. parse_query and parse_literal call this.
void read_quantities(Node& root, analysis::Analyzer& analyzer);

/// The acronym rule: a word of two to five letters, all capitals (US, WHO, AIDS), matches only
/// in capitals, not the words "us" or "who". Off for a query that holds a word of six or more
/// letters in capitals: a query typed in capitals says nothing about letter case.
[[nodiscard]] bool is_acronym(const analysis::Token& token);
[[nodiscard]] bool acronym_rule_applies(const Node& root);

/// Makes the words of a Words node match their letter case: every token with a capital letter
/// when the node is `case_sensitive`, otherwise acronyms only, if `acronyms`. Such a token's
/// term becomes its cased term (index::cased_term) and its stem is dropped: the word matches
/// exactly as written. parse_query applies it to every Words node; parse_literal does not (the
/// acronym rule is a rule of the query language).
void match_letter_case(Node& words, bool acronyms);

/// Reads `text` as plain words with no operators, quotes or fields (a pasted sentence or a
/// claim): a Group of its white-space separated words, in any letter case. Throws QueryError when nothing in it is
/// searchable or it is not valid UTF-8.
[[nodiscard]] Node parse_literal(std::string_view text, analysis::Analyzer& analyzer);

}  // namespace cite::query
