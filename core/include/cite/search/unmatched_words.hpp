#pragma once
// Query words that no passage holds, each with the nearest word the index does hold: a
// misspelt word is named instead of being dropped in silence ("Yukos auktion" searched Yukos).

#include "cite/output/result_sink.hpp"
#include "cite/query/query_ast.hpp"

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace cite::search {

using output::UnmatchedWord;

/// The words of `root` (plain or quoted, any field, excluded ones too) that no passage of `db`
/// holds: a plain word by its stem (or term, if not stemmed), a quoted word by its exact term.
/// Figures, file: filters and alias groups (which match when any of their names does) are left out.
[[nodiscard]] std::vector<UnmatchedWord> unmatched_words(const query::Node& root, const Xapian::Database& db);

/// The indexed word (in the field of `field_prefix`, "" for the body) nearest to the normalised
/// `term`: fewest edits (insertions, deletions, substitutions, swaps of neighbours, by code
/// point), at most 1 for words of up to 4 letters and 2 for longer ones; among equals, the word
/// in most passages, then the first in byte order. "" when none is that near.
[[nodiscard]] std::string nearest_indexed_word(const Xapian::Database& db, std::string_view term,
                                               std::string_view field_prefix = {});

}  // namespace cite::search
