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

struct Quantity {
    double value = 0;                 ///< normalised: 31e9 for "$31 billion", 147 for "147%"
    std::optional<double> value_to;   ///< the upper end of a range ("2022 to 2023", "5-7 million")
    std::string unit;                 ///< "usd", "eur", "gbp", "percent", "ton", "cubic meter",
                                      ///< "barrel", "km", "year", ... or "" for a bare count
    ByteRange bytes;                  ///< the whole expression in the text
    bool has_scale = false;           ///< a scale word or suffix was part of it (million, bn)

    /// Same unit and value (and range), up to floating-point noise.
    [[nodiscard]] bool same_as(const Quantity& other) const;
    /// True when `v` is this quantity's value or lies within its range.
    [[nodiscard]] bool covers(double v) const;
};

/// Quantities in `text`, given the Analyzer's tokens of it, in text order. Recognises digits
/// with separators and decimals, number words (six, twelve, twenty-five, three-to-four), scale
/// words and suffixes (thousand, million, billion, trillion, bn, mn; k and m only after a
/// currency), currencies ($, US$, USD, dollars, €, euros, £), percent (%, percent, per cent),
/// the units in the README's table, years (1800-2100 without a unit), and ranges (A to B,
/// A-B, between A and B). Not quantities: ordinals (1st), parts of identifiers (C5+1), dates
/// and fractions written with '/' (9/11), phone-like digit groups (+1 555-123-4567).
[[nodiscard]] std::vector<Quantity> find_quantities(std::string_view text, const std::vector<Token>& tokens);

/// The shortest decimal form of a normalised value: 31000000000, 2.76, 147.
[[nodiscard]] std::string format_value(double value);

/// "31 billion USD", "147 percent", "2022-2023 year", "6 million ton": for people.
[[nodiscard]] std::string describe(const Quantity& q);

}  // namespace cite::analysis
