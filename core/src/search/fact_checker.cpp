// SearchService::check_claim and list_facts: a claim's figures compared with the corpus's.

#include "cite/search/search_service.hpp"

#include "cite/analysis/language.hpp"
#include "cite/analysis/quantity.hpp"
#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/analysis/function_words.hpp"
#include "cite/evidence/figure_compare.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/index/schema.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/search/copy_collapse.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace cite::search {
namespace {

using analysis::ByteRange;
using analysis::Quantity;
using evidence::FigureAgreement;
using evidence::QuantityStatus;

// Passages examined per claim, and how many of them are reported. Passages of files that
// changed or are gone are not examined: up to as many again are ranked to make up for them.
constexpr std::size_t claim_candidates = 20;
constexpr std::size_t claim_ranked = 2 * claim_candidates;
constexpr std::size_t claim_evidence = 5;
// Shares of the claim's key words, each weighted by its IDF (rare words weigh more):
// - the article (the passage, its title and, for a text file, its other paragraphs) must hold
//   this much to be about the claim's subject;
constexpr double subject_share = 0.5;
// - the sentence stating a matching figure must hold this much;
constexpr double match_share = 0.3;
// - the sentence stating a differing figure this much, and some of the claim's words must
//   stand in the figure's own clause.
constexpr double differ_share = 0.4;
// With no figure to compare, a passage supports a claim holding this share of its words.
constexpr double support_coverage_without_figures = 0.75;
// A name found in more than this share of passages (UK, US, China) says little about which
// story a passage tells: it may be missing from the article. Rarer names may not.
constexpr double common_name_share = 0.01;
// A figure's clause, for the words that describe it: the text around it up to a comma,
// semicolon, colon, bracket or dash, and at most this many words on each side.
constexpr std::size_t clause_window = 12;

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

// Words that carry no content in a claim beyond the function words: qualifiers and reporting
// verbs, which the figure's grammar reads or which any article uses.
const std::set<std::string, std::less<>> stopwords = {
    "about", "around", "roughly", "nearly", "almost", "some", "estimated", "approximately", "more",
    "less", "fewer", "least", "just", "says", "said", "say", "according", "now", "already", "only",
    "than", "over", "under", "up", "down", "total", "average", "worth",
};

// Capitalised, but no names: they date a figure rather than say whose it is.
const std::set<std::string, std::less<>> calendar_words = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

std::string key_of(const analysis::Token& t) { return t.stem.empty() ? t.term : t.stem; }

bool clause_mark(std::string_view gap) {
    return gap.find_first_of(",;:()[]") != std::string_view::npos || gap.find("\u2013") != std::string_view::npos ||
           gap.find("\u2014") != std::string_view::npos || gap.find(" - ") != std::string_view::npos;
}

// The clause of `figure` in `text` (within `limit`, its sentence): word tokens on each side up
// to a clause mark or clause_window words.
ByteRange clause_around(std::string_view text, const std::vector<analysis::Token>& tokens, ByteRange figure,
                        ByteRange limit) {
    // A figure in brackets restates the one before it ("12,900 acres (5,200 hectares)", "77m
    // euros (£53m; $100m)"): its words are those around the brackets.
    if (figure.begin > limit.begin && text[figure.begin - 1] == '(') {
        const auto close = text.find(')', figure.end);
        if (close != std::string_view::npos && close < limit.end) figure = {figure.begin - 1, close + 1};
    }
    // Other bracketed asides are read through, as blanks: "from £3.24bn ($6.13bn) in 2003 to
    // £2.89bn" keeps "from" in the clause of £2.89bn.
    std::string plain(text);
    for (std::size_t open = plain.find('('); open != std::string::npos; open = plain.find('(', open + 1)) {
        const auto close = plain.find(')', open);
        if (close == std::string::npos) break;
        if (open < figure.end && close >= figure.begin) continue;  // holds the figure
        std::fill(plain.begin() + static_cast<std::ptrdiff_t>(open), plain.begin() + static_cast<std::ptrdiff_t>(close) + 1, ' ');
    }
    auto aside = [&](const analysis::Token& t) { return plain[t.bytes.begin] == ' '; };
    const std::string_view view(plain);
    ByteRange clause = figure;
    std::size_t taken = 0;
    std::size_t edge = figure.begin;
    for (auto it = tokens.rbegin(); it != tokens.rend() && taken < clause_window; ++it) {
        if (it->bytes.end > figure.begin || it->bytes.begin < limit.begin || aside(*it)) continue;
        if (clause_mark(view.substr(it->bytes.end, edge - it->bytes.end))) break;
        clause.begin = it->bytes.begin;
        edge = it->bytes.begin;
        ++taken;
    }
    taken = 0;
    edge = figure.end;
    for (const auto& t : tokens) {
        if (taken == clause_window) break;
        if (t.bytes.begin < figure.end || t.bytes.end > limit.end || aside(t)) continue;
        if (clause_mark(view.substr(edge, t.bytes.begin - edge))) break;
        clause.end = t.bytes.end;
        edge = t.bytes.end;
        ++taken;
    }
    return clause;
}

bool inside(ByteRange inner, ByteRange outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

evidence::StatedQuantity stated_in(const passage::Passage& p, const analysis::Quantity& q) {
    evidence::StatedQuantity s;
    s.quantity = q;
    s.quantity.bytes = {p.bytes.begin + q.bytes.begin, p.bytes.begin + q.bytes.end};
    s.text = p.text.substr(q.bytes.begin, q.bytes.size());
    s.line = p.line_at(q.bytes.begin);
    return s;
}

// A content word of the claim.
struct ClaimWord {
    std::string term;    // as analysed (case-folded)
    std::string key;     // its stem, or the term
    std::string text;    // as the claim writes it
    std::string joined;  // a name joined with the next one ("timewarner" for "Time Warner")
    std::vector<std::string> keys;  // a name's transliteration keys (names across scripts)
    bool name = false;
    double weight = 0;   // IDF
    double df_share = 0; // share of passages holding it
};

// The claim's content words, with names marked: capitalised words (a sentence's first word
// only when it is followed by "'s" or another capitalised word, or has more capitals).
std::vector<ClaimWord> claim_words(const std::string& claim, const std::vector<analysis::Token>& tokens,
                                   const std::vector<Quantity>& figures, const Xapian::Database& db) {
    std::vector<ClaimWord> words;
    const double passages = std::max(1.0, static_cast<double>(db.get_doccount()));
    std::vector<const analysis::Token*> plain;
    for (const auto& t : tokens)
        if (t.kind == analysis::TokenKind::Word) plain.push_back(&t);
    auto capitalised = [&](const analysis::Token& t) { return is_upper(claim[t.bytes.begin]); };
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const analysis::Token& t = *plain[i];
        if (analysis::is_function_word(t.term) || stopwords.contains(t.term)) continue;
        if (std::any_of(figures.begin(), figures.end(), [&](const Quantity& q) { return inside(t.bytes, q.bytes); }))
            continue;
        if (std::any_of(words.begin(), words.end(), [&](const ClaimWord& w) { return w.key == key_of(t); })) continue;
        ClaimWord w;
        w.term = t.term;
        w.key = key_of(t);
        w.text = claim.substr(t.bytes.begin, t.bytes.size());
        const std::string_view before = std::string_view(claim).substr(0, t.bytes.begin);
        const auto last = before.find_last_not_of(" \t\"'\u201c\u2018");
        const bool sentence_start = last == std::string_view::npos || before[last] == '.' || before[last] == '!' ||
                                    before[last] == '?';
        const bool more_capitals = std::count_if(w.text.begin() + 1, w.text.end(), is_upper) > 0;
        const char after = t.bytes.end < claim.size() ? claim[t.bytes.end] : ' ';
        const bool possessive = after == '\'' || claim.compare(t.bytes.end, 3, "\u2019") == 0 ||
                                w.text.ends_with("'s") || w.text.ends_with("\u2019s");
        const bool next_capitalised = i + 1 < plain.size() && capitalised(*plain[i + 1]) &&
                                      claim.find_first_not_of(' ', t.bytes.end) == plain[i + 1]->bytes.begin;
        w.name = capitalised(t) && (!sentence_start || more_capitals || possessive || next_capitalised) &&
                 !calendar_words.contains(t.term);
        if (w.name && next_capitalised) w.joined = t.term + plain[i + 1]->term;
        if (w.name) w.keys = t.keys;
        const auto df = std::max(db.get_termfreq(w.term), db.get_termfreq(std::string(index::prefix::stem) + w.key));
        w.weight = std::log((passages + 1) / (static_cast<double>(df) + 1));
        w.df_share = static_cast<double>(df) / passages;
        words.push_back(std::move(w));
    }
    // Names first: they are shown first as anchors.
    std::stable_sort(words.begin(), words.end(), [](const ClaimWord& a, const ClaimWord& b) { return a.name && !b.name; });
    return words;
}

// Whether `clause` places its figure "in X" or "in the X", a capitalised X the claim does not
// name: another place's figure, not the claim's counterpart.
bool placed_elsewhere(std::string_view text, const std::vector<analysis::Token>& tokens, ByteRange clause,
                      const std::vector<ClaimWord>& words) {
    for (std::size_t j = 1; j < tokens.size(); ++j) {
        const analysis::Token& t = tokens[j];
        if (!inside(t.bytes, clause) || t.kind != analysis::TokenKind::Word || !is_upper(text[t.bytes.begin])) continue;
        const std::string& before = tokens[j - 1].term;
        const bool after_in = before == "in" || (before == "the" && j >= 2 && tokens[j - 2].term == "in");
        if (!after_in) continue;
        const bool claimed = std::any_of(words.begin(), words.end(),
                                         [&](const ClaimWord& w) { return w.term == t.term || w.key == key_of(t); });
        if (!claimed) return true;
    }
    return false;
}

// What each figure measures, as the claim words it: the word before "of" ("a salary of
// £180,000"), else the first content word after the figure ("a 19% share", "3 million
// copies"); nullptr where that is a name, a function word or nothing.
std::vector<const ClaimWord*> measure_words(const std::vector<analysis::Token>& tokens,
                                            const std::vector<Quantity>& figures, const std::vector<ClaimWord>& words) {
    std::vector<const analysis::Token*> plain;
    for (const auto& t : tokens)
        if (t.kind == analysis::TokenKind::Word) plain.push_back(&t);
    auto word_of = [&](const analysis::Token* t) -> const ClaimWord* {
        for (const ClaimWord& w : words)
            if (w.key == key_of(*t) && !w.name) return &w;
        return nullptr;
    };
    std::vector<const ClaimWord*> out(figures.size(), nullptr);
    for (std::size_t i = 0; i < figures.size(); ++i) {
        std::size_t after = plain.size();   // the first word after the figure
        std::size_t before = plain.size();  // the last word before it
        for (std::size_t k = 0; k < plain.size(); ++k) {
            if (plain[k]->bytes.end <= figures[i].bytes.begin) before = k;
            if (plain[k]->bytes.begin >= figures[i].bytes.end && after == plain.size()) after = k;
        }
        if (before != plain.size() && before > 0 && plain[before]->term == "of") out[i] = word_of(plain[before - 1]);
        if (!out[i] && after != plain.size()) out[i] = word_of(plain[after]);
    }
    return out;
}

// The year last stated before `offset` in `text`'s figures, for figures that state none.
std::optional<int> year_before(const std::vector<Quantity>& figures, std::size_t offset) {
    std::optional<int> year;
    for (const Quantity& q : figures)
        if (q.unit == "year" && !q.value_to && q.bytes.end <= offset) year = static_cast<int>(q.value);
    return year;
}

// Each figure's time (figure_compare.hpp), sentence by sentence; a sentence stating no year
// takes the last one stated before it in the text.
std::vector<std::optional<int>> times_of(std::string_view text, const std::vector<Quantity>& figures,
                                         const std::vector<ByteRange>& sentences) {
    std::vector<std::optional<int>> times(figures.size());
    std::vector<bool> done(figures.size(), false);
    auto place = [&](ByteRange sentence) {
        std::vector<Quantity> in;
        std::vector<std::size_t> index;
        for (std::size_t i = 0; i < figures.size(); ++i)
            if (!done[i] && inside(figures[i].bytes, sentence)) {
                Quantity q = figures[i];
                q.bytes = {q.bytes.begin - sentence.begin, q.bytes.end - sentence.begin};
                in.push_back(q);
                index.push_back(i);
            }
        if (in.empty()) return;
        const auto t = evidence::figure_times(text.substr(sentence.begin, sentence.size()), in,
                                              year_before(figures, sentence.begin));
        for (std::size_t k = 0; k < in.size(); ++k) {
            times[index[k]] = t[k];
            done[index[k]] = true;
        }
    };
    for (const ByteRange& s : sentences) place(s);
    place({0, text.size()});  // figures outside any sentence
    return times;
}

// The script of passages a claim may be checked against across scripts: Cyrillic for a claim
// in Latin script, Latin for one in Cyrillic; "" when the index holds none of it.
std::string other_script(std::string_view claim, const Xapian::Database& db) {
    const std::string script = analysis::dominant_script(claim);
    const std::string other = script == "Latn" ? "Cyrl" : script == "Cyrl" ? "Latn" : "";
    if (other.empty() || !db.term_exists(std::string(index::prefix::script) + other)) return {};
    return other;
}

// A name of the claim that the index holds through its transliteration keys only (Aktobe,
// written in the corpus as Актобе).
bool known_by_keys(const ClaimWord& w, const Xapian::Database& db) {
    return std::any_of(w.keys.begin(), w.keys.end(), [&](const std::string& key) {
        return db.term_exists(std::string(index::prefix::transliteration) + key);
    });
}

}  // namespace

evidence::ClaimCheck SearchService::check_claim_once(const std::string& claim) {
    if (const auto bad = analysis::find_invalid_utf8(claim)) throw QueryError("invalid UTF-8 in the claim", *bad);
    evidence::ClaimCheck check;
    check.claim = claim;
    const Xapian::Database& db = m_reader.database();
    const auto tokens = m_analyzer.analyze(claim);
    const auto figures = analysis::find_quantities(claim, tokens);
    for (const Quantity& q : figures) check.quantities.push_back({q, claim.substr(q.bytes.begin, q.bytes.size()), 0});
    const std::vector<ClaimWord> words = claim_words(claim, tokens, figures, db);
    if (words.empty() && figures.empty()) throw QueryError("the claim has no words or figures to check", 0);
    const auto claim_times = times_of(claim, figures, m_sentences.split(claim));
    // The figures to compare: all but the years, which say when; a claim of years alone
    // ("in 1975") compares them.
    std::vector<std::size_t> compared;
    for (std::size_t i = 0; i < figures.size(); ++i)
        if (figures[i].unit != "year") compared.push_back(i);
    if (compared.empty())
        for (std::size_t i = 0; i < figures.size(); ++i) compared.push_back(i);
    double total_weight = 0;
    for (const ClaimWord& w : words) total_weight += w.weight;
    // The claim's words around each of its figures (a few tokens either side): what the
    // figure measures, to find its counterpart among a passage's figures.
    std::vector<std::vector<const ClaimWord*>> figure_words(figures.size());
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const ByteRange clause = clause_around(claim, tokens, figures[i].bytes, {0, claim.size()});
        std::vector<const analysis::Token*> near;
        for (const auto& t : tokens)
            if (t.kind == analysis::TokenKind::Word && inside(t.bytes, clause)) near.push_back(&t);
        for (const ClaimWord& w : words)
            if (std::any_of(near.begin(), near.end(), [&](const analysis::Token* t) { return key_of(*t) == w.key; }))
                figure_words[i].push_back(&w);
    }

    // What each figure measures: a differing value counts against the claim only where its
    // sentence names it (a bonus is no counterpart to a salary).
    const std::vector<const ClaimWord*> measure = measure_words(tokens, figures, words);

    // No verdict without the subject: a name the corpus never mentions leaves nothing to check.
    // With passages in another script, a name may be there in that script only.
    const std::string across = other_script(claim, db);
    for (const ClaimWord& w : words)
        if (w.name && db.get_termfreq(w.term) == 0 && (w.joined.empty() || db.get_termfreq(w.joined) == 0) &&
            (across.empty() || !known_by_keys(w, db)))
            check.unknown_names.push_back(w.text);
    if (!check.unknown_names.empty()) {
        check.reason = evidence::NotFoundReason::NoSubject;
        return check;
    }

    // The passages that bear on the claim: ranked by its words and its figures' terms.
    SearchRequest request;
    request.query = claim;
    request.literal = true;
    request.ranking.all_words_first = false;
    const query::Node parsed = parse(request);
    const auto compiled = query::build_query(parsed, db);
    request.ranking.remote = m_reader.has_remote_shard();
    const auto ranked = rank::rank(db, compiled, 0, claim_ranked, request.ranking);

    // Whether a text file holds a term in any of its passages (its article).
    std::map<std::pair<std::string, std::string>, bool> in_file;
    auto file_has = [&](const std::string& source, const std::string& term) {
        const auto key = std::make_pair(source, term);
        if (const auto it = in_file.find(key); it != in_file.end()) return it->second;
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                                        Xapian::Query(index::source_term(source))));
        const bool found = !enquire.get_mset(0, 1).empty();
        in_file[key] = found;
        return found;
    };

    bool any_subject = false;
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
        const auto pfigures = analysis::find_quantities(p.text, ptokens);
        const auto sentences = m_sentences.split(p.text);
        const auto ptimes = times_of(p.text, pfigures, sentences);
        std::set<std::string, std::less<>> present;
        for (const auto& t : ptokens) {
            present.insert(t.term);
            present.insert(key_of(t));
        }
        std::set<std::string, std::less<>> in_title;
        for (const auto& t : m_analyzer.analyze(ev.hit.meta.title)) {
            in_title.insert(t.term);
            in_title.insert(key_of(t));
        }
        auto in_passage = [&](const ClaimWord& w) {
            return present.contains(w.term) || present.contains(w.key) || (!w.joined.empty() && present.contains(w.joined));
        };
        auto in_article = [&](const ClaimWord& w) {
            if (in_passage(w) || in_title.contains(w.term) || in_title.contains(w.key)) return true;
            if (!p.record.empty()) return false;  // a JSONL record: its own passages only
            return file_has(p.source, w.term) || (!w.joined.empty() && file_has(p.source, w.joined));
        };

        // The subject: the article holds every rare name of the claim and most of its words.
        double article_weight = 0;
        double passage_weight = 0;
        bool names_there = true;
        for (const ClaimWord& w : words) {
            const bool here = in_passage(w);
            const bool there = here || in_article(w);
            if (here) passage_weight += w.weight;
            if (there) {
                article_weight += w.weight;
                ev.anchors.push_back(w.text);
            } else if (w.name && w.df_share <= common_name_share) {
                names_there = false;
            }
        }
        ev.word_coverage = total_weight > 0 ? passage_weight / total_weight : 1.0;
        const double article_share = total_weight > 0 ? article_weight / total_weight : 1.0;
        const bool subject = names_there && article_share >= subject_share;
        if (!subject) continue;
        any_subject = true;

        // The claim's words in a span of the passage, as a weighted share.
        auto share_in = [&](ByteRange span) {
            double weight = 0;
            for (const ClaimWord& w : words) {
                const bool there = std::any_of(ptokens.begin(), ptokens.end(), [&](const analysis::Token& t) {
                    return inside(t.bytes, span) && (t.term == w.term || key_of(t) == w.key);
                });
                if (there) weight += w.weight;
            }
            return total_weight > 0 ? weight / total_weight : 1.0;
        };
        auto sentence_of = [&](ByteRange figure) -> ByteRange {
            for (const ByteRange& s : sentences)
                if (inside(figure, s)) return s;
            return {0, p.text.size()};
        };
        // The figure's clause: a few tokens either side, within its sentence.
        auto clause_of = [&](ByteRange figure) { return clause_around(p.text, ptokens, figure, sentence_of(figure)); };

        std::vector<evidence::MatchSpan> spans;
        bool all_matched = !compared.empty();
        bool any_differs = false;
        bool any_absent = false;
        for (const std::size_t i : compared) {
            const Quantity& want = figures[i];
            evidence::QuantityComparison cmp;
            cmp.claimed = check.quantities[i];
            // The counterpart: of the figures of a comparable kind and time, an equal one if any,
            // else the one whose clause holds most of the words around the claimed figure, then
            // whose sentence holds most of the claim's.
            double figure_weight = 0;
            for (const ClaimWord* w : figure_words[i]) figure_weight += w->weight;
            auto clause_share = [&](ByteRange clause) {
                double weight = 0;
                for (const ClaimWord* w : figure_words[i]) {
                    const bool there = std::any_of(ptokens.begin(), ptokens.end(), [&](const analysis::Token& t) {
                        return inside(t.bytes, clause) && (t.term == w->term || key_of(t) == w->key);
                    });
                    if (there) weight += w->weight;
                }
                return figure_weight > 0 ? weight / figure_weight : 0.0;
            };
            const Quantity* best = nullptr;
            FigureAgreement best_agreement = FigureAgreement::Unsettled;
            double best_score = -1;
            for (std::size_t k = 0; k < pfigures.size(); ++k) {
                const Quantity& q = pfigures[k];
                if (want.unit != "year" && q.unit == "year") continue;
                const FigureAgreement agreement = evidence::compare_figures(want, q);
                if (agreement != FigureAgreement::Equal && agreement != FigureAgreement::Differs) continue;
                // The same time, where both state one ("$31 billion in 2023" is not set against
                // "$24 billion in 2022").
                if (!evidence::same_time(claim_times[i], ptimes[k])) continue;
                // A different value at a time the passage does not state is most often another
                // period's (a running total, a forecast): it contradicts only a claim that
                // states no time either.
                if (agreement == FigureAgreement::Differs && claim_times[i] && !ptimes[k]) continue;
                const double sentence = share_in(sentence_of(q.bytes));
                const double clause = clause_share(clause_of(q.bytes));
                // A figure among none of the words describing the claimed one is not its
                // counterpart, equal or not.
                if (clause <= 0 && figure_weight > 0) continue;
                if (agreement == FigureAgreement::Differs && measure[i]) {
                    const ByteRange sentence_range = sentence_of(q.bytes);
                    const bool named = std::any_of(ptokens.begin(), ptokens.end(), [&](const analysis::Token& t) {
                        return inside(t.bytes, sentence_range) && (t.term == measure[i]->term || key_of(t) == measure[i]->key);
                    });
                    if (!named) continue;
                }
                // A differing value the passage places somewhere the claim does not name ("1.6
                // million copies in the UK" against "3 million worldwide") is another measure.
                if (agreement == FigureAgreement::Differs && placed_elsewhere(p.text, ptokens, clause_of(q.bytes), words))
                    continue;
                if (sentence < (agreement == FigureAgreement::Equal ? match_share : differ_share)) continue;
                // An equal value among the claim's words is evidence for it, whatever else the
                // passage states; a differing one counts only where none is equal.
                const double score = 2 * clause + sentence + (agreement == FigureAgreement::Equal ? 10 : 0);
                if (score > best_score) {
                    best = &q;
                    best_agreement = agreement;
                    best_score = score;
                }
            }
            const Quantity* equal = best_agreement == FigureAgreement::Equal ? best : nullptr;
            const Quantity* differs = best_agreement == FigureAgreement::Differs ? best : nullptr;
            const Quantity* found = equal ? equal : differs;
            cmp.status = equal ? QuantityStatus::Matched : differs ? QuantityStatus::Differs : QuantityStatus::Absent;
            if (found) {
                cmp.found = stated_in(p, *found);
                evidence::MatchSpan span{found->bytes, 0, 0, {}};
                span.matched_as.kind = evidence::MatchKind::Figure;
                span.matched_as.figure = evidence::MatchedFigure{found->value, found->value_to, found->unit};
                spans.push_back(std::move(span));
            }
            all_matched = all_matched && cmp.status == QuantityStatus::Matched;
            any_differs = any_differs || cmp.status == QuantityStatus::Differs;
            any_absent = any_absent || cmp.status == QuantityStatus::Absent;
            ev.quantities.push_back(std::move(cmp));
        }
        if (compared.empty()) all_matched = ev.word_coverage >= support_coverage_without_figures;
        if (!all_matched && !any_differs) continue;  // about the subject, not this measure
        // A passage silent on one of the claim's figures while differing on another is most
        // often about another occasion ("10 million in 2004" against "4.5 million in the last
        // three months of 2004"): it neither contradicts nor supports.
        if (any_differs && any_absent) continue;
        if (!current) {
            evidence::note_left_out(check.left_out, p.source, ev.hit.status);
            continue;
        }
        ev.supports = all_matched;
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

    // Across scripts (docs/languages.md): when nothing in the claim's own script bears on it,
    // passages in the other script may support it through what survives translation: the
    // figures (value, unit and year) and the names (their transliteration keys). Their words
    // cannot be compared, so nothing says which measure a differing figure is: such a passage
    // supports or says nothing, it never contradicts.
    std::vector<std::size_t> measured;  // the compared figures, all of them with a unit
    for (const std::size_t i : compared)
        if (figures[i].unit != "year" && !figures[i].unit.empty()) measured.push_back(i);
    const bool named = std::any_of(words.begin(), words.end(), [](const ClaimWord& w) { return w.name && !w.keys.empty(); });
    if (check.evidence.empty() && !across.empty() && named && !measured.empty() && measured.size() == compared.size()) {
        // Candidates: passages in the other script with a figure in each claimed unit and every
        // name of the claim by one of its keys.
        std::vector<Xapian::Query> parts{Xapian::Query(std::string(index::prefix::script) + across)};
        for (const std::size_t i : measured) parts.emplace_back(index::quantity_unit_term(figures[i].unit));
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
        const Xapian::MSet candidates = enquire.get_mset(0, claim_ranked);
        for (auto it = candidates.begin(); it != candidates.end(); ++it) {
            evidence::ClaimEvidence ev;
            ev.hit = cite(m_reader.passage(it.get_document()), 0, it.get_weight());
            if (!evidence::quotable(ev.hit.status)) continue;
            const passage::Passage& p = ev.hit.passage;
            const auto ptokens = m_analyzer.analyze(p.text);
            // Every name of the claim in the passage, or for a text file in its article.
            bool names_there = true;
            std::vector<std::string> through_keys;
            for (const ClaimWord& w : words) {
                if (!w.name) continue;
                bool here = false;
                for (const analysis::Token& t : ptokens)
                    if (std::any_of(t.keys.begin(), t.keys.end(), [&](const std::string& k) {
                            return std::find(w.keys.begin(), w.keys.end(), k) != w.keys.end();
                        })) {
                        here = true;
                        through_keys.push_back(p.text.substr(t.bytes.begin, t.bytes.size()));
                    }
                const bool there = here || (p.record.empty() && std::any_of(w.keys.begin(), w.keys.end(), [&](const std::string& k) {
                                                return file_has(p.source, std::string(index::prefix::transliteration) + k);
                                            }));
                if (!there) names_there = false;
                else ev.anchors.push_back(w.text);
            }
            if (!names_there) continue;
            // Every measured figure equal to one of the passage's, of the same year where the
            // claim states one (a figure of no stated year is of none).
            const auto pfigures = analysis::find_quantities(p.text, ptokens);
            const auto ptimes = times_of(p.text, pfigures, m_sentences.split(p.text));
            std::vector<evidence::MatchSpan> spans;
            for (const std::size_t i : measured) {
                evidence::QuantityComparison cmp;
                cmp.claimed = check.quantities[i];
                cmp.status = QuantityStatus::Absent;
                for (std::size_t k = 0; k < pfigures.size(); ++k) {
                    // The value as written, not within its rounding: without the words, "25
                    // trillion" could be a rounded 24.9 trillion of another measure.
                    if (!figures[i].same_as(pfigures[k]) ||
                        evidence::compare_figures(figures[i], pfigures[k]) != FigureAgreement::Equal)
                        continue;
                    if (claim_times[i] && (!ptimes[k] || !evidence::same_time(claim_times[i], ptimes[k]))) continue;
                    cmp.status = QuantityStatus::Matched;
                    cmp.found = stated_in(p, pfigures[k]);
                    spans.push_back({pfigures[k].bytes, 0, 0, {}});
                    break;
                }
                ev.quantities.push_back(std::move(cmp));
            }
            if (spans.size() != measured.size()) continue;
            ev.supports = true;
            ev.hit.rank = check.evidence.size() + 1;
            std::sort(through_keys.begin(), through_keys.end());
            through_keys.erase(std::unique(through_keys.begin(), through_keys.end()), through_keys.end());
            ev.hit.transliterated = std::move(through_keys);
            ev.hit.evidence = evidence::select_evidence(p, spans, m_sentences);
            check.evidence.push_back(std::move(ev));
            any_subject = true;
        }
    }

    auto differs = [](const evidence::ClaimEvidence& e) {
        return std::any_of(e.quantities.begin(), e.quantities.end(),
                           [](const auto& c) { return c.status == QuantityStatus::Differs; });
    };
    // Independent sources among every supporting passage, before the list is cut to those shown.
    {
        index::DuplicateFinder finder(m_reader);
        count_supporting_sources(check, finder);
    }
    if (std::any_of(check.evidence.begin(), check.evidence.end(), [](const auto& e) { return e.supports; }))
        check.verdict = evidence::ClaimVerdict::Supported;
    else if (std::any_of(check.evidence.begin(), check.evidence.end(), differs))
        check.verdict = evidence::ClaimVerdict::Contradicted;
    else
        check.verdict = evidence::ClaimVerdict::NotFound;
    // A claim lists only the passages bearing on its verdict: the supporting ones under
    // "supported", those stating other values under "contradicted".
    const bool supported = check.verdict == evidence::ClaimVerdict::Supported;
    std::erase_if(check.evidence, [&](const auto& e) { return supported ? !e.supports : !differs(e); });
    if (check.evidence.size() > claim_evidence) check.evidence.resize(claim_evidence);
    if (check.verdict == evidence::ClaimVerdict::NotFound)
        check.reason = any_subject ? evidence::NotFoundReason::NoMeasure : evidence::NotFoundReason::NoSubject;
    return check;
}

evidence::FactTable SearchService::list_facts_once(const std::string& query_text, const evidence::FactOptions& options) {
    SearchRequest request;
    request.query = query_text;
    const query::Node parsed = parse(request);
    const auto compiled = query::build_query(parsed, m_reader.database());
    const Xapian::Database& db = m_reader.database();
    evidence::MatchFinder matcher(m_analyzer);
    Xapian::MSet mset = index::all_matches_in_corpus_order(db, compiled.all, seconds_left());
    check_deadline();
    index::prefetch(mset);  // remote shards: all documents in one round trip

    evidence::FactTable table;
    table.query = query_text;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        if (it.get_rank() % 256 == 0) check_deadline();
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
            if (!evidence::unit_wanted(q.unit, options.units)) continue;
            ++table.figures;
            if (options.limit != 0 && table.figures > options.limit) {
                table.truncated = true;
                continue;
            }
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
