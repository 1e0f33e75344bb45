#include "cite/search/unmatched_words.hpp"

#include "cite/index/schema.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace cite::search {
namespace {

std::string field_prefix(query::Field f) {
    switch (f) {
    case query::Field::Title: return std::string(index::prefix::title);
    case query::Field::Author: return std::string(index::prefix::author);
    case query::Field::Publisher: return std::string(index::prefix::publisher);
    case query::Field::Body: break;
    }
    return {};
}

// Code points of valid UTF-8 (terms are): enough for an edit distance.
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? char32_t{c} : static_cast<char32_t>(c & (0x7Fu >> n));
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        out.push_back(cp);
        i += n;
    }
    return out;
}

// Optimal string alignment distance (Levenshtein plus swaps of neighbours), or limit + 1 once
// it must exceed `limit`.
std::size_t edit_distance(const std::u32string& a, const std::u32string& b, std::size_t limit) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        std::size_t row_best = current[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
            row_best = std::min(row_best, current[j]);
        }
        if (row_best > limit) return limit + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

bool is_prefixed(std::string_view term) { return !term.empty() && term.front() >= 'A' && term.front() <= 'Z'; }

void collect(const query::Node& n, const Xapian::Database& db, std::vector<UnmatchedWord>& out) {
    // An alias group stands for names the user did not all type; it matches if any does.
    if (n.alias_group) return;
    if (n.kind == query::NodeKind::Words) {
        const std::string prefix = field_prefix(n.field);
        for (const analysis::Token& t : n.tokens) {
            if (t.kind != analysis::TokenKind::Word) continue;  // figures and signs; joined forms
            const std::string term = !n.quoted && !t.stem.empty()
                                         ? std::string(index::prefix::stem) + prefix + t.stem
                                         : prefix + t.term;
            if (db.term_exists(term)) continue;
            const std::string typed = t.bytes.end <= n.text.size() ? n.text.substr(t.bytes.begin, t.bytes.size()) : t.term;
            // A case-sensitive word (its term the cased term) gets no nearest word.
            const bool cased = t.term.starts_with(index::prefix::cased);
            if (std::none_of(out.begin(), out.end(), [&](const UnmatchedWord& u) { return u.word == typed; }))
                out.push_back({typed, cased ? std::string{} : nearest_indexed_word(db, t.term, prefix)});
        }
        return;
    }
    for (const query::Node& c : n.children) collect(c, db, out);
}

}  // namespace

std::string nearest_indexed_word(const Xapian::Database& db, std::string_view term, std::string_view field_prefix) {
    const std::u32string wanted = code_points(term);
    const std::size_t limit = wanted.size() <= 4 ? 1 : 2;
    std::string best;
    std::size_t best_distance = limit + 1;
    Xapian::doccount best_freq = 0;
    const std::string prefix(field_prefix);
    auto it = db.allterms_begin(prefix);
    // Body words are unprefixed: they sort after the prefixed terms (capitals), and a word
    // starts with a letter, so numbers need not be read either.
    if (prefix.empty()) it.skip_to("a");
    for (; it != db.allterms_end(prefix); ++it) {
        const std::string indexed = *it;
        const std::string_view word = std::string_view(indexed).substr(prefix.size());
        if (word.empty() || (prefix.empty() && is_prefixed(word)) || word == term) continue;
        if (!prefix.empty() && is_prefixed(word)) continue;  // "S" + a prefixed term cannot be
        const std::size_t distance = edit_distance(wanted, code_points(word), std::min(limit, best_distance));
        if (distance > limit || distance > best_distance) continue;
        const Xapian::doccount freq = it.get_termfreq();
        if (distance < best_distance || freq > best_freq) {
            best.assign(word);
            best_distance = distance;
            best_freq = freq;
        }
    }
    return best;
}

std::vector<UnmatchedWord> unmatched_words(const query::Node& root, const Xapian::Database& db) {
    std::vector<UnmatchedWord> out;
    collect(root, db, out);
    return out;
}

}  // namespace cite::search
