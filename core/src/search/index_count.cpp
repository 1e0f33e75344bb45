#include "cite/search/index_count.hpp"

#include "cite/index/schema.hpp"
#include "cite/query/query_builder.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace cite::search {
namespace {

// The source of a passage, from its corpus-order value (schema.hpp: source NUL record NUL
// ordinal), which costs no read of the passage itself.
std::string source_of(const Xapian::Document& doc) {
    std::string value = doc.get_value(index::slot::corpus_order);
    value.resize(std::min(value.size(), value.find('\0')));
    return value;
}

// A plain word or one phrase, with no alias, field or hyphen alternatives: what --count can
// take from the index alone. The terms to count: one (a Z stem term or an exact term) or a
// phrase's exact terms.
std::optional<std::vector<std::string>> index_countable(const query::Node& n) {
    if (n.kind != query::NodeKind::Words || n.field != query::Field::Body || !n.alias.empty()) return std::nullopt;
    const auto variants = query::phrase_variants(n);
    if (variants.size() != 1 || variants.front().empty()) return std::nullopt;
    if (const analysis::Token* token = query::stemmed_token(n, variants.front()))
        return std::vector<std::string>{std::string(index::prefix::stem) + token->stem};
    return variants.front();
}

// Occurrences of `terms` as a phrase in one passage: starts p of the first term with term k
// at p + k, as Xapian's OP_PHRASE and evidence::MatchFinder match it.
std::size_t count_phrase(const Xapian::Database& db, Xapian::docid docid, const std::vector<std::string>& terms) {
    std::vector<std::vector<Xapian::termpos>> positions;
    for (const std::string& term : terms)
        positions.emplace_back(db.positionlist_begin(docid, term), db.positionlist_end(docid, term));
    std::size_t count = 0;
    for (const Xapian::termpos start : positions.front()) {
        bool all = true;
        for (std::size_t k = 1; k < terms.size() && all; ++k)
            all = std::binary_search(positions[k].begin(), positions[k].end(), start + static_cast<Xapian::termpos>(k));
        if (all) ++count;
    }
    return count;
}

}  // namespace

std::optional<output::MentionSummary> count_in_index(const Xapian::Database& db, const query::Node& parsed,
                                                     const Xapian::MSet& matches) {
    const auto terms = index_countable(parsed);
    if (!terms) return std::nullopt;
    std::unordered_map<Xapian::docid, Xapian::termcount> wdf;
    if (terms->size() == 1) {
        const std::string& term = terms->front();
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) wdf.emplace(*it, it.get_wdf());
    }
    output::MentionSummary summary;
    for (auto it = matches.begin(); it != matches.end(); ++it) {
        const std::size_t count =
            terms->size() == 1 ? wdf[*it] : count_phrase(db, *it, *terms);
        if (count == 0) continue;
        const std::string source = source_of(it.get_document());
        ++summary.passages;
        summary.total += count;
        if (summary.per_file.empty() || summary.per_file.back().first != source) summary.per_file.emplace_back(source, 0);
        summary.per_file.back().second += count;
    }
    return summary;
}

}  // namespace cite::search
