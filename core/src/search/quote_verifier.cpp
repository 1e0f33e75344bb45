// SearchService::verify_quote: where a quotation stands in the corpus, and how it differs.

#include "cite/search/search_service.hpp"

#include "cite/analysis/quantity.hpp"
#include "cite/evidence/figure_compare.hpp"

#include "cite/error.hpp"
#include "cite/evidence/quote_alignment.hpp"
#include "cite/analysis/utf8.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/query/query_parser.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace cite::search {
namespace {

using analysis::ByteRange;
using evidence::Word;

// Candidates examined for an altered quote: the best-scoring passages for its words.
constexpr Xapian::doccount altered_candidates = 30;
// Below this similarity (Dice over words), or with fewer of the quote's words found in
// order, the closest passage is not the quote but a different statement.
constexpr double altered_threshold = 0.7;
constexpr double altered_coverage = 0.6;

// The quote without surrounding white space and one pair of enclosing quotation marks.
std::string strip_quote(std::string_view text) {
    auto r = analysis::trim_space(text, {0, text.size()});
    std::string out(text.substr(r.begin, r.size()));
    for (auto [open, close] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"\"", "\""}, {"\u201C", "\u201D"}, {"\u201E", "\u201C"}, {"\u00AB", "\u00BB"}, {"'", "'"},
             {"\u2018", "\u2019"}}) {
        if (out.size() >= open.size() + close.size() && out.starts_with(open) && out.ends_with(close)) {
            out = out.substr(open.size(), out.size() - open.size() - close.size());
            break;
        }
    }
    return out;
}

// Word-index boundaries of the parts between ellipses ("...", "…", ". . .").
std::vector<std::pair<std::size_t, std::size_t>> split_parts(std::string_view text, const std::vector<Word>& words) {
    std::vector<std::size_t> cuts;
    for (std::string_view e : {"...", "\u2026", ". . ."})
        for (std::size_t at = text.find(e); at != std::string_view::npos; at = text.find(e, at + e.size()))
            cuts.push_back(at);
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    std::size_t begin = 0;
    for (std::size_t cut : cuts) {
        std::size_t end = begin;
        while (end < words.size() && words[end].bytes.begin < cut) ++end;
        if (end > begin) parts.emplace_back(begin, end);
        begin = end;
    }
    if (begin < words.size()) parts.emplace_back(begin, words.size());
    return parts;
}

std::vector<Word> subrange(const std::vector<Word>& words, std::pair<std::size_t, std::size_t> part) {
    return {words.begin() + static_cast<std::ptrdiff_t>(part.first), words.begin() + static_cast<std::ptrdiff_t>(part.second)};
}

ByteRange shifted(ByteRange r, std::size_t by) { return {r.begin + by, r.end + by}; }

// The passage `step` paragraphs after `p` in its document (before it, for a negative step),
// if the index has it.
std::optional<passage::Passage> neighbour(const index::IndexReader& reader, const passage::Passage& p, int step) {
    if (step < 0 && p.ordinal <= static_cast<std::uint32_t>(-step)) return std::nullopt;
    passage::Passage other = p;
    other.ordinal = static_cast<std::uint32_t>(static_cast<std::int64_t>(p.ordinal) + step);
    const Xapian::Database& db = reader.database();
    const std::string term = index::unique_term(other);
    const auto it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return std::nullopt;
    return reader.passage(db.get_document(*it));
}

bool all_space(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; });
}

}  // namespace

std::vector<evidence::QuoteMatch> SearchService::quote_across_paragraphs(const std::string& text, const std::vector<Word>& words,
                                                                         const Xapian::MSet& candidates, bool case_sensitive,
                                                                         std::vector<evidence::LeftOutSource>& left_out) {
    std::vector<evidence::QuoteMatch> found;
    if (words.size() < 2) return found;
    std::set<std::string> tried;  // the first passage of each pair tried
    for (auto it = candidates.begin(); it != candidates.end(); ++it) {
        const passage::Passage candidate = m_reader.passage(it.get_document());
        for (const int step : {1, -1}) {
            auto other = neighbour(m_reader, candidate, step);
            if (!other) continue;
            const passage::Passage& first = step > 0 ? candidate : *other;
            const passage::Passage& second = step > 0 ? *other : candidate;
            // Only where the file's own bytes are the text, so the stretch between the two
            // paragraphs can be read and quoted: not JSONL records or derived text layers.
            const auto file = m_reader.file(first.source);
            if (!first.record.empty() || !file || !file->layer_sha256.empty() || !tried.insert(index::unique_term(first)).second)
                continue;
            const std::vector<Word> head_source = evidence::words_of(m_analyzer.analyze(first.text));
            const std::vector<Word> tail_source = evidence::words_of(m_analyzer.analyze(second.text));
            for (std::size_t k = words.size() - 1; k >= 1; --k) {
                const std::size_t rest = words.size() - k;
                if (k > head_source.size() || rest > tail_source.size()) continue;
                const auto head = subrange(words, {0, k});
                const auto tail = subrange(words, {k, words.size()});
                const std::size_t at = head_source.size() - k;
                const auto head_runs = evidence::find_word_runs(text, head, first.text, head_source, case_sensitive, at);
                if (std::find(head_runs.begin(), head_runs.end(), at) == head_runs.end()) continue;
                const auto tail_runs = evidence::find_word_runs(text, tail, second.text, tail_source, case_sensitive, 0);
                if (std::find(tail_runs.begin(), tail_runs.end(), std::size_t{0}) == tail_runs.end()) continue;
                evidence::CitedHit hit = cite(first, 0, 0.0);
                if (hit.status != evidence::SourceStatus::Fresh) {
                    if (!evidence::quotable(hit.status)) evidence::note_left_out(left_out, first.source, hit.status);
                    break;
                }
                // The two paragraphs must stand one after the other in the file, white space
                // between them.
                const std::string bytes = passage::read_file_bytes(std::filesystem::path(file->root) / file->source);
                if (second.bytes.begin < first.bytes.end || second.bytes.begin > bytes.size() ||
                    !all_space(std::string_view(bytes).substr(first.bytes.end, second.bytes.begin - first.bytes.end)))
                    break;
                evidence::QuoteMatch match;
                match.parts = {shifted({head_source[at].bytes.begin, head_source.back().bytes.end}, first.bytes.begin),
                               shifted({tail_source[0].bytes.begin, tail_source[rest - 1].bytes.end}, second.bytes.begin)};
                for (auto d : evidence::typographic_differences(text, head, first.text, head_source, at)) {
                    d.source_bytes = shifted(d.source_bytes, first.bytes.begin);
                    match.differences.push_back(std::move(d));
                }
                for (auto d : evidence::typographic_differences(text, tail, second.text, tail_source, 0)) {
                    d.source_bytes = shifted(d.source_bytes, second.bytes.begin);
                    match.differences.push_back(std::move(d));
                }
                match.bytes = {match.parts.front().begin, match.parts.back().end};
                match.line = first.line_at(match.bytes.begin - first.bytes.begin);
                match.source_text = bytes.substr(match.bytes.begin, match.bytes.size());
                match.hit = std::move(hit);
                match.continued.push_back(cite(second, 0, 0.0));
                found.push_back(std::move(match));
                break;
            }
        }
    }
    return found;
}

evidence::QuoteCheck SearchService::verify_quote_once(const std::string& quote, bool case_sensitive) {
    if (const auto bad = analysis::find_invalid_utf8(quote)) throw QueryError("invalid UTF-8 in the quote", *bad);
    const std::string text = strip_quote(quote);
    const std::vector<Word> words = evidence::words_of(m_analyzer.analyze(text));
    if (words.empty()) throw QueryError("the quote has no words to look for", 0);
    const auto parts = split_parts(text, words);
    const Xapian::Database& db = m_reader.database();

    evidence::QuoteCheck check;
    check.quote = quote;

    // Exact or typographic: passages holding all of the quote's rarest words, then an exact
    // word-by-word check. A word the index lacks means no passage can hold the quote.
    std::map<Xapian::doccount, std::set<std::string>> by_frequency;
    bool all_indexed = true;
    for (const Word& w : words) {
        const Xapian::doccount tf = db.get_termfreq(w.term);
        if (tf == 0) all_indexed = false;
        by_frequency[tf].insert(w.term);
    }
    if (all_indexed) {
        std::vector<std::string> rarest;
        for (const auto& [tf, terms] : by_frequency)
            for (const std::string& t : terms)
                if (rarest.size() < 3) rarest.push_back(t);
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, rarest.begin(), rarest.end()));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        // Corpus order, not docid order: the same for one database and for shards.
        enquire.set_sort_by_value(index::slot::corpus_order, false);
        Xapian::MSet candidates = enquire.get_mset(0, db.get_doccount());
        index::prefetch(candidates);
        for (auto it = candidates.begin(); it != candidates.end(); ++it) {
            const passage::Passage passage = m_reader.passage(it.get_document());
            const std::vector<Word> source = evidence::words_of(m_analyzer.analyze(passage.text));
            std::vector<evidence::QuoteMatch> found;  // in this passage
            for (std::size_t start : evidence::find_word_runs(text, subrange(words, parts[0]), passage.text, source,
                                                              case_sensitive)) {
                evidence::QuoteMatch match;
                std::size_t next = start;
                bool complete = true;
                for (const auto& part : parts) {
                    const auto part_words = subrange(words, part);
                    const auto runs = evidence::find_word_runs(text, part_words, passage.text, source, case_sensitive, next);
                    if (runs.empty()) {
                        complete = false;
                        break;
                    }
                    const std::size_t at = &part == &parts[0] ? start : runs.front();
                    const std::size_t last = at + part_words.size() - 1;
                    match.parts.push_back(shifted({source[at].bytes.begin, source[last].bytes.end}, passage.bytes.begin));
                    for (auto d : evidence::typographic_differences(text, part_words, passage.text, source, at)) {
                        d.source_bytes = shifted(d.source_bytes, passage.bytes.begin);
                        match.differences.push_back(std::move(d));
                    }
                    next = last + 1;
                }
                if (!complete) continue;
                match.bytes = {match.parts.front().begin, match.parts.back().end};
                match.line = passage.line_at(match.bytes.begin - passage.bytes.begin);
                match.source_text = passage.text.substr(match.bytes.begin - passage.bytes.begin, match.bytes.size());
                found.push_back(std::move(match));
            }
            if (found.empty()) continue;
            // Only a passage holding the quote has its file checked (hashed once per run). A
            // file that changed or is gone may no longer hold these words: no verdict from it.
            const evidence::CitedHit hit = cite(passage, 0, 0.0);
            if (!evidence::quotable(hit.status)) {
                evidence::note_left_out(check.left_out, passage.source, hit.status);
                continue;
            }
            for (evidence::QuoteMatch& match : found) {
                match.hit = hit;
                check.matches.push_back(std::move(match));
            }
        }
    }
    if (!check.matches.empty()) {
        // Exact places first; otherwise corpus order, as Xapian returned them.
        std::stable_sort(check.matches.begin(), check.matches.end(),
                         [](const auto& a, const auto& b) { return a.differences.empty() && !b.differences.empty(); });
        const bool exact = check.matches.front().differences.empty();
        check.verdict = exact ? evidence::QuoteVerdict::Exact : evidence::QuoteVerdict::Typographic;
        std::size_t rank = 0;
        for (auto& m : check.matches) m.hit.rank = ++rank;
        return check;
    }

    // Altered or not found: align the quote with the best passages for its words.
    SearchRequest request;
    request.query = text;
    request.literal = true;
    request.use_aliases = false;
    request.ranking.all_words_first = false;
    const query::Node parsed = parse(request);
    Xapian::Enquire enquire = rank::weighted_enquire(db, request.ranking);
    enquire.set_query(query::build_query(parsed, db).any);
    Xapian::MSet candidates = enquire.get_mset(0, altered_candidates);
    index::prefetch(candidates);

    // Across a paragraph break: the end of one paragraph and the start of the next, in one
    // file (a quote with "..." is left to the steps around this one).
    if (parts.size() == 1) {
        check.matches = quote_across_paragraphs(text, words, candidates, case_sensitive, check.left_out);
        if (!check.matches.empty()) {
            std::stable_sort(check.matches.begin(), check.matches.end(),
                             [](const auto& a, const auto& b) { return a.differences.empty() && !b.differences.empty(); });
            check.verdict = check.matches.front().differences.empty() ? evidence::QuoteVerdict::Exact
                                                                       : evidence::QuoteVerdict::Typographic;
            std::size_t rank = 0;
            for (auto& m : check.matches) m.hit.rank = ++rank;
            return check;
        }
    }
    std::optional<evidence::QuoteMatch> best;
    for (auto it = candidates.begin(); it != candidates.end(); ++it) {
        const passage::Passage passage = m_reader.passage(it.get_document());
        const std::vector<Word> source = evidence::words_of(m_analyzer.analyze(passage.text));
        evidence::Alignment alignment = evidence::align_words(text, words, passage.text, source, case_sensitive);
        // Only a passage close enough to be the verdict has its file checked; one whose file
        // changed or is gone is left out, whichever passage turns out closest.
        if (alignment.coverage < altered_coverage || alignment.similarity < altered_threshold) continue;
        evidence::CitedHit hit = cite(passage, 1, it.get_weight());
        if (!evidence::quotable(hit.status)) {
            evidence::note_left_out(check.left_out, passage.source, hit.status);
            continue;
        }
        if (best && alignment.similarity <= best->similarity) continue;
        evidence::QuoteMatch match;
        match.similarity = alignment.similarity;
        match.bytes = shifted({source[alignment.first].bytes.begin, source[alignment.last].bytes.end}, passage.bytes.begin);
        match.parts = {match.bytes};
        match.line = passage.line_at(match.bytes.begin - passage.bytes.begin);
        match.source_text = passage.text.substr(match.bytes.begin - passage.bytes.begin, match.bytes.size());
        // A number is marked changed only when its value is: the figures on either side of
        // each difference are compared by value and unit.
        const auto quote_figures = analysis::find_quantities(text, m_analyzer.analyze(text));
        const auto source_figures = analysis::find_quantities(passage.text, m_analyzer.analyze(passage.text));
        auto overlapping = [](const std::vector<analysis::Quantity>& figures, analysis::ByteRange range) {
            std::vector<analysis::Quantity> out;
            for (const auto& q : figures)
                if (q.bytes.begin < range.end && range.begin < q.bytes.end) out.push_back(q);
            return out;
        };
        for (auto& op : alignment.ops) {
            if (op.kind != evidence::DiffOp::Kind::Equal)
                if (const auto changed = evidence::figures_changed(overlapping(quote_figures, op.quoted_bytes),
                                                                   overlapping(source_figures, op.source_bytes)))
                    op.number_changed = *changed;
            if (op.kind != evidence::DiffOp::Kind::Delete) op.source_bytes = shifted(op.source_bytes, passage.bytes.begin);
            match.diff.push_back(std::move(op));
        }
        match.hit = std::move(hit);
        best = std::move(match);
    }
    if (best) {
        check.verdict = evidence::QuoteVerdict::Altered;
        check.matches.push_back(std::move(*best));
    }
    return check;
}

}  // namespace cite::search
