#pragma once
// Mention counts (--count) read from the index itself, for the queries where that gives exactly
// what evidence::MatchFinder would find: a plain word counts by its stem's wdf (build_document
// adds one Z term per token), a quoted word by its term's wdf, a phrase by Xapian's phrase
// matching and, where a passage may hold it more than once, its terms' positions. No passage
// is read and analysed again, which makes counting a common phrase over a large corpus a
// matter of milliseconds.

#include "cite/output/result_sink.hpp"
#include "cite/query/query_ast.hpp"

#include <xapian.h>

#include <optional>

namespace cite::search {

/// The counts for `parsed` over the whole database, files in corpus order, or nothing when the
/// query is not a single plain word or phrase of the body (aliases, fields, hyphen
/// alternatives, operators and figures are counted by MatchFinder). Local databases only:
/// positions over the remote protocol cost a round trip each.
[[nodiscard]] std::optional<output::MentionSummary> count_in_index(const Xapian::Database& db,
                                                                   const query::Node& parsed);

}  // namespace cite::search
