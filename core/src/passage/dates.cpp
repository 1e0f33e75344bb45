#include "cite/passage/dates.hpp"

namespace cite::passage {

namespace {

// The value of `digits` (all ASCII digits), or -1.
int number(std::string_view digits) {
    int n = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

std::string two(int n) { return std::string{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)}; }

}  // namespace

std::optional<DaySpan> day_span(std::string_view date) {
    if (date.size() != 4 && date.size() != 7 && date.size() != 10) return std::nullopt;
    const int year = number(date.substr(0, 4));
    if (year < 1) return std::nullopt;
    const std::string y(date.substr(0, 4));
    if (date.size() == 4) return DaySpan{y + "0101", y + "1231"};
    if (date[4] != '-') return std::nullopt;
    const int month = number(date.substr(5, 2));
    if (month < 1 || month > 12) return std::nullopt;
    const std::string ym = y + two(month);
    if (date.size() == 7) return DaySpan{ym + "01", ym + two(days_in(year, month))};
    if (date[7] != '-') return std::nullopt;
    const int day = number(date.substr(8, 2));
    if (day < 1 || day > days_in(year, month)) return std::nullopt;
    return DaySpan{ym + two(day), ym + two(day)};
}

}  // namespace cite::passage
