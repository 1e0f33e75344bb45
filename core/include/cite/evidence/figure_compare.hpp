#pragma once
// When two figures state the same thing: the same kind of quantity (a sum of money, a share, a
// count of the same things, a length...), the same time, and values equal once qualifiers
// ("about", "more than") and rounding are taken into account. The rules of `searcher check`.

#include "cite/analysis/quantity.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace cite::evidence {

enum class FigureAgreement {
    Equal,         ///< the stated figure bears the claimed one out
    Differs,       ///< a different value for the same kind of quantity
    Unsettled,     ///< comparable, but neither equal nor exclusive ("over 5%" and "7%")
    Incomparable,  ///< another kind of quantity (a count of other things, another unit)
};

[[nodiscard]] const char* to_string(FigureAgreement agreement);

/// The kind of quantity a unit measures: "money" for every currency, "count" for a bare count
/// and for people, else the unit itself ("percent", "percentage point", "year", "ton"...).
[[nodiscard]] std::string_view measure_kind(const analysis::Quantity& q);

/// How `stated` bears on `claimed` (README, "Fact-checking"):
/// - Incomparable when the kinds differ, or both are counts of differently named things
///   ("262 quangos", "162 staff").
/// - Money in two currencies: Differs when the values agree (a swapped currency, "£198m"
///   against "$198m"), else Unsettled (a conversion).
/// - A change stated with opposite directions ("rose 16%", "fell 16%") Differs.
/// - Values: each figure stands for an interval. Exact: the value give or take half its last
///   significant place (rounding), at most 5%; a range: its ends. About: 10% either way.
///   Nearly: up to 10% below. At least / at most: open upwards / downwards. Equal when the
///   stated interval lies within the claimed one, or the claimed one within a stated exact,
///   about or nearly figure; the same qualifier on both sides compares the values as exact
///   ("as much as 50%" against "as much as 30%" Differs). Differs when the intervals are
///   disjoint, or the bounds are opposite and exclusive ("fewer than 6 million" against "more
///   than 6 million"). Otherwise Unsettled.
[[nodiscard]] FigureAgreement compare_figures(const analysis::Quantity& claimed, const analysis::Quantity& stated);

/// A time that is not the one stated around it, and not known: "in the previous year" where no
/// year is named. It is the same time as no other.
inline constexpr int other_time = -1;

/// The time of each figure in one sentence, from the years it states. With one year in the
/// sentence every figure takes it. With several, a year dates the figure before it in its
/// clause (no comma or semicolon between: "£3.24bn in 2003 to £2.89bn in 2004"), else the
/// figure after it in its clause, else the nearest; a figure in brackets right after another
/// shares its time (a conversion, "£3.24bn ($6.13bn)"). A figure followed in its clause by
/// "previous", "earlier", "ago" or "prior" is dated a year before the sentence's (or
/// `context`'s) year, or other_time when none is known; one followed by "last", "this" or
/// "next" (year) has no stated time; one in a sentence with no year takes `context` (the year
/// last stated before the sentence). nullopt: no time. `figures` are in text order with byte
/// ranges into `text`; years themselves and durations get nullopt.
[[nodiscard]] std::vector<std::optional<int>> figure_times(std::string_view text,
                                                           const std::vector<analysis::Quantity>& figures,
                                                           std::optional<int> context);

/// Whether the figures of a quote's words and of the source words they were aligned with
/// differ in value (quote, "altered"): `quoted` and `source` are the figures overlapping each
/// side; nullopt when neither side has one (the caller keeps its own judgement then). Equal
/// when both list the same values in the same units, in order ("forty-one" and "41").
[[nodiscard]] std::optional<bool> figures_changed(const std::vector<analysis::Quantity>& quoted,
                                                  const std::vector<analysis::Quantity>& source);

/// Whether two figures' times (figure_times) can be the same: either is unstated, or both are
/// the same year.
[[nodiscard]] bool same_time(std::optional<int> a, std::optional<int> b);

}  // namespace cite::evidence
