// Fuzzes the quantity recogniser on the analyzer's tokens of valid UTF-8. Properties: each
// quantity's range lies inside the text, on character boundaries, starts and ends where
// tokens do, and follows the previous one without overlapping (even where the pieces of a
// word whose normalised form falls apart, "7\u202Fkm" -> "7 km", share its range); values are
// finite numbers; and the printed value (what index terms hold) reads back as the same number.

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/quantity.hpp"

#include "fuzz_support.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace cite;

namespace {

void check_value(double v) {
    fuzz::require(std::isfinite(v), "a quantity value is not finite");
    const std::string printed = analysis::format_value(v);
    const double back = std::strtod(printed.c_str(), nullptr);
    fuzz::require(std::fabs(back - v) <= 1e-14 * std::fabs(v), "value " + printed + " does not read back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static analysis::Analyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (fuzz::first_invalid_utf8(text)) return 0;
    const auto tokens = analyzer.analyze(text);
    std::size_t last_end = 0;
    for (const analysis::Quantity& q : analysis::find_quantities(text, tokens)) {
        fuzz::require(q.bytes.begin < q.bytes.end && q.bytes.end <= size, "quantity outside the text");
        fuzz::require(fuzz::on_boundary(text, q.bytes.begin) && fuzz::on_boundary(text, q.bytes.end),
                      "quantity splits a character");
        fuzz::require(q.bytes.begin >= last_end, "quantities overlap or are out of order");
        bool starts = false, ends = false;
        for (const analysis::Token& t : tokens) {
            starts = starts || t.bytes.begin == q.bytes.begin;
            ends = ends || t.bytes.end == q.bytes.end;
        }
        fuzz::require(starts && ends, "a quantity does not start and end on tokens");
        check_value(q.value);
        if (q.value_to) check_value(*q.value_to);
        (void)analysis::describe(q);
        last_end = q.bytes.end;
    }
    return 0;
}
