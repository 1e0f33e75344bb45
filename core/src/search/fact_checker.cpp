// SearchService::check_claim and list_facts: a claim's figures compared with the corpus's.

#include "cite/search/search_service.hpp"

#include "cite/analysis/quantity.hpp"
#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/search/copy_collapse.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace cite::search {
namespace {

using analysis::ByteRange;

// Passages examined per claim, and how many of them are reported. Passages of files that
// changed or are gone are not examined: up to as many again are ranked to make up for them.
constexpr std::size_t claim_candidates = 10;
constexpr std::size_t claim_ranked = 2 * claim_candidates;
constexpr std::size_t claim_evidence = 5;
// Share of the claim's content words a supporting passage must have; with no figures to
// compare, more of the words are needed.
constexpr double support_coverage = 0.5;
constexpr double support_coverage_without_figures = 0.75;
// Below this share a passage does not bear on the claim.
constexpr double relevant_coverage = 0.3;

// ClaimCheck::supporting_documents and independent_sources, over all supporting passages.
void count_supporting_sources(evidence::ClaimCheck& check, index::DuplicateFinder& finder) {
    std::vector<passage::Passage> supporting;
    std::set<std::string> documents;
    for (const evidence::ClaimEvidence& e : check.evidence) {
        if (!e.supports) continue;
        supporting.push_back(e.hit.passage);
        documents.insert(e.hit.passage.document_key());
    }
    check.supporting_documents = documents.size();
    check.independent_sources = count_independent_sources(supporting, finder);
}

// Fact::independent_sources: per unit and value (both ends of a range), the independent
// sources among the passages stating it.
void count_fact_sources(evidence::FactTable& table, index::DuplicateFinder& finder) {
    for (auto& [unit, facts] : table.by_unit) {
        std::map<std::pair<double, double>, std::vector<std::size_t>> by_value;
        for (std::size_t i = 0; i < facts.size(); ++i) {
            const analysis::Quantity& q = facts[i].stated.quantity;
            by_value[{q.value, q.value_to.value_or(q.value)}].push_back(i);
        }
        for (const auto& [value, indices] : by_value) {
            std::vector<passage::Passage> passages;
            for (const std::size_t i : indices) passages.push_back(facts[i].hit.passage);
            const std::size_t sources = count_independent_sources(passages, finder);
            for (const std::size_t i : indices) facts[i].independent_sources = sources;
        }
    }
}

// Words that carry no content in a claim. Short on purpose: IDF weighs the rest.
const std::set<std::string, std::less<>> stopwords = {
    "a",    "an",   "and",  "are",  "as",   "at",   "be",   "been", "by",   "for",  "from", "had",
    "has",  "have", "in",   "into", "is",   "it",   "its",  "of",   "on",   "or",   "than", "that",
    "the",  "their", "this", "to",  "was",  "were", "which", "will", "with", "over", "up",  "about",
};

// Years and bare counts are everywhere: they need more of the claim's words around them.
bool is_common_figure(const analysis::Quantity& q) { return q.unit.empty() || q.unit == "year"; }

std::string key_of(const analysis::Token& t) { return t.stem.empty() ? t.term : t.stem; }

bool inside(ByteRange inner, ByteRange outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

evidence::StatedQuantity stated_in(const passage::Passage& p, const analysis::Quantity& q) {
    evidence::StatedQuantity s;
    s.quantity = q;
    s.quantity.bytes = {p.bytes.begin + q.bytes.begin, p.bytes.begin + q.bytes.end};
    s.text = p.text.substr(q.bytes.begin, q.bytes.size());
    s.line = p.line_at(q.bytes.begin);
    return s;
}

}  // namespace

evidence::ClaimCheck SearchService::check_claim_once(const std::string& claim) {
    if (const auto bad = analysis::find_invalid_utf8(claim)) throw QueryError("invalid UTF-8 in the claim", *bad);
    evidence::ClaimCheck check;
    check.claim = claim;
    const auto tokens = m_analyzer.analyze(claim);
    for (const analysis::Quantity& q : analysis::find_quantities(claim, tokens))
        check.quantities.push_back({q, claim.substr(q.bytes.begin, q.bytes.size()), 0});
    std::set<std::string> content;
    for (const analysis::Token& t : tokens) {
        if (t.kind != analysis::TokenKind::Word || stopwords.contains(t.term)) continue;
        const bool in_figure = std::any_of(check.quantities.begin(), check.quantities.end(),
                                           [&](const auto& s) { return inside(t.bytes, s.quantity.bytes); });
        if (!in_figure) content.insert(key_of(t));
    }
    if (content.empty() && check.quantities.empty()) throw QueryError("the claim has no words or figures to check", 0);

    // The passages that bear on the claim: ranked by its words and its figures' terms.
    SearchRequest request;
    request.query = claim;
    request.literal = true;
    request.ranking.all_words_first = false;
    const query::Node parsed = parse(request);
    const auto compiled = query::build_query(parsed, m_reader.database());
    request.ranking.remote = m_reader.has_remote_shard();
    const auto ranked = rank::rank(m_reader.database(), compiled, 0, claim_ranked, request.ranking);

    std::size_t rank = 0;
    std::size_t examined = 0;
    for (const rank::RankedHit& r : ranked.hits) {
        if (examined == claim_candidates) break;
        evidence::ClaimEvidence ev;
        ev.hit = cite(m_reader.passage(r.document), ++rank, r.score);
        // A file that changed or is gone may no longer state what the index holds: its passages
        // neither support nor contradict, and are named as left out if they bear on the claim.
        const bool current = evidence::quotable(ev.hit.status);
        if (current) ++examined;
        const passage::Passage& p = ev.hit.passage;
        const auto ptokens = m_analyzer.analyze(p.text);
        const auto pquantities = analysis::find_quantities(p.text, ptokens);
        std::set<std::string> present;
        for (const auto& t : ptokens) present.insert(key_of(t));
        const auto shared = static_cast<double>(
            std::count_if(content.begin(), content.end(), [&](const std::string& w) { return present.contains(w); }));
        ev.word_coverage = content.empty() ? 1.0 : shared / static_cast<double>(content.size());

        // "Near the same words": a differing figure counts only in a sentence that shares the
        // claim's words (two for years and counts, which many sentences state).
        const auto sentences = m_sentences.split(p.text);
        auto sentence_of = [&](ByteRange figure) -> std::optional<std::size_t> {
            for (std::size_t i = 0; i < sentences.size(); ++i)
                if (inside(figure, sentences[i])) return i;
            return std::nullopt;
        };
        // The claim's words in sentence `s` (none outside any sentence).
        auto words_in = [&](std::optional<std::size_t> s) {
            if (!s) return std::size_t{0};
            std::set<std::string> words;
            for (const auto& t : ptokens)
                if (inside(t.bytes, sentences[*s]) && content.contains(key_of(t))) words.insert(key_of(t));
            return words.size();
        };
        auto overlap = [&](ByteRange figure) { return words_in(sentence_of(figure)); };
        // A figure the passage states as claimed: the same value, a value in the claimed range
        // ("between 5 and 7 million tons" and "six million tons"), or a range holding the
        // claimed value. Of several, the one among most of the claim's words.
        auto agrees = [](const analysis::Quantity& stated, const analysis::Quantity& claimed) {
            return stated.unit == claimed.unit &&
                   (stated.same_as(claimed) || stated.covers(claimed.value) || claimed.covers(stated.value));
        };
        std::vector<const analysis::Quantity*> matched(check.quantities.size(), nullptr);
        std::set<std::size_t> anchors;  // sentences stating a matched telling figure
        for (std::size_t i = 0; i < check.quantities.size(); ++i) {
            std::size_t best = 0;
            for (const auto& q : pquantities) {
                if (!agrees(q, check.quantities[i].quantity)) continue;
                if (const std::size_t o = overlap(q.bytes); !matched[i] || o > best) {
                    best = o;
                    matched[i] = &q;
                }
            }
            // A matched year or count says little about which sentence is the claim's.
            if (matched[i] && !is_common_figure(check.quantities[i].quantity))
                if (const auto s = sentence_of(matched[i]->bytes)) anchors.insert(*s);
        }
        std::vector<evidence::MatchSpan> spans;
        bool all_matched = true;
        for (std::size_t i = 0; i < check.quantities.size(); ++i) {
            const auto& claimed = check.quantities[i];
            evidence::QuantityComparison cmp;
            cmp.claimed = claimed;
            const analysis::Quantity& want = claimed.quantity;
            const analysis::Quantity* found = matched[i];
            if (found) cmp.status = evidence::QuantityStatus::Matched;
            if (!found) {
                // The counterpart of a claimed figure is in the sentence that states another
                // of the claim's telling figures ("10 million tons by 2030" against "10
                // million tons by 2027"), which counts as one more shared word; else in the
                // sentence sharing most of the claim's words. Either must share enough.
                const std::size_t needed = is_common_figure(want) ? 1 : 0;
                std::size_t best = 0;
                bool best_anchored = false;
                for (const auto& q : pquantities) {
                    if (q.unit != want.unit) continue;
                    const auto s = sentence_of(q.bytes);
                    const bool anchored = s && anchors.contains(*s);
                    const std::size_t o = words_in(s);
                    if (o + (anchored ? 1 : 0) <= needed) continue;
                    if (!found || (anchored && !best_anchored) || (anchored == best_anchored && o > best)) {
                        best = o;
                        best_anchored = anchored;
                        found = &q;
                        cmp.status = evidence::QuantityStatus::Differs;
                    }
                }
            }
            if (found) {
                cmp.found = stated_in(p, *found);
                spans.push_back({found->bytes, 0, 0, {}});
            }
            all_matched = all_matched && cmp.status == evidence::QuantityStatus::Matched;
            ev.quantities.push_back(std::move(cmp));
        }
        // A passage bears on the claim through its words, or through a telling figure (not a
        // lone year or count) next to some of them.
        const bool telling_figure = std::any_of(ev.quantities.begin(), ev.quantities.end(), [](const auto& c) {
            return c.status != evidence::QuantityStatus::Absent && !is_common_figure(c.claimed.quantity);
        });
        if (ev.word_coverage < relevant_coverage && !(telling_figure && ev.word_coverage > 0)) continue;
        if (!current) {
            evidence::note_left_out(check.left_out, p.source, ev.hit.status);
            continue;
        }
        ev.supports = all_matched && ev.word_coverage >= (check.quantities.empty() ? support_coverage_without_figures
                                                                                    : support_coverage);
        // Quote the sentences with the compared figures, else those with the claim's words.
        if (spans.empty()) {
            evidence::MatchFinder matcher(m_analyzer);
            spans = matcher.find(parsed, p, ev.hit.meta).value_or(std::vector<evidence::MatchSpan>{});
        }
        std::sort(spans.begin(), spans.end(),
                  [](const auto& a, const auto& b) { return a.bytes.begin < b.bytes.begin; });
        ev.hit.evidence = evidence::select_evidence(p, spans, m_sentences);
        check.evidence.push_back(std::move(ev));
    }

    auto differs = [](const evidence::ClaimEvidence& e) {
        return std::any_of(e.quantities.begin(), e.quantities.end(),
                           [](const auto& c) { return c.status == evidence::QuantityStatus::Differs; });
    };
    std::stable_sort(check.evidence.begin(), check.evidence.end(), [&](const auto& a, const auto& b) {
        if (a.supports != b.supports) return a.supports;
        return differs(a) && !differs(b);
    });
    {
        index::DuplicateFinder finder(m_reader);
        count_supporting_sources(check, finder);
    }
    if (check.evidence.size() > claim_evidence) check.evidence.resize(claim_evidence);
    if (!check.evidence.empty() && check.evidence.front().supports)
        check.verdict = evidence::ClaimVerdict::Supported;
    else if (std::any_of(check.evidence.begin(), check.evidence.end(),
                         [&](const auto& e) { return differs(e) && e.word_coverage >= support_coverage * 0.8; }))
        check.verdict = evidence::ClaimVerdict::Contradicted;
    else
        check.verdict = evidence::ClaimVerdict::NotFound;
    // A claim the corpus does not address keeps no evidence.
    if (check.verdict == evidence::ClaimVerdict::NotFound) check.evidence.clear();
    return check;
}

evidence::FactTable SearchService::list_facts_once(const std::string& query_text) {
    SearchRequest request;
    request.query = query_text;
    const query::Node parsed = parse(request);
    const auto compiled = query::build_query(parsed, m_reader.database());
    const Xapian::Database& db = m_reader.database();
    evidence::MatchFinder matcher(m_analyzer);
    Xapian::MSet mset = index::all_matches_in_corpus_order(db, compiled.all);
    index::prefetch(mset);  // remote shards: all documents in one round trip

    evidence::FactTable table;
    table.query = query_text;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const passage::Passage p = m_reader.passage(it.get_document());
        if (!matcher.find(parsed, p, m_reader.document(p.document_key()))) continue;  // NEAR, ranges
        // Figures are read from the index's copy of the passage: not from a file that changed
        // or is gone, which may no longer state them.
        const evidence::CitedHit hit = cite(p, 0, 0.0);
        if (!evidence::quotable(hit.status)) {
            evidence::note_left_out(table.left_out, p.source, hit.status);
            continue;
        }
        ++table.passages;
        for (const analysis::Quantity& q : analysis::find_quantities(p.text, m_analyzer.analyze(p.text))) {
            evidence::Fact fact;
            fact.stated = stated_in(p, q);
            fact.hit = hit;
            fact.hit.evidence = evidence::select_evidence(p, {{q.bytes, 0, 0, {}}}, m_sentences);
            auto group = std::find_if(table.by_unit.begin(), table.by_unit.end(),
                                      [&](const auto& g) { return g.first == q.unit; });
            if (group == table.by_unit.end()) group = table.by_unit.insert(table.by_unit.end(), {q.unit, {}});
            group->second.push_back(std::move(fact));
        }
    }
    index::DuplicateFinder finder(m_reader);
    count_fact_sources(table, finder);
    return table;
}

}  // namespace cite::search
