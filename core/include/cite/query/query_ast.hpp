#pragma once
// The parsed form of a query: a tree the Xapian query builder and the evidence matcher
// both read, so that what is ranked and what is highlighted follow the same rules.

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/quantity.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace cite::query {

enum class NodeKind {
    Words,       ///< a query word or "quoted phrase": `tokens`, matched as a phrase if several
    Group,       ///< words side by side: all preferred, some accepted (ranked all-first)
    And,         ///< explicit AND: every child
    Or,          ///< OR: any child
    AndNot,      ///< children[0] but not children[1] (NOT, -word)
    Near,        ///< every child within `window` words of each other
    FileFilter,  ///< file:PATTERN, a case-insensitive substring (or * glob) of the source path
    LanguageFilter,  ///< lang:CODE, passages in that language (analysis/language.hpp)
    DateFilter,  ///< date:RANGE, passages of documents whose date lies within the range
    Quantity,    ///< a figure ("$31 billion", "6 million tons", "5 to 7 million tons"), by value
};

/// Which text a Words node is matched against.
enum class Field { Body, Title, Author, Publisher };

struct Node {
    NodeKind kind = NodeKind::Words;
    std::vector<Node> children;
    std::size_t position = 0;  ///< byte offset in the query where this node starts

    // Words
    std::string text;                      ///< as typed (without quotes)
    std::vector<analysis::Token> tokens;   ///< analysed with the index's analyzer
    bool quoted = false;                   ///< a "phrase": exact (unstemmed) terms only
    Field field = Field::Body;
    std::string alias;                     ///< the alias name this phrase stands for, if any
    /// `case:`: every word with a capital letter matches only as written. A case-sensitive
    /// word's token (this, or an acronym: match_letter_case) holds the index's cased term
    /// (index::cased_term, "XC:US") as its `term`, and no stem.
    bool case_sensitive = false;
    /// Also matched through transliteration keys (index has passages in another script).
    bool transliterate = false;
    /// A Cyrillic alias name (aliases.conf): each word matched by its stem, in sequence, so that
    /// Russian cases of a name of several words count ("Среднего коридора" names "Средний
    /// коридор"); a word without a stem (Kazakh, an acronym) by its term.
    bool stemmed_phrase = false;

    // Or
    bool alias_group = false;  ///< an alias group expanded from one of its names

    // Near: at most `window` words between the children.
    unsigned window = 0;

    // FileFilter: the pattern; LanguageFilter: the language code; DateFilter: the range as typed
    std::string pattern;

    // DateFilter: the first and last day of the range, YYYYMMDD (passage::day_span), inclusive;
    // empty for an open end. A document matches when every day its date covers lies within.
    std::string date_from;
    std::string date_to;

    // Quantity: a point value, or a range (value_to) meaning "any value within"; an empty unit
    // matches every unit.
    analysis::Quantity quantity;
};

/// Default and largest NEAR distances (words between).
inline constexpr unsigned default_near_window = 10;
inline constexpr unsigned max_near_window = 1000;

/// Lets every Words node of `root` match through transliteration keys too (set when the index
/// holds passages in Cyrillic, so that an English-only index ranks exactly as before).
void enable_transliteration(Node& root);

/// Whether a document dated `date` (YYYY, YYYY-MM or YYYY-MM-DD) lies within the DateFilter
/// `filter`: false for an empty or unreadable date.
[[nodiscard]] bool date_within(const Node& filter, std::string_view date);

/// Rendering for tests and --explain: (AND a (OR b "c d")) etc.
[[nodiscard]] std::string to_string(const Node& node);

}  // namespace cite::query
