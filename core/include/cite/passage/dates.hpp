#pragma once
// Calendar dates as the catalog and the readers give them (YYYY, YYYY-MM or YYYY-MM-DD), read
// as the span of days they cover, for the date filter and sort (docs/query-language.md).

#include <optional>
#include <string>
#include <string_view>

namespace cite::passage {

/// The first and last day a date covers, each as 8 digits YYYYMMDD (so that they sort as
/// strings): "2024" covers 20240101..20241231, "2024-02" 20240201..20240229.
struct DaySpan {
    std::string first;
    std::string last;

    friend bool operator==(const DaySpan&, const DaySpan&) = default;
};

/// The span of `date`: a year of four digits (0001-9999), then optionally "-MM" (01-12), then
/// optionally "-DD" (a day of that month, 29 February in leap years only). nullopt for
/// anything else, "2024-13", "2023-02-29", "24" or "2024-1" among them.
[[nodiscard]] std::optional<DaySpan> day_span(std::string_view date);

}  // namespace cite::passage
