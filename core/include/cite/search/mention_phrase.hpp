#pragma once
// How --all and --count read a query: they count mentions of one thing, so an unquoted run of
// words is one name ("Jose Mourinho" counts the name, not "Jose" and "Mourinho" apart), and a
// query of catalog fields only (title:Glazer) lists the passages of the documents it names.

#include "cite/analysis/analyzer.hpp"
#include "cite/query/query_ast.hpp"

#include <string>
#include <string_view>

namespace cite::search {

/// When `root` is a run of two or more plain words side by side (unquoted body words, beside
/// file: filters at most), replaces the run by one quoted phrase of the same text, as `"..."`
/// would read it, and returns that text; otherwise leaves `root` as it is and returns "".
/// `query` is the text `root` was parsed from (Node::position are offsets into it).
std::string read_run_as_phrase(query::Node& root, std::string_view query, analysis::Analyzer& analyzer);

/// True when `root` has a condition on the passage text (a body word or phrase, or a figure)
/// outside the excluded side of a NOT; false for catalog fields and file: filters only.
[[nodiscard]] bool has_body_condition(const query::Node& root);

}  // namespace cite::search
