#include "cite/evidence/figure_compare.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace cite::evidence {
namespace {

using analysis::Bound;
using analysis::Quantity;

constexpr double rounding_cap = 0.05;  // rounding never hides more than 5%
constexpr double about_width = 0.10;   // "about", "nearly": 10%
constexpr double infinity = std::numeric_limits<double>::infinity();

struct Interval {
    double lo = 0;
    double hi = 0;
};

double top(const Quantity& q) { return q.value_to.value_or(q.value); }

// Half the last significant place, at most 5% of the value: how far rounding can move it.
double rounding(const Quantity& q) {
    return std::min(0.5 * q.precision, rounding_cap * std::fabs(top(q))) + 1e-9 * std::max(1.0, std::fabs(top(q)));
}

Interval interval_of(const Quantity& q) {
    const double r = rounding(q);
    switch (q.bound) {
    case Bound::Exact: return {q.value - r, top(q) + r};
    case Bound::About: return {q.value * (1 - about_width) - r, top(q) * (1 + about_width) + r};
    case Bound::Nearly: return {q.value * (1 - about_width) - r, top(q) + r};
    case Bound::AtLeast: return {q.value - r, infinity};
    case Bound::AtMost: return {-infinity, top(q) + r};
    }
    return {q.value, top(q)};
}

bool within(Interval inner, Interval outer) { return inner.lo >= outer.lo && inner.hi <= outer.hi; }
bool disjoint(Interval a, Interval b) { return a.hi < b.lo || b.hi < a.lo; }

// Two values equal up to the coarser rounding of the two.
bool same_value(double a, double b, const Quantity& qa, const Quantity& qb) {
    return std::fabs(a - b) <= std::max(rounding(qa), rounding(qb));
}

FigureAgreement compare_values(const Quantity& claimed, const Quantity& stated) {
    if (claimed.bound == stated.bound && claimed.bound != Bound::Exact) {
        const bool equal = same_value(claimed.value, stated.value, claimed, stated) &&
                           same_value(top(claimed), top(stated), claimed, stated);
        return equal ? FigureAgreement::Equal : FigureAgreement::Differs;
    }
    // "fewer than 6 million" and "more than 6 million" exclude each other.
    const Quantity* at_least = claimed.bound == Bound::AtLeast ? &claimed : stated.bound == Bound::AtLeast ? &stated : nullptr;
    const Quantity* at_most = claimed.bound == Bound::AtMost ? &claimed : stated.bound == Bound::AtMost ? &stated : nullptr;
    if (at_least && at_most) return at_least->value >= top(*at_most) ? FigureAgreement::Differs : FigureAgreement::Unsettled;
    const Interval c = interval_of(claimed);
    const Interval s = interval_of(stated);
    // A value and a range, both as stated: the value lies in the range or it does not.
    if (claimed.bound == Bound::Exact && stated.bound == Bound::Exact &&
        claimed.value_to.has_value() != stated.value_to.has_value()) {
        const Quantity& range = claimed.value_to ? claimed : stated;
        const Quantity& point = claimed.value_to ? stated : claimed;
        const Interval r = interval_of(range);
        if (point.value >= r.lo && point.value <= r.hi) return FigureAgreement::Equal;
        return disjoint(r, interval_of(point)) ? FigureAgreement::Differs : FigureAgreement::Unsettled;
    }
    if (within(s, c)) return FigureAgreement::Equal;
    const bool stated_point = stated.bound == Bound::Exact || stated.bound == Bound::About || stated.bound == Bound::Nearly;
    if (stated_point && within(c, s)) return FigureAgreement::Equal;
    if (disjoint(c, s)) return FigureAgreement::Differs;
    return FigureAgreement::Unsettled;
}

bool is_duration(const Quantity& q) { return q.unit == "years" || q.unit == "months" || q.unit == "age"; }
bool is_year(const Quantity& q) { return q.unit == "year"; }

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether `text` holds `word` as a whole word (ASCII, case-insensitive).
bool has_word(std::string_view text, std::string_view word) {
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
        bool match = true;
        for (std::size_t k = 0; k < word.size() && match; ++k)
            match = std::tolower(static_cast<unsigned char>(text[at + k])) == word[k];
        if (!match) continue;
        const bool start = at == 0 || !is_word_char(text[at - 1]);
        const bool end = at + word.size() == text.size() || !is_word_char(text[at + word.size()]);
        if (start && end) return true;
    }
    return false;
}

// The word before `offset` (a month name skipped: "from January 2023") is one that introduces
// a comparison's base: from, on, since, than, over, versus.
bool base_year(std::string_view text, std::size_t offset) {
    auto word_before = [&](std::size_t end) -> std::pair<std::string, std::size_t> {
        while (end > 0 && text[end - 1] == ' ') --end;
        std::size_t begin = end;
        while (begin > 0 && is_word_char(text[begin - 1])) --begin;
        std::string w(text.substr(begin, end - begin));
        for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return {w, begin};
    };
    static const std::vector<std::string_view> months = {"january", "february", "march", "april", "may", "june",
                                                         "july", "august", "september", "october", "november",
                                                         "december"};
    auto [word, begin] = word_before(offset);
    if (std::find(months.begin(), months.end(), word) != months.end()) word = word_before(begin).first;
    return word == "from" || word == "on" || word == "since" || word == "than" || word == "over" || word == "versus";
}

bool clause_break(std::string_view gap) { return gap.find_first_of(",;") != std::string_view::npos; }

}  // namespace

std::optional<bool> figures_changed(const std::vector<Quantity>& quoted, const std::vector<Quantity>& source) {
    if (quoted.empty() && source.empty()) return std::nullopt;
    if (quoted.size() != source.size()) return true;
    for (std::size_t i = 0; i < quoted.size(); ++i)
        if (!quoted[i].same_as(source[i])) return true;
    return false;
}

bool same_time(std::optional<int> a, std::optional<int> b) {
    if (!a || !b) return true;
    return *a == *b && *a != other_time;
}

const char* to_string(FigureAgreement agreement) {
    switch (agreement) {
    case FigureAgreement::Equal: return "equal";
    case FigureAgreement::Differs: return "differs";
    case FigureAgreement::Unsettled: return "unsettled";
    case FigureAgreement::Incomparable: return "incomparable";
    }
    return "";
}

std::string_view measure_kind(const Quantity& q) {
    if (analysis::is_currency(q.unit)) return "money";
    if (q.unit.empty() || q.unit == "people") return "count";
    return q.unit;
}

FigureAgreement compare_figures(const Quantity& claimed, const Quantity& stated) {
    if (measure_kind(claimed) != measure_kind(stated)) return FigureAgreement::Incomparable;
    if (measure_kind(claimed) == "count") {
        const std::string_view a = claimed.unit == "people" ? std::string_view("people") : claimed.counted;
        const std::string_view b = stated.unit == "people" ? std::string_view("people") : stated.counted;
        if (!a.empty() && !b.empty() && a != b) return FigureAgreement::Incomparable;
    }
    if (claimed.direction != 0 && stated.direction != 0 && claimed.direction != stated.direction)
        return FigureAgreement::Differs;
    const FigureAgreement values = compare_values(claimed, stated);
    if (claimed.unit != stated.unit)  // two currencies
        return values == FigureAgreement::Equal ? FigureAgreement::Differs : FigureAgreement::Unsettled;
    return values;
}

std::vector<std::optional<int>> figure_times(std::string_view text, const std::vector<Quantity>& figures,
                                             std::optional<int> context) {
    const std::size_t n = figures.size();
    std::vector<std::optional<int>> time(n);
    // Years that date figures; a comparison's base year ("up 2.6% on 2003", "a 147 percent
    // rise from January 2023", "since 2001") dates none.
    std::vector<std::size_t> years;
    for (std::size_t i = 0; i < n; ++i)
        if (is_year(figures[i]) && !figures[i].value_to && !base_year(text, figures[i].bytes.begin)) years.push_back(i);
    auto target = [&](std::size_t i) { return !is_year(figures[i]) && !is_duration(figures[i]); };
    auto gap = [&](std::size_t a, std::size_t b) {  // text between figures a < b
        return text.substr(figures[a].bytes.end, figures[b].bytes.begin - figures[a].bytes.end);
    };
    if (years.size() == 1) {
        for (std::size_t i = 0; i < n; ++i)
            if (target(i)) time[i] = static_cast<int>(figures[years.front()].value);
    } else {
        // "£3.24bn ($6.13bn) in 2003 to £2.89bn in 2004": a year after a figure in its clause
        // ("£X in 2003", "up 2.6% on 2003") dates that figure; else the next figure in the
        // clause ("in 2004, sales were £X"); else the nearest one.
        for (const std::size_t y : years) {
            std::optional<std::size_t> before;
            std::optional<std::size_t> after;
            std::optional<std::size_t> nearest;
            std::size_t nearest_distance = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (!target(i)) continue;
                const std::string_view between = i < y ? gap(i, y) : gap(y, i);
                if (!clause_break(between)) {
                    if (i < y) before = i;
                    else if (!after) after = i;
                }
                if (!nearest || between.size() < nearest_distance) {
                    nearest = i;
                    nearest_distance = between.size();
                }
            }
            const auto chosen = before ? before : after ? after : nearest;
            if (chosen && !time[*chosen]) time[*chosen] = static_cast<int>(figures[y].value);
        }
        // "£3.24bn ($6.13bn) in 2003": a conversion in brackets shares the figure's time.
        for (std::size_t i = 1; i < n; ++i) {
            std::string_view g = gap(i - 1, i);
            while (!g.empty() && g.front() == ' ') g.remove_prefix(1);
            while (!g.empty() && g.back() == ' ') g.remove_suffix(1);
            if (g != "(" && g != ";") continue;
            if (!time[i] && time[i - 1] && target(i)) time[i] = time[i - 1];
            if (!time[i - 1] && time[i] && target(i - 1)) time[i - 1] = time[i];
        }
    }
    // The sentence's own year, else the context's, for "a year earlier" and unstated times.
    std::optional<int> reference = context;
    if (!years.empty()) reference = static_cast<int>(figures[years.back()].value);
    for (std::size_t i = 0; i < n; ++i) {
        if (!target(i)) continue;
        std::size_t end = text.size();
        for (std::size_t k = i + 1; k < n; ++k)
            if (!is_year(figures[k])) {
                end = figures[k].bytes.begin;
                break;
            }
        std::string_view after = text.substr(figures[i].bytes.end, end - figures[i].bytes.end);
        if (const auto stop = after.find_first_of(",;"); stop != std::string_view::npos) after = after.substr(0, stop);
        const bool earlier = has_word(after, "previous") || has_word(after, "earlier") || has_word(after, "ago") ||
                             has_word(after, "prior");
        // "last year", "this year": a time the sentence does not name.
        const bool relative = has_word(after, "last") || has_word(after, "this") || has_word(after, "next");
        if (earlier) {
            time[i] = reference ? *reference - 1 : other_time;
        } else if (relative) {
            time[i] = std::nullopt;
        } else if (!time[i] && years.empty()) {
            time[i] = context;
        }
    }
    return time;
}

}  // namespace cite::evidence
