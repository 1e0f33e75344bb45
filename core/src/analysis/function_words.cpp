#include "cite/analysis/function_words.hpp"

#include <algorithm>
#include <iterator>

namespace cite::analysis {

bool is_function_word(std::string_view term) {
    // Sorted, for binary search.
    static constexpr std::string_view words[] = {
        "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could",
        "did", "do", "does", "for", "from", "had", "has", "have", "he", "how", "in", "into", "is",
        "it", "its", "may", "might", "no", "not", "of", "on", "or", "our", "shall", "she", "should",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
        "to", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
        "whose", "why", "will", "with", "would", "you", "your"};
    static_assert(std::ranges::is_sorted(words));
    return std::binary_search(std::begin(words), std::end(words), term);
}

}  // namespace cite::analysis
