#include "cite/analysis/spelling_variants.hpp"

#include <algorithm>
#include <iterator>

namespace cite::analysis {
namespace {

// Sorted by the British word, bytewise; test_analysis checks that, and that no American
// form is itself a British entry.
constexpr SpellingVariant variants[] = {
#include "spelling_variants.inc"
};

}  // namespace

std::span<const SpellingVariant> spelling_variants() { return variants; }

std::string_view american_spelling(std::string_view word) {
    const auto it = std::lower_bound(std::begin(variants), std::end(variants), word,
                                     [](const SpellingVariant& v, std::string_view w) { return v.british < w; });
    return it != std::end(variants) && it->british == word ? it->american : word;
}

}  // namespace cite::analysis
