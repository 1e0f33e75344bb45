#pragma once
// Turns a parsed query into Xapian queries over the index's terms (index/schema.hpp).

#include "cite/query/query_ast.hpp"

#include <xapian.h>

namespace cite::query {

/// A body word of the query: what the title boost and rank::coverage weigh.
struct ContentWord {
    std::string term;  ///< normalised, unstemmed
    std::string stem;  ///< empty for words not stemmed (numbers, "hnf4a")
};

struct CompiledQuery {
    /// Passages matching every side-by-side word (and all explicit operators).
    Xapian::Query all;
    /// Passages matching only some side-by-side words; empty when the query has no Group of
    /// two or more, so there is one tier only.
    Xapian::Query some;
    /// Passages matching all or some side-by-side words: `all` OR `some`, for ranking by score
    /// alone, without tiers.
    Xapian::Query any;
    /// True when Xapian alone over-approximates the query (NEAR over phrases), so matches
    /// must be confirmed against the parsed query (evidence::find_matches).
    bool needs_verification = false;
    /// The query's plain body words looked up in the document title (stems, OR): adds weight to
    /// passages whose document's title has them, never matches on its own (OP_AND_MAYBE).
    /// Empty when the query has no plain words.
    Xapian::Query title_boost;
    /// The plain body words, one per stem (or per term, if not stemmed), in query order: not
    /// excluded, not quoted, not alternatives of an OR or an alias group. What rank::coverage
    /// weighs.
    std::vector<ContentWord> content_words;
};

/// A node that only restricts which passages match: a file:, lang: or date: filter, or filters
/// combined (`(file:003 OR file:004)`). In a group of words it filters the whole group.
[[nodiscard]] bool is_filter(const Node& n);

/// `db` resolves file: patterns to the sources it holds.
[[nodiscard]] CompiledQuery build_query(const Node& root, const Xapian::Database& db);

/// Xapian OP_NEAR window for `node` (a Near node): its children's word lengths plus the gap.
[[nodiscard]] Xapian::termcount near_window(const Node& node);

/// True when `source` matches a file: pattern (case-insensitive substring; '*' matches any run).
[[nodiscard]] bool file_pattern_matches(std::string_view pattern, std::string_view source);

/// The term alternatives of a Words node as sequences of exact terms, each matched as a
/// phrase: the plain token sequence, and for each hyphenated word its joined form
/// ("multi vector" and "multivector"). At most 16 alternatives.
[[nodiscard]] std::vector<std::vector<std::string>> phrase_variants(const Node& words);

/// True when the passage token `token` is `term`, a term of a query's phrase variants: its
/// folded term, or its cased term (index::cased_term) for a case-sensitive query word.
[[nodiscard]] bool token_has_term(const analysis::Token& token, std::string_view term);

/// For a one-term variant of an unquoted Words node: the token that term came from, whose
/// stem (if any) is matched instead of the exact term. nullptr otherwise.
[[nodiscard]] const analysis::Token* stemmed_token(const Node& words, const std::vector<std::string>& variant);

}  // namespace cite::query
