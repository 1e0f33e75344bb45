#pragma once

#include <string_view>

namespace cite::analysis {

/// English function words (articles, prepositions, conjunctions, pronouns, auxiliaries,
/// negation: "the", "of", "has", "not"...), as analysed terms (case-folded). They are in
/// nearly every passage, so they never count as content, whatever their IDF, and never make a
/// passage match some of a query's words on their own.
[[nodiscard]] bool is_function_word(std::string_view term);

}  // namespace cite::analysis
