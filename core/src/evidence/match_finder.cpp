#include "cite/evidence/match_finder.hpp"

#include "cite/analysis/language.hpp"
#include "cite/analysis/quantity.hpp"
#include "cite/analysis/transliteration.hpp"
#include "cite/query/query_builder.hpp"

#include <algorithm>
#include <cstdint>
#include <map>

namespace cite::evidence {
namespace {

using query::Node;
using query::NodeKind;
using Spans = std::vector<MatchSpan>;

// Tokens of one text, looked up by position for phrase matching. Positions are small and
// dense (1..N in a passage; a compound shares its last part's; fields leave gaps of 8), so
// the lookup is a table by position (token indexes grouped by position, with each
// position's start): a few allocations, where a map by position took two per word.
class TokenIndex {
  public:
    explicit TokenIndex(std::vector<analysis::Token> tokens) : m_tokens(std::move(tokens)) {
        std::uint32_t last = 0;
        for (const analysis::Token& t : m_tokens) last = std::max(last, t.position);
        m_starts.assign(static_cast<std::size_t>(last) + 2, 0);
        for (const analysis::Token& t : m_tokens) ++m_starts[t.position + 1];
        for (std::size_t p = 1; p < m_starts.size(); ++p) m_starts[p] += m_starts[p - 1];
        m_by_position.resize(m_tokens.size());
        std::vector<std::uint32_t> next(m_starts.begin(), m_starts.end() - 1);
        for (std::size_t i = 0; i < m_tokens.size(); ++i)
            m_by_position[next[m_tokens[i].position]++] = static_cast<std::uint32_t>(i);
    }

    [[nodiscard]] const std::vector<analysis::Token>& tokens() const { return m_tokens; }

    [[nodiscard]] const analysis::Token* at(std::uint32_t position, const std::string& term) const {
        return find_at(position, [&](const analysis::Token& t) { return query::token_has_term(t, term); });
    }

    /// The first token at `position` that `matches`, or nullptr.
    template <typename Matches>
    [[nodiscard]] const analysis::Token* find_at(std::uint32_t position, const Matches& matches) const {
        if (static_cast<std::size_t>(position) + 1 >= m_starts.size()) return nullptr;
        for (std::uint32_t k = m_starts[position]; k < m_starts[position + 1]; ++k)
            if (matches(m_tokens[m_by_position[k]])) return &m_tokens[m_by_position[k]];
        return nullptr;
    }

  private:
    std::vector<analysis::Token> m_tokens;
    std::vector<std::uint32_t> m_starts;       // m_by_position[m_starts[p] .. m_starts[p + 1]) hold p
    std::vector<std::uint32_t> m_by_position;  // indexes into m_tokens, by position
};

// `text` with every run of white space one space: a phrase typed on one line is the same
// words as one wrapped across two.
std::string collapse_space(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

// The query's words a variant stands for, as typed: the one token a stemmed variant came
// from, otherwise the node's words from its first to its last token.
std::string typed_words(const Node& n, const analysis::Token* stemmed) {
    if (stemmed) return collapse_space(std::string_view(n.text).substr(stemmed->bytes.begin, stemmed->bytes.size()));
    if (n.tokens.empty()) return collapse_space(n.text);
    std::size_t begin = n.tokens.front().bytes.begin, end = 0;
    for (const analysis::Token& t : n.tokens) {
        begin = std::min(begin, t.bytes.begin);
        end = std::max(end, t.bytes.end);
    }
    return collapse_space(std::string_view(n.text).substr(begin, end - begin));
}

// How a span of `text` matched the node: the alias it names, else the words as typed
// (exact), their folded terms, or a stem-mate (`by_stem`).
MatchedAs matched_words(const Node& n, std::string typed, std::string_view text, analysis::ByteRange bytes, bool by_stem) {
    MatchedAs how;
    how.query_word = std::move(typed);
    if (!n.alias.empty()) {
        how.kind = MatchKind::Alias;
        how.alias = n.alias;
    } else if (by_stem) {
        how.kind = MatchKind::Stem;
    } else {
        // (A field's words are matched without their text: nothing is highlighted there.)
        const bool as_typed = bytes.end <= text.size() && collapse_space(text.substr(bytes.begin, bytes.size())) == how.query_word;
        how.kind = as_typed ? MatchKind::Exact : MatchKind::Folded;
    }
    return how;
}

// The keys a query word of `variant` may match through (query_builder.cpp's term_or_keys).
std::vector<std::string> variant_keys(const Node& n, const std::string& term) {
    for (const analysis::Token& t : n.tokens)
        if (t.term == term) return analysis::transliteration_keys(t.term, t.stem);
    return {};
}

bool shares_key(const analysis::Token& token, const std::vector<std::string>& keys) {
    return std::any_of(token.keys.begin(), token.keys.end(),
                       [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); });
}

// The variant matched word by word as itself or through a transliteration key, as the key
// alternatives of the Xapian query do; spans marked transliterated.
void match_keys(const Node& n, const std::vector<std::string>& variant, const TokenIndex& index, std::vector<MatchSpan>& out) {
    std::vector<std::vector<std::string>> keys;
    for (const std::string& term : variant) keys.push_back(variant_keys(n, term));
    const auto matches = [&](const analysis::Token& t, std::size_t k) { return t.term == variant[k] || shares_key(t, keys[k]); };
    for (const analysis::Token& first : index.tokens()) {
        if (!matches(first, 0)) continue;
        const analysis::Token* last = &first;
        for (std::size_t k = 1; k < variant.size() && last; ++k) {
            last = nullptr;
            for (const analysis::Token& t : index.tokens())
                if (t.position == first.position + k && matches(t, k)) last = &t;
        }
        if (!last) continue;
        MatchSpan span{analysis::ByteRange{first.bytes.begin, last->bytes.end}, first.position, last->position, n.alias};
        span.transliterated = true;
        span.matched_as.kind = MatchKind::Transliteration;
        span.matched_as.query_word = typed_words(n, nullptr);
        out.push_back(std::move(span));
    }
}

// A Cyrillic alias name (Node::stemmed_phrase): each word by its stem, or by its term when it
// has none, in sequence.
Spans match_stems(const Node& n, const TokenIndex& index, std::string_view text) {
    std::vector<const analysis::Token*> words;
    for (const analysis::Token& t : n.tokens)
        if (t.kind != analysis::TokenKind::Compound) words.push_back(&t);
    Spans out;
    if (words.empty()) return out;
    const auto matches = [](const analysis::Token& token, const analysis::Token& word) {
        return word.stem.empty() ? query::token_has_term(token, word.term) : token.stem == word.stem;
    };
    for (const analysis::Token& first : index.tokens()) {
        if (!matches(first, *words.front())) continue;
        const analysis::Token* last = &first;
        for (std::size_t k = 1; k < words.size() && last; ++k)
            last = index.find_at(first.position + static_cast<std::uint32_t>(k),
                                 [&](const analysis::Token& t) { return matches(t, *words[k]); });
        if (!last) continue;
        const analysis::ByteRange bytes{first.bytes.begin, last->bytes.end};
        MatchSpan span{bytes, first.position, last->position, n.alias};
        span.matched_as = matched_words(n, typed_words(n, nullptr), text, bytes, false);
        out.push_back(std::move(span));
    }
    return out;
}

// Same rules as the Xapian query (query_builder.cpp): each phrase variant in sequence; a
// one-term unquoted variant by stem.
Spans match_words(const Node& n, const TokenIndex& index, std::string_view text) {
    if (n.stemmed_phrase) return match_stems(n, index, text);
    Spans out;
    for (const auto& variant : query::phrase_variants(n)) {
        const analysis::Token* stemmed = query::stemmed_token(n, variant);
        const std::string typed = typed_words(n, stemmed);
        for (const analysis::Token& first : index.tokens()) {
            const bool starts = stemmed ? first.stem == stemmed->stem || first.term == variant.front()
                                        : query::token_has_term(first, variant.front());
            if (!starts) continue;
            const analysis::Token* last = &first;
            for (std::size_t k = 1; k < variant.size() && last; ++k)
                last = index.at(first.position + static_cast<std::uint32_t>(k), variant[k]);
            if (!last) continue;
            const analysis::ByteRange bytes{first.bytes.begin, last->bytes.end};
            MatchSpan span{bytes,
                           // A joined compound stands at its last part's position but
                           // covers its first part's too.
                           first.position, last->position, n.alias};
            span.matched_as = matched_words(n, typed, text, bytes, stemmed && first.term != variant.front());
            out.push_back(std::move(span));
        }
        if (n.transliterate && out.empty()) match_keys(n, variant, index, out);
    }
    return out;
}

class Evaluator {
  public:
    Evaluator(analysis::Analyzer& analyzer, const passage::Passage& passage, const passage::DocumentMeta& meta)
        : m_analyzer(analyzer), m_passage(passage), m_meta(meta), m_body(analyzer.analyze(passage.text)) {}

    std::optional<Spans> eval(const Node& n) {
        switch (n.kind) {
        case NodeKind::Words: return words(n);
        case NodeKind::FileFilter:
            if (query::file_pattern_matches(n.pattern, m_passage.source)) return Spans{};
            return std::nullopt;
        case NodeKind::LanguageFilter:
            if (analysis::identify_language(m_passage.text) == n.pattern) return Spans{};
            return std::nullopt;
        case NodeKind::DateFilter:
            if (query::date_within(n, m_meta.date)) return Spans{};
            return std::nullopt;
        case NodeKind::AndNot: {
            auto left = eval(n.children[0]);
            if (!left || eval(n.children[1])) return std::nullopt;
            return left;
        }
        case NodeKind::And: {
            Spans all;
            for (const Node& c : n.children) {
                auto s = eval(c);
                if (!s) return std::nullopt;
                all.insert(all.end(), s->begin(), s->end());
            }
            return all;
        }
        case NodeKind::Or:
        case NodeKind::Group: {
            // A Group passage may match only some of its words (the lower tier), but every
            // filter among them (file:, lang:, date:), as query::build_query reads a group.
            std::optional<Spans> any;
            bool words = false;
            for (const Node& c : n.children) {
                if (n.kind == NodeKind::Group && query::is_filter(c)) {
                    if (!eval(c)) return std::nullopt;
                    continue;
                }
                words = true;
                if (auto s = eval(c)) {
                    if (!any) any.emplace();
                    any->insert(any->end(), s->begin(), s->end());
                }
            }
            if (!words) return Spans{};  // filters only, all met
            return any;
        }
        case NodeKind::Near: return near(n);
        case NodeKind::Quantity: return quantity(n);
        }
        return std::nullopt;
    }

  private:
    std::optional<Spans> words(const Node& n) {
        if (n.field != query::Field::Body) {
            if (match_words(n, field(n.field), {}).empty()) return std::nullopt;
            return Spans{};  // a field match has nothing to highlight in the passage
        }
        Spans s = match_words(n, m_body, m_passage.text);
        if (s.empty()) return std::nullopt;
        return s;
    }

    // Every occurrence of a child that lies in some window holding all children.
    std::optional<Spans> near(const Node& n) {
        struct Occurrence {
            MatchSpan span;
            std::size_t child;
        };
        std::vector<Occurrence> all;
        for (std::size_t c = 0; c < n.children.size(); ++c) {
            auto s = eval(n.children[c]);
            if (!s || s->empty()) return std::nullopt;
            for (const MatchSpan& m : *s) all.push_back({m, c});
        }
        std::sort(all.begin(), all.end(), [](const Occurrence& a, const Occurrence& b) {
            return a.span.first_position < b.span.first_position;
        });
        const auto window = query::near_window(n);
        std::vector<bool> used(all.size(), false);
        for (std::size_t i = 0; i < all.size(); ++i) {
            const std::uint32_t limit = all[i].span.first_position + window - 1;
            std::vector<bool> covered(n.children.size(), false);
            std::size_t count = 0;
            std::vector<std::size_t> members;
            for (std::size_t j = i; j < all.size() && all[j].span.first_position <= limit; ++j) {
                if (all[j].span.last_position > limit) continue;
                members.push_back(j);
                if (!covered[all[j].child]) {
                    covered[all[j].child] = true;
                    ++count;
                }
            }
            if (count == n.children.size())
                for (std::size_t j : members) used[j] = true;
        }
        Spans out;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (used[i]) out.push_back(all[i].span);
        if (out.empty()) return std::nullopt;
        return out;
    }

    // Passage quantities with the query's unit (any, for a bare figure) and value: the value
    // itself, or inside the query's range.
    std::optional<Spans> quantity(const Node& n) {
        if (!m_quantities) m_quantities = analysis::find_quantities(m_passage.text, m_body.tokens());
        const analysis::Quantity& want = n.quantity;
        Spans out;
        for (const analysis::Quantity& q : *m_quantities) {
            if (!want.unit.empty() && q.unit != want.unit) continue;
            const bool hit = want.value_to ? (q.value >= want.value && q.value <= *want.value_to) ||
                                                 (q.value_to && *q.value_to >= want.value && q.value <= *want.value_to)
                                           : q.covers(want.value);
            if (!hit) continue;
            MatchSpan span{q.bytes, 0, 0, {}};
            span.matched_as.kind = MatchKind::Figure;
            span.matched_as.figure = MatchedFigure{q.value, q.value_to, q.unit};
            for (const analysis::Token& t : m_body.tokens()) {
                if (t.bytes.begin < q.bytes.begin || t.bytes.end > q.bytes.end) continue;
                if (span.first_position == 0) span.first_position = t.position;
                span.last_position = std::max(span.last_position, t.position);
            }
            out.push_back(span);
        }
        if (out.empty()) return std::nullopt;
        return out;
    }

    const TokenIndex& field(query::Field f) {
        auto it = m_fields.find(f);
        if (it != m_fields.end()) return it->second;
        // Mirrors index::build_document: names apart by a position gap.
        std::vector<std::string> texts;
        if (f == query::Field::Title) texts = {m_meta.title};
        else if (f == query::Field::Author) texts = m_meta.authors;
        else texts = {m_meta.publisher, m_meta.container_title};
        std::vector<analysis::Token> tokens;
        std::uint32_t offset = 0;
        for (const std::string& text : texts) {
            std::uint32_t last = offset;
            for (analysis::Token t : m_analyzer.analyze(text)) {
                t.position += offset;
                last = t.position;
                tokens.push_back(std::move(t));
            }
            offset = last + 8;
        }
        return m_fields.emplace(f, TokenIndex(std::move(tokens))).first->second;
    }

    analysis::Analyzer& m_analyzer;
    const passage::Passage& m_passage;
    const passage::DocumentMeta& m_meta;
    TokenIndex m_body;
    std::map<query::Field, TokenIndex> m_fields;
    std::optional<std::vector<analysis::Quantity>> m_quantities;
};

}  // namespace

const char* to_string(MatchKind kind) {
    switch (kind) {
    case MatchKind::Exact: return "exact";
    case MatchKind::Folded: return "folded";
    case MatchKind::Stem: return "stem";
    case MatchKind::Transliteration: return "transliteration";
    case MatchKind::Alias: return "alias";
    case MatchKind::Figure: return "figure";
    }
    return "exact";
}

std::optional<std::vector<MatchSpan>> MatchFinder::find(const query::Node& query, const passage::Passage& passage,
                                                         const passage::DocumentMeta& meta) {
    auto spans = Evaluator(m_analyzer, passage, meta).eval(query);
    if (!spans) return spans;
    // Of spans over the same bytes, the closest match to what was typed is kept (MatchKind's order).
    std::sort(spans->begin(), spans->end(), [](const MatchSpan& a, const MatchSpan& b) {
        if (a.bytes.begin != b.bytes.begin) return a.bytes.begin < b.bytes.begin;
        if (a.bytes.end != b.bytes.end) return a.bytes.end < b.bytes.end;
        return a.matched_as.kind < b.matched_as.kind;
    });
    // One span per stretch of text: a hyphenated word can match both as its parts and as
    // its joined form.
    spans->erase(std::unique(spans->begin(), spans->end(),
                             [](const MatchSpan& a, const MatchSpan& b) { return a.bytes == b.bytes; }),
                 spans->end());
    return spans;
}

}  // namespace cite::evidence
