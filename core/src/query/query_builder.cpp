#include "cite/query/query_builder.hpp"

#include "cite/analysis/function_words.hpp"
#include "cite/analysis/transliteration.hpp"
#include "cite/index/schema.hpp"

#include <algorithm>
#include <cctype>

namespace cite::query {
namespace {

std::string field_prefix(Field f) {
    switch (f) {
    case Field::Title: return std::string(index::prefix::title);
    case Field::Author: return std::string(index::prefix::author);
    case Field::Publisher: return std::string(index::prefix::publisher);
    case Field::Body: break;
    }
    return {};
}

Xapian::Query phrase(const std::vector<std::string>& terms, const std::string& prefix) {
    std::vector<std::string> prefixed;
    prefixed.reserve(terms.size());
    for (const std::string& t : terms) prefixed.push_back(prefix + t);
    if (prefixed.size() == 1) return Xapian::Query(prefixed.front());
    return Xapian::Query(Xapian::Query::OP_PHRASE, prefixed.begin(), prefixed.end(),
                         static_cast<Xapian::termcount>(prefixed.size()));
}

// An unquoted single word such as "the" (is_function_word), in any field.
bool is_lone_function_word(const Node& n) {
    return n.kind == NodeKind::Words && !n.quoted && n.tokens.size() == 1 && analysis::is_function_word(n.tokens.front().term);
}

class Builder {
  public:
    explicit Builder(const Xapian::Database& db) : m_db(db) {}

    bool needs_verification = false;
    bool has_group = false;

    Xapian::Query build(const Node& n, bool strict) {
        switch (n.kind) {
        case NodeKind::Words: return words(n, strict);
        case NodeKind::FileFilter: return file_filter(n);
        case NodeKind::LanguageFilter:
            return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                 Xapian::Query(std::string(index::prefix::language) + n.pattern), 0.0);
        case NodeKind::DateFilter: return date_filter(n);
        case NodeKind::Quantity: return quantity(n);
        case NodeKind::Near: return near(n, strict);
        case NodeKind::AndNot:
            return Xapian::Query(Xapian::Query::OP_AND_NOT, build(n.children[0], strict),
                                 build(n.children[1], true));
        case NodeKind::And: return combine(Xapian::Query::OP_AND, n.children, strict);
        case NodeKind::Or: return combine(Xapian::Query::OP_OR, n.children, strict);
        case NodeKind::Group: return group(n, strict);
        }
        return Xapian::Query::MatchNothing;
    }

  private:
    // Every day of the document's date within the range: its first day from `date_from` on,
    // its last up to `date_to`. Passages without a date have no values, so match neither.
    static Xapian::Query date_filter(const Node& n) {
        std::vector<Xapian::Query> bounds;
        if (!n.date_from.empty())
            bounds.emplace_back(Xapian::Query::OP_VALUE_GE, index::slot::date_first, n.date_from);
        if (!n.date_to.empty()) bounds.emplace_back(Xapian::Query::OP_VALUE_LE, index::slot::date_last, n.date_to);
        return Xapian::Query(Xapian::Query::OP_AND, bounds.begin(), bounds.end());
    }

    Xapian::Query combine(Xapian::Query::op op, const std::vector<Node>& children, bool strict) {
        std::vector<Xapian::Query> parts;
        for (const Node& c : children) parts.push_back(build(c, strict));
        return Xapian::Query(op, parts.begin(), parts.end());
    }

    // file: filters restrict the whole group; they are never "some of the words". Nor is a
    // function word on its own, unless the group holds nothing else: "the" is in nearly every
    // passage, so it made nearly every passage a candidate for nearly no weight (SciFact
    // claims: p50 -25%, rankings unchanged within noise).
    Xapian::Query group(const Node& n, bool strict) {
        const bool skip_function_words =
            !strict && std::any_of(n.children.begin(), n.children.end(), [](const Node& c) {
                return !is_filter(c) && !is_lone_function_word(c);
            });
        std::vector<Xapian::Query> filters;
        std::vector<Xapian::Query> parts;
        for (const Node& c : n.children) {
            if (is_filter(c)) filters.push_back(build(c, true));
            else if (!(skip_function_words && is_lone_function_word(c))) parts.push_back(build(c, strict));
        }
        if (parts.size() >= 2) has_group = true;
        Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());
        if (parts.empty()) return filter;
        Xapian::Query words(strict ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, parts.begin(), parts.end());
        return filters.empty() ? words : Xapian::Query(Xapian::Query::OP_FILTER, words, filter);
    }

    Xapian::Query words(const Node& n, bool strict) {
        const std::string prefix = field_prefix(n.field);
        if (n.stemmed_phrase) return stemmed_phrase(n, prefix);
        // Ranking by some of the words: a hyphenated word counts by each part and by its
        // joined form, all stemmed, instead of as a strict phrase ("sexually-experienced"
        // also credits "sexually experienced" and "experienced sexually"). SciFact train:
        // nDCG@10 0.6800 -> 0.6865, R@100 0.9252 -> 0.9295.
        if (!strict && !n.quoted && n.tokens.size() > 1) {
            std::vector<Xapian::Query> parts;
            for (const analysis::Token& t : n.tokens) {
                parts.emplace_back(t.stem.empty() ? prefix + t.term : std::string(index::prefix::stem) + prefix + t.stem);
                if (n.transliterate && n.field == Field::Body)
                    if (auto keys = key_query(t); !keys.empty()) parts.push_back(std::move(keys));
            }
            return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
        }
        const auto variants = phrase_variants(n);
        std::vector<Xapian::Query> alternatives;
        for (const auto& terms : variants) {
            // A single word ranks by its stem, as Xapian's STEM_SOME does outside phrases.
            if (const auto* token = stemmed_token(n, terms)) {
                alternatives.emplace_back(std::string(index::prefix::stem) + prefix + token->stem);
                if (n.transliterate && n.field == Field::Body)
                    if (auto keys = key_query(*token); !keys.empty()) alternatives.push_back(std::move(keys));
                continue;
            }
            alternatives.push_back(weighed(phrase(terms, prefix), terms, prefix));
            if (n.transliterate && n.field == Field::Body)
                if (auto keys = terms.size() == 1 ? single_key_query(n, terms.front()) : key_phrase(n, terms); !keys.empty())
                    alternatives.push_back(std::move(keys));
        }
        if (alternatives.size() == 1) return alternatives.front();
        return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }

    // Xapian holds stems without positions: the passages with every word's stem, the sequence
    // confirmed against the text (evidence::MatchFinder) as NEAR over phrases is.
    Xapian::Query stemmed_phrase(const Node& n, const std::string& prefix) {
        std::vector<Xapian::Query> words;
        for (const analysis::Token& t : n.tokens)
            if (t.kind != analysis::TokenKind::Compound)
                words.emplace_back(t.stem.empty() ? prefix + t.term : std::string(index::prefix::stem) + prefix + t.stem);
        if (words.size() > 1) needs_verification = true;
        return Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
    }

    // A cased term (index::prefix::cased) has no wdf, so no weight: the match is weighed by
    // its words' folded forms too, which never widen it (OP_AND_MAYBE).
    static Xapian::Query weighed(Xapian::Query match, const std::vector<std::string>& terms, const std::string& prefix) {
        std::vector<Xapian::Query> folded;
        for (const std::string& t : terms)
            if (t.starts_with(index::prefix::cased))
                folded.emplace_back(prefix + analysis::fold_letters(std::string_view(t).substr(index::prefix::cased.size())));
        if (folded.empty()) return match;
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, match,
                             Xapian::Query(Xapian::Query::OP_OR, folded.begin(), folded.end()));
    }

    Xapian::Query near(const Node& n, bool strict) {
        std::vector<std::string> terms;
        for (const Node& c : n.children) {
            if (c.kind != NodeKind::Words) break;
            const auto variants = phrase_variants(c);
            if (variants.size() != 1 || variants.front().size() != 1) break;
            terms.push_back(field_prefix(c.field) + variants.front().front());
        }
        if (terms.size() == n.children.size()) {
            Xapian::Query exact(Xapian::Query::OP_NEAR, terms.begin(), terms.end(), near_window(n));
            if (n.children.empty() || !n.children.front().transliterate || n.children.front().field != Field::Body)
                return exact;
            // Across scripts: each word as itself or by its keys, within the same window.
            std::vector<Xapian::Query> positions;
            for (const Node& c : n.children) positions.push_back(term_or_keys(c.tokens.front().term, c.tokens));
            Xapian::Query keyed(Xapian::Query::OP_NEAR, positions.begin(), positions.end(), near_window(n));
            return Xapian::Query(Xapian::Query::OP_OR, exact, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, keyed, key_weight));
        }
        // Xapian's NEAR takes single terms only; over phrases or groups, find passages with
        // all parts and confirm the distance against the parsed query.
        needs_verification = true;
        return combine(Xapian::Query::OP_AND, n.children, strict);
    }

    // A match through a transliteration key weighs less than the word itself, so that
    // passages in the query's own script rank first.
    static constexpr double key_weight = 0.5;

    // The token's keys (analysis/transliteration.hpp), ORed and down-weighted; empty if none.
    static Xapian::Query key_query(const analysis::Token& t) {
        const auto keys = analysis::transliteration_keys(t.term, t.stem);
        if (keys.empty()) return {};
        std::vector<Xapian::Query> terms;
        for (const std::string& key : keys) terms.emplace_back(std::string(index::prefix::transliteration) + key);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                             key_weight);
    }

    // A one-word variant's keys: those of the token it came from.
    static Xapian::Query single_key_query(const Node& n, const std::string& term) {
        for (const analysis::Token& t : n.tokens)
            if (t.term == term) return key_query(t);
        return {};
    }

    // One phrase position: the exact term, or any key of the token it came from.
    static Xapian::Query term_or_keys(const std::string& term, const std::vector<analysis::Token>& tokens) {
        std::vector<Xapian::Query> alternatives{Xapian::Query(term)};
        for (const analysis::Token& t : tokens) {
            if (t.term != term) continue;
            for (const std::string& key : analysis::transliteration_keys(t.term, t.stem))
                alternatives.emplace_back(std::string(index::prefix::transliteration) + key);
            break;
        }
        return alternatives.size() == 1 ? alternatives.front()
                                        : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }

    // The phrase `terms` with each word matched as itself or through its keys; empty when no
    // word has a key (the exact phrase says it all).
    static Xapian::Query key_phrase(const Node& n, const std::vector<std::string>& terms) {
        if (terms.size() < 2) return {};
        std::vector<Xapian::Query> positions;
        bool keyed = false;
        for (const std::string& term : terms) {
            positions.push_back(term_or_keys(term, n.tokens));
            keyed = keyed || positions.back().get_type() == Xapian::Query::OP_OR;
        }
        if (!keyed) return {};
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                             Xapian::Query(Xapian::Query::OP_PHRASE, positions.begin(), positions.end(),
                                           static_cast<Xapian::termcount>(positions.size())),
                             key_weight);
    }

    // A point value by its term; a range by its unit, the values checked against the text.
    Xapian::Query quantity(const Node& n) {
        const analysis::Quantity& q = n.quantity;
        if (q.value_to) {
            needs_verification = true;
            if (q.unit.empty()) return Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(index::prefix::quantity_unit));
            return Xapian::Query(index::quantity_unit_term(q.unit));
        }
        return Xapian::Query(q.unit.empty() ? index::quantity_value_term(q.value) : index::quantity_term(q.unit, q.value));
    }

    Xapian::Query file_filter(const Node& n) {
        std::vector<Xapian::Query> sources;
        const std::string prefix(index::prefix::source);
        for (auto it = m_db.allterms_begin(prefix); it != m_db.allterms_end(prefix); ++it) {
            const std::string term = *it;
            if (file_pattern_matches(n.pattern, std::string_view(term).substr(prefix.size())))
                sources.emplace_back(term);
        }
        if (sources.empty()) return Xapian::Query::MatchNothing;
        // Boolean: a filter adds nothing to the score.
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                             Xapian::Query(Xapian::Query::OP_OR, sources.begin(), sources.end()), 0.0);
    }

    const Xapian::Database& m_db;
};

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Classic '*' wildcard match, case-insensitive for ASCII.
bool wildcard_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] != '*' && lower(pattern[p]) == lower(text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace

// A node that only restricts which passages match: a file: filter, or filters combined
// (`(file:003 OR file:004)`). In a group it filters the group rather than being one of
// "some of the words", which made every passage of those files a match.
bool is_filter(const Node& n) {
    switch (n.kind) {
    case NodeKind::FileFilter:
    case NodeKind::LanguageFilter:
    case NodeKind::DateFilter: return true;
    case NodeKind::And:
    case NodeKind::Or:
    case NodeKind::Group:
    case NodeKind::AndNot:
        return !n.children.empty() && std::all_of(n.children.begin(), n.children.end(), is_filter);
    default: return false;
    }
}


bool file_pattern_matches(std::string_view pattern, std::string_view source) {
    return wildcard_match("*" + std::string(pattern) + "*", source);
}

std::vector<std::vector<std::string>> phrase_variants(const Node& words) {
    // The plain sequence, and the hyphenated words that can be replaced by their joined form.
    struct Part {
        std::string term;
        std::size_t begin;  // byte offsets, to find which parts a compound covers
        std::size_t end;
    };
    struct Compound {
        std::size_t first, last;  // indexes into parts
        std::string joined;
    };
    std::vector<Part> parts;
    std::vector<Compound> compounds;
    for (const analysis::Token& t : words.tokens) {
        if (t.kind != analysis::TokenKind::Compound) {
            parts.push_back({t.term, t.bytes.begin, t.bytes.end});
            continue;
        }
        Compound c{parts.size(), parts.size(), t.term};
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].begin >= t.bytes.begin && parts[i].end <= t.bytes.end) {
                c.first = std::min(c.first, i);
                c.last = i;
            }
        }
        if (c.first < parts.size() && compounds.size() < 4) compounds.push_back(c);
    }
    std::vector<std::vector<std::string>> variants;
    for (unsigned mask = 0; mask < (1U << compounds.size()); ++mask) {
        std::vector<std::string> seq;
        for (std::size_t i = 0; i < parts.size();) {
            bool replaced = false;
            for (std::size_t k = 0; k < compounds.size(); ++k) {
                if ((mask & (1U << k)) != 0 && compounds[k].first == i) {
                    seq.push_back(compounds[k].joined);
                    i = compounds[k].last + 1;
                    replaced = true;
                    break;
                }
            }
            if (!replaced) seq.push_back(parts[i++].term);
        }
        variants.push_back(std::move(seq));
    }
    return variants;
}

bool token_has_term(const analysis::Token& token, std::string_view term) {
    if (token.term == term) return true;
    return !token.cased.empty() && term.starts_with(index::prefix::cased) &&
           term.substr(index::prefix::cased.size()) == token.cased;
}

const analysis::Token* stemmed_token(const Node& words, const std::vector<std::string>& variant) {
    if (words.quoted || variant.size() != 1) return nullptr;
    for (const analysis::Token& t : words.tokens)
        if (t.term == variant.front() && !t.stem.empty()) return &t;
    return nullptr;
}

Xapian::termcount near_window(const Node& node) {
    Xapian::termcount words = 0;
    for (const Node& c : node.children) {
        std::size_t longest = 1;
        if (c.kind == NodeKind::Words)
            for (const auto& v : phrase_variants(c)) longest = std::max(longest, v.size());
        words += static_cast<Xapian::termcount>(longest);
    }
    return words + node.window;
}

namespace {

void add_word(const analysis::Token& t, std::vector<ContentWord>& out) {
    if (t.kind == analysis::TokenKind::Compound) return;  // its parts are there
    if (std::none_of(out.begin(), out.end(),
                     [&](const ContentWord& w) { return w.stem == t.stem && (!w.stem.empty() || w.term == t.term); }))
        out.push_back({t.term, t.stem});
}

// The body words that count for a passage (not excluded ones), one per stem, or per term for
// words not stemmed ("hnf4a", "14"). `all` gets every one (the title boost); `content` only the
// plain words every passage should hold: not quoted, not one of the alternatives of an OR or
// an alias group ("Middle Corridor" OR "Trans-Caspian International Transport Route": a
// passage holding a share of those words holds nothing less for it).
void collect_body_words(const Node& n, bool alternative, std::vector<ContentWord>& all,
                        std::vector<ContentWord>& content) {
    if (n.kind == NodeKind::Words && n.field == Field::Body) {
        const bool plain = !alternative && !n.quoted && n.alias.empty();
        for (const analysis::Token& t : n.tokens) {
            add_word(t, all);
            if (plain) add_word(t, content);
        }
        return;
    }
    if (n.kind == NodeKind::AndNot) {
        collect_body_words(n.children[0], alternative, all, content);
        return;
    }
    for (const Node& c : n.children) collect_body_words(c, alternative || n.kind == NodeKind::Or, all, content);
}

}  // namespace

CompiledQuery build_query(const Node& root, const Xapian::Database& db) {
    Builder builder(db);
    CompiledQuery out;
    out.all = builder.build(root, true);
    out.any = out.all;
    if (builder.has_group) {
        Builder loose(db);
        out.any = loose.build(root, false);
        out.some = Xapian::Query(Xapian::Query::OP_AND_NOT, out.any, out.all);
    }
    out.needs_verification = builder.needs_verification;
    std::vector<ContentWord> body_words;
    collect_body_words(root, false, body_words, out.content_words);
    std::vector<Xapian::Query> title_terms;
    for (const ContentWord& w : body_words)
        if (!w.stem.empty() && !analysis::is_function_word(w.term))
            title_terms.emplace_back(std::string(index::prefix::stem) + std::string(index::prefix::title) + w.stem);
    if (!title_terms.empty()) out.title_boost = Xapian::Query(Xapian::Query::OP_OR, title_terms.begin(), title_terms.end());
    return out;
}

}  // namespace cite::query
