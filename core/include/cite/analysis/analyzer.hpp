#pragma once
// The one text analyzer used both to index passages and to analyse query words, so that a
// query finds exactly what the index holds. ICU does the Unicode work; Xapian stems.

#include "cite/analysis/byte_range.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cite::analysis {

enum class TokenKind {
    Word,      ///< letters (possibly with digits or inner apostrophes)
    Number,    ///< starts with a digit: 2023, 274200 (from 274,200), 2.76
    Symbol,    ///< a currency sign ($, €) or percent sign (term "percent")
    Compound,  ///< joined form of a hyphenated word: "multivector" from "multi-vector"
};

/// One indexable unit of text.
struct Token {
    std::string term;        ///< normalised, unstemmed; what positional (phrase) terms hold
    std::string stem;        ///< English stem of `term`; empty when the term is not stemmed
    std::uint32_t position;  ///< 1-based word position; a Compound shares its last part's
    ByteRange bytes;         ///< where the token's source text lies in the analysed text
    TokenKind kind;
    /// The word with its letter case kept (every other folding as in `term`: "US" for "US's",
    /// "iPod"), for case-sensitive search (`case:US`); empty when it has no capital letter, or
    /// for joined compounds and words that fall apart when normalised.
    std::string cased = {};
    /// Transliteration keys (transliteration.hpp) of a capitalised word, the names a query in
    /// another script may look for; empty for other tokens.
    std::vector<std::string> keys = {};
};

/// Tokenises and normalises UTF-8 text. The rules (README, "Analysis"):
/// - ICU UAX #29 word boundaries; NFKC with full case folding; Latin/Greek/Cyrillic
///   diacritics removed (Beşer -> beser), a few letters without decompositions mapped (ø -> o).
/// - ’ ‘ ʼ ＇ are apostrophes; a trailing possessive 's or ' is dropped; dots inside
///   acronyms stay (U.S. -> u.s, so it never matches the pronoun "us").
/// - An elided article or preposition (a closed list: l', d', qu', dell', un'...) before a
///   vowel or h is a word of its own: "l'Assemblée" gives "l" and "assemblee".
/// - Numbers stay whole; thousands separators are dropped (274,200 -> 274200).
/// - `%` becomes the term "percent"; currency signs are terms of their own.
/// - Hyphenated words give their parts plus the joined form (a Compound token).
/// - Stems: Snowball English, a British spelling's stem replaced by the American one
///   (american_stem()); terms keep the text's spelling. Cyrillic words: Snowball Russian,
///   except words with a Kazakh-only letter (no Kazakh stemmer in Xapian), which take a light
///   suffix rule (kazakh_suffixes.hpp).
/// - Cyrillic ё is е (the diaeresis goes as every diacritic does); й stays й.
/// - Terms longer than max_term_bytes are dropped (Xapian limits term length).
/// - A word with a capital letter keeps its cased form beside (Token::cased).
/// Not thread-safe, not even its const members (stem() fills a cache): one Analyzer per thread.
class Analyzer {
  public:
    static constexpr std::size_t max_term_bytes = 64;
    /// Changes whenever the terms produced for some text change; stored in the index so a
    /// changed analyzer forces a re-index instead of silently mismatching queries.
    // 2: terms are settled (each analyses to itself); 3: every trailing "'s" dropped at once;
    // 4: a lone Greek letter in a word is spelt out ("IFN-γ" = "IFN-gamma");
    // 5: British spellings stem as American ones ("tumour" = "tumor"; spelling_variants.hpp);
    // 6: ... by stem, so whole families move ("colourant" = "colorant"), American stems kept;
    // 7: two false families dropped from the table (apprise-, aerogen-);
    // 8: centre, haemorrhage, licence and sulphate families mapped (centreing no longer blocks);
    // 9: figures: "three hundred" is 300 (was 3 and 100), "647–60" is no range (was 647 to 60),
    //    "USD 31 billion" is a sum in dollars (was a bare number).
    // 10: figures as the news writes them: "4m", "300k", "2.5tn" without a currency, pounds,
    //    sterling, pence, yen, rupees, Swiss francs, "half a million", fractions as percent,
    //    "six or seven million", percentage points, ages, metres and litres; "from A to B" is
    //    two figures; days of dates and ranks are no figures.
    // 11: a word with a capital letter also gives its cased form (Token::cased), indexed for
    //    case-sensitive search.
    // 12: Cyrillic words stem as Russian (Kazakh words not at all), й is no longer и, and
    //    capitalised words carry transliteration keys (docs/languages.md).
    // 13: a French, Italian or Catalan elision is split: "l'Assemblée" is "l" and "assemblee",
    //    "dell'Unione" is "dell" and "unione" (the apostrophe in neither).
    // 14: digit groups apart by a space, NBSP or narrow NBSP are one number where that is
    //    unambiguous ("274 200 тонн" is 274200 tons); Kazakh words stem by a light suffix rule
    //    (Қазақстанның = Қазақстан; docs/languages.md).
    static constexpr int version = 14;

    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    /// Tokens of `text` (must be valid UTF-8) in position order. Byte ranges are relative to
    /// `text`. Throws AnalysisError if ICU fails.
    [[nodiscard]] std::vector<Token> analyze(std::string_view text);

    /// The English stem of a normalised term, or "" if the term is not stemmed (it has
    /// characters other than letters and apostrophes).
    [[nodiscard]] std::string stem(std::string_view term) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// `word` with its diacritics removed, the letters NFD leaves whole folded as the analyzer
/// folds them (ø → o, æ → ae, ł → l) and its case folded: two spellings of a word that differ
/// only in typography fold alike (quote checking). Valid UTF-8 in and out.
[[nodiscard]] std::string fold_letters(std::string_view word);

}  // namespace cite::analysis
