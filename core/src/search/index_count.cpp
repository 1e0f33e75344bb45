#include "cite/search/index_count.hpp"

#include "cite/index/schema.hpp"
#include "cite/query/query_builder.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace cite::search {
namespace {

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

// Occurrences of `terms` as a phrase (term k at p + k, as Xapian's OP_PHRASE and
// evidence::MatchFinder match it), per passage holding it, in docid order.
//
// Xapian's own phrase matching finds the passages: it reuses one B-tree cursor for their
// position lists. Each list fetched through the public API opens a fresh cursor and reads two
// blocks, tens of thousands of reads for a common phrase. So positions are fetched only where
// the phrase may occur twice: a passage in which some word of the phrase occurs once (its wdf,
// from the postings) holds the phrase once.
std::vector<std::pair<Xapian::docid, std::size_t>> phrase_counts(const Xapian::Database& db,
                                                                 const std::vector<std::string>& terms) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                                    static_cast<Xapian::termcount>(terms.size())));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::doccount all = db.get_doccount();
    const Xapian::MSet matches = enquire.get_mset(0, all, all);
    std::vector<Xapian::docid> docids(matches.begin(), matches.end());
    std::sort(docids.begin(), docids.end());  // skip_to below only moves forward

    // A word the phrase repeats ("old old") gets two iterators: skip_to to the same docid twice
    // is harmless, and its wdf of 1 still means one occurrence (the phrase needs it twice).
    std::vector<Xapian::PostingIterator> postings;
    for (const std::string& term : terms) postings.push_back(db.postlist_begin(term));

    std::vector<std::pair<Xapian::docid, std::size_t>> out;
    out.reserve(docids.size());
    std::vector<std::vector<Xapian::termpos>> positions(terms.size());
    for (const Xapian::docid docid : docids) {
        Xapian::termcount least = 0;
        for (std::size_t k = 0; k < postings.size(); ++k) {
            postings[k].skip_to(docid);  // present: the passage holds the phrase
            least = k == 0 ? postings[k].get_wdf() : std::min(least, postings[k].get_wdf());
        }
        if (least == 1) {  // 0 for a cased term, which has no wdf: read its positions
            out.emplace_back(docid, 1);
            continue;
        }
        for (std::size_t k = 0; k < terms.size(); ++k)
            positions[k].assign(db.positionlist_begin(docid, terms[k]), db.positionlist_end(docid, terms[k]));
        std::size_t count = 0;
        for (const Xapian::termpos start : positions.front()) {
            bool all_follow = true;
            for (std::size_t k = 1; k < terms.size() && all_follow; ++k)
                all_follow = std::binary_search(positions[k].begin(), positions[k].end(),
                                                start + static_cast<Xapian::termpos>(k));
            if (all_follow) ++count;
        }
        out.emplace_back(docid, count);
    }
    return out;
}

}  // namespace

std::optional<output::MentionSummary> count_in_index(const Xapian::Database& db, const query::Node& parsed) {
    const auto terms = index_countable(parsed);
    if (!terms) return std::nullopt;
    std::vector<std::pair<Xapian::docid, std::size_t>> counts;
    if (terms->size() == 1) {
        const std::string& term = terms->front();
        // A cased term has no wdf (index::prefix::cased): its positions are its occurrences.
        const bool cased = term.starts_with(index::prefix::cased);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
            counts.emplace_back(*it, cased ? static_cast<std::size_t>(std::distance(it.positionlist_begin(),
                                                                                  it.positionlist_end()))
                                           : it.get_wdf());
    } else {
        counts = phrase_counts(db, *terms);
    }
    // Each passage's source from its corpus-order value (schema.hpp: source NUL record NUL
    // ordinal), streamed in docid order rather than looked up passage by passage. Sources
    // sort as their corpus-order values do, so the map lists them in corpus order.
    std::map<std::string, std::size_t> per_source;
    output::MentionSummary summary;
    Xapian::ValueIterator value = db.valuestream_begin(index::slot::corpus_order);
    for (const auto& [docid, count] : counts) {
        if (count == 0) continue;
        value.skip_to(docid);
        std::string source = value != db.valuestream_end(index::slot::corpus_order) && value.get_docid() == docid
                                 ? *value : std::string{};
        source.resize(std::min(source.size(), source.find('\0')));
        ++summary.passages;
        summary.total += count;
        per_source[std::move(source)] += count;
    }
    summary.per_file.assign(per_source.begin(), per_source.end());
    return summary;
}

}  // namespace cite::search
