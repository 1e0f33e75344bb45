#pragma once
// Comparing a quotation with source text word by word: where the same words stand in the
// same order (and what typography differs), or, failing that, the closest wording and a
// word-level diff. Pure functions over analysed tokens; no index access.

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/byte_range.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cite::evidence {

/// A word of a quote or of a passage: its normalised term and where it stands.
struct Word {
    std::string term;
    analysis::ByteRange bytes;  ///< in the text it was analysed from
    analysis::TokenKind kind = analysis::TokenKind::Word;
};

/// The words of `tokens`, without the joined forms of hyphenated words.
[[nodiscard]] std::vector<Word> words_of(const std::vector<analysis::Token>& tokens);

/// Indexes in `source` where `quote` starts as a run of equal terms (and, with
/// case_sensitive, equal letter case).
[[nodiscard]] std::vector<std::size_t> find_word_runs(std::string_view quote_text, const std::vector<Word>& quote,
                                                      std::string_view source_text, const std::vector<Word>& source,
                                                      bool case_sensitive, std::size_t from = 0);

/// One way the source's typography differs from the quote's, where the words are the same.
struct Difference {
    std::string kind;     ///< apostrophe, quotation mark, dash, space, line break, case,
                          ///< diacritics, soft hyphen, punctuation, character form
    std::string quoted;   ///< as typed in the quote
    std::string source;   ///< as it stands in the source
    analysis::ByteRange source_bytes;  ///< in the source text
};

/// Differences between the quote words [0, n) and the source words [first, first + n): each
/// word's own bytes and the stretch between consecutive words.
[[nodiscard]] std::vector<Difference> typographic_differences(std::string_view quote_text,
                                                              const std::vector<Word>& quote,
                                                              std::string_view source_text,
                                                              const std::vector<Word>& source, std::size_t first);

/// One step of a word-level diff from quote to source.
struct DiffOp {
    enum class Kind { Equal, Replace, Delete, Insert };  ///< Delete: only in the quote; Insert: only in the source
    Kind kind = Kind::Equal;
    std::string quoted;                ///< quote words (empty for Insert)
    std::string source;                ///< source words (empty for Delete)
    analysis::ByteRange source_bytes;  ///< in the source text (empty range for Delete)
    analysis::ByteRange quoted_bytes;  ///< in the quote (empty range for Insert)
    /// A figure's value changed: a number on either side of a Replace/Delete/Insert, unless the
    /// figures on both sides read as the same values (the searcher compares them: "forty-one"
    /// and "41" are one number; "£5" and "$5" are not).
    bool number_changed = false;
};

[[nodiscard]] const char* to_string(DiffOp::Kind kind);

struct Alignment {
    double similarity = 0;           ///< Dice: 2 x equal words / (quote words + window words)
    double coverage = 0;             ///< equal words / quote words
    std::size_t first = 0, last = 0; ///< source words [first, last] the quote aligns with
    std::vector<DiffOp> ops;
};

/// Aligns all of `quote` with the best-matching window of `source` (semi-global alignment:
/// the source may begin and end anywhere). Equal words are equal terms (and case, with
/// case_sensitive). An empty quote or source gives similarity 0.
[[nodiscard]] Alignment align_words(std::string_view quote_text, const std::vector<Word>& quote,
                                    std::string_view source_text, const std::vector<Word>& source,
                                    bool case_sensitive);

}  // namespace cite::evidence
