#pragma once
// Quantities in text: numbers with their scale, currency, percent sign or unit, normalised so
// that "$31 billion", "31 billion dollars" and "US$31bn" are one value, and "six million tons"
// equals "6 million tons". Used to index quantities, to read them in queries and claims, and
// to compare a claim's figures with the corpus's.

#include "cite/analysis/analyzer.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cite::analysis {

/// How a figure is qualified: "about 6 million", "more than 6 million", "up to 6 million".
enum class Bound {
    Exact,    ///< as stated, give or take its rounding
    About,    ///< about, around, roughly, some, approximately, an estimated, close to
    Nearly,   ///< nearly, almost, just under: a little below the value
    AtLeast,  ///< more than, over, above, at least, upwards of, in excess of, just over
    AtMost,   ///< fewer than, less than, under, below, up to, as many as, as much as, at most
};

[[nodiscard]] const char* to_string(Bound bound);

struct Quantity {
    double value = 0;                 ///< normalised: 31e9 for "$31 billion", 147 for "147%"
    std::optional<double> value_to;   ///< the upper end of a range ("2022 to 2023", "5-7 million")
    std::string unit;                 ///< "usd", "eur", "gbp", "percent", "ton", "cubic meter",
                                      ///< "barrel", "km", "year", ... or "" for a bare count
    ByteRange bytes;                  ///< the whole expression in the text
    bool has_scale = false;           ///< a scale word or suffix was part of it (million, bn)
    /// The place of the last significant digit as written, in normalised units: 1e7 for
    /// "$1.13bn", 1e6 for "14m", 100 for "200", 1 for "529", 0.1 for "4.5%" (trailing zeros
    /// of a whole number are read as rounding). Used to compare a rounded figure with an exact one.
    double precision = 1;
    Bound bound = Bound::Exact;       ///< the qualifier in front of the figure, if any
    /// A signed change: +1 for "rose 5%", "up 5%", "a 5% rise"; -1 for "fell 5%", "down 5%",
    /// "a 5% drop"; 0 when the figure is not stated as a change.
    int direction = 0;
    /// For a count without a unit, the stem of the word right after it when that is a content
    /// word ("529 quangos" -> "quango"): what is counted, as far as the text says.
    std::string counted;

    /// Same unit and value (and range), up to floating-point noise.
    [[nodiscard]] bool same_as(const Quantity& other) const;
    /// True when `v` is this quantity's value or lies within its range.
    [[nodiscard]] bool covers(double v) const;
};

/// Quantities in `text`, given the Analyzer's tokens of it, in text order. Recognises digits
/// with separators and decimals, number words (six, twelve, twenty-five, three-to-four), scale
/// words and suffixes (thousand, million, billion, trillion, bn, mn, tn, and as news writes
/// them m and k: "4m", "300k"; "508m tall" is metres), "a million", "half a million", "a
/// quarter of a million", fractions of a whole ("a third of", "half of": percent, about),
/// currencies as signs and words before or after the number ($, US$, USD, dollars, €, euros,
/// £, pounds, sterling, pence and "7p", yen, yuan, roubles, tenge, rupees, rupiah, Swiss
/// francs), percent (%, percent, per cent) and percentage points, ages ("25-year-old"), the
/// units in the README's table, years (1800-2100 without a unit), ranges (A to B, A-B,
/// between A and B, "six or seven million"; "from A to B" is two figures unless both are
/// years), qualifiers (Bound) and signed changes (direction). Not quantities: ordinals (1st),
/// ranks ("No 1"), days of a date ("30 September"), parts of identifiers (C5+1), dates and
/// fractions written with '/' (9/11), phone-like digit groups (+1 555-123-4567).
[[nodiscard]] std::vector<Quantity> find_quantities(std::string_view text, const std::vector<Token>& tokens);

/// True for the units that are currencies ("usd", "gbp", ...).
[[nodiscard]] bool is_currency(std::string_view unit);

/// The shortest decimal form of a normalised value: 31000000000, 2.76, 147.
[[nodiscard]] std::string format_value(double value);

/// "31 billion USD", "147 percent", "2022-2023 year", "6 million ton": for people.
[[nodiscard]] std::string describe(const Quantity& q);

}  // namespace cite::analysis
