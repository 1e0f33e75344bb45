#include "cite/rank/proximity.hpp"

#include <algorithm>
#include <utility>

namespace cite::rank {

double proximity_share(const std::vector<std::vector<std::uint32_t>>& positions, const std::vector<double>& weights,
                       std::uint32_t window) {
    double total = 0;
    for (double w : weights) total += w;
    if (!(total > 0) || window == 0) return 0;
    // Every (position, word) of a word that counts, in text order; a sliding window over them.
    std::vector<std::pair<std::uint32_t, std::size_t>> hits;
    for (std::size_t k = 0; k < positions.size() && k < weights.size(); ++k)
        if (weights[k] > 0)
            for (std::uint32_t p : positions[k]) hits.emplace_back(p, k);
    std::sort(hits.begin(), hits.end());
    std::vector<std::size_t> in_window(weights.size(), 0);
    std::size_t distinct = 0;
    double sum = 0;
    double best = 0;
    std::size_t first = 0;
    for (const auto& [position, word] : hits) {
        if (in_window[word]++ == 0) {
            ++distinct;
            sum += weights[word];
        }
        while (position - hits[first].first >= window) {
            const std::size_t gone = hits[first++].second;
            if (--in_window[gone] == 0) {
                --distinct;
                sum -= weights[gone];
            }
        }
        if (distinct >= 2) best = std::max(best, sum);
    }
    return best / total;
}

}  // namespace cite::rank
