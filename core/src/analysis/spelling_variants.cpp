#include "cite/analysis/spelling_variants.hpp"

#include <algorithm>
#include <iterator>

namespace cite::analysis {
namespace {

// Sorted by the British stem, bytewise; test_analysis checks that, and that no American stem
// is itself a British entry.
constexpr SpellingVariant variants[] = {
#include "spelling_variants.inc"
};

}  // namespace

std::span<const SpellingVariant> spelling_variants() { return variants; }

std::optional<std::string_view> american_stem(std::string_view stem) {
    const auto it = std::lower_bound(std::begin(variants), std::end(variants), stem,
                                     [](const SpellingVariant& v, std::string_view s) { return v.british < s; });
    if (it == std::end(variants) || it->british != stem) return std::nullopt;
    return it->american;
}

}  // namespace cite::analysis
