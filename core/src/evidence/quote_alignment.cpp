#include "cite/evidence/quote_alignment.hpp"

#include "cite/evidence/quote_check.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/utf8.hpp"

#include <algorithm>
#include <array>

namespace cite::evidence {
namespace {

using analysis::ByteRange;

std::string_view slice(std::string_view text, ByteRange r) { return text.substr(r.begin, r.size()); }

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

constexpr std::array apostrophes = {"\u2019", "\u2018", "\u02BC", "\uFF07"};
constexpr std::array double_quotes = {"\u201C", "\u201D", "\u201E", "\u00AB", "\u00BB"};
constexpr std::array dashes = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"};
constexpr std::string_view soft_hyphen = "\u00AD";

std::string without_soft_hyphens(std::string_view s) {
    std::string out(s);
    replace_all(out, soft_hyphen, "");
    return out;
}

std::string plain_apostrophes(std::string_view s) {
    std::string out(s);
    for (const char* a : apostrophes) replace_all(out, a, "'");
    return out;
}

std::string plain_quotes(std::string_view s) {
    std::string out(s);
    for (const char* q : double_quotes) replace_all(out, q, "\"");
    return out;
}

std::string plain_dashes(std::string_view s) {
    std::string out(s);
    for (const char* d : dashes) replace_all(out, d, "-");
    return out;
}

// Every run of white space (NBSP, line breaks...) as one space.
std::string plain_spaces(std::string_view s) {
    std::string out;
    std::size_t len = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (analysis::is_space_at(s, i, len)) {
            if (out.empty() || out.back() != ' ') out += ' ';
            i += len;
        } else {
            out += s[i++];
        }
    }
    return out;
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// "274,200" as "274200": commas between digits dropped, as the analyzer drops them.
std::string without_digit_grouping(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool grouping = s[i] == ',' && i > 0 && i + 1 < s.size() && is_ascii_digit(s[i - 1]) && is_ascii_digit(s[i + 1]);
        if (!grouping) out += s[i];
    }
    return out;
}

// A word as typography leaves it: apostrophes, dashes, soft hyphens, digit grouping, letter
// case and diacritics undone. Two words with the same analyzer term but different folds differ
// in wording, not typography: the analyzer also drops a possessive ("country" / "country’s"),
// reads "%" as "percent" and spells out Greek letters, none of which a quote may change.
std::string typographic_fold(std::string_view word) {
    return analysis::fold_letters(without_digit_grouping(without_soft_hyphens(plain_dashes(plain_apostrophes(word)))));
}

// Why two spellings of the same word differ: every kind that applies, e.g. "apostrophe, case"
// for kazakhstan's / Kazakhstan’s.
std::string word_difference(std::string_view quoted, std::string_view source) {
    std::string q(quoted), s(source), kinds;
    auto note = [&](const char* kind) { kinds += kinds.empty() ? kind : std::string(", ") + kind; };
    for (auto [kind, plain] : {std::pair{"soft hyphen", &without_soft_hyphens}, std::pair{"apostrophe", &plain_apostrophes},
                               std::pair{"dash", &plain_dashes}, std::pair{"digit grouping", &without_digit_grouping}}) {
        std::string q2 = plain(q), s2 = plain(s);
        if (q2 != q || s2 != s) {
            if (q != s) note(kind);
            q = std::move(q2);
            s = std::move(s2);
        }
    }
    if (q != s) note(analysis::equal_ignoring_case(q, s) ? "case" : q.size() != s.size() ? "diacritics" : "character form");
    return kinds;
}

// Why the stretches between two words differ (both may be empty, spaces or punctuation).
std::string gap_difference(std::string_view quoted, std::string_view source) {
    const std::string q = plain_spaces(quoted);
    const std::string s = plain_spaces(source);
    if (q == s) return source.find('\n') != std::string_view::npos ? "line break" : "space";
    if (plain_quotes(q) == plain_quotes(s)) return "quotation mark";
    if (plain_apostrophes(q) == plain_apostrophes(s)) return "apostrophe";
    if (plain_dashes(q) == plain_dashes(s)) return "dash";
    if (without_soft_hyphens(q) == without_soft_hyphens(s)) return "soft hyphen";
    return "punctuation";
}

bool same_word(std::string_view quote_text, const Word& q, std::string_view source_text, const Word& s,
               bool case_sensitive) {
    if (q.term != s.term) return false;
    if (slice(quote_text, q.bytes) != slice(source_text, s.bytes) &&
        typographic_fold(slice(quote_text, q.bytes)) != typographic_fold(slice(source_text, s.bytes)))
        return false;
    return !case_sensitive || analysis::same_letter_case(slice(quote_text, q.bytes), slice(source_text, s.bytes));
}

}  // namespace

std::vector<Word> words_of(const std::vector<analysis::Token>& tokens) {
    std::vector<Word> out;
    for (const analysis::Token& t : tokens)
        if (t.kind != analysis::TokenKind::Compound) out.push_back({t.term, t.bytes, t.kind});
    return out;
}

std::vector<std::size_t> find_word_runs(std::string_view quote_text, const std::vector<Word>& quote,
                                        std::string_view source_text, const std::vector<Word>& source,
                                        bool case_sensitive, std::size_t from) {
    std::vector<std::size_t> out;
    if (quote.empty() || source.size() < quote.size()) return out;
    for (std::size_t i = from; i + quote.size() <= source.size(); ++i) {
        bool all = true;
        for (std::size_t k = 0; k < quote.size() && all; ++k)
            all = same_word(quote_text, quote[k], source_text, source[i + k], case_sensitive);
        if (all) out.push_back(i);
    }
    return out;
}

std::vector<Difference> typographic_differences(std::string_view quote_text, const std::vector<Word>& quote,
                                                std::string_view source_text, const std::vector<Word>& source,
                                                std::size_t first) {
    std::vector<Difference> out;
    for (std::size_t k = 0; k < quote.size(); ++k) {
        const Word& q = quote[k];
        const Word& s = source[first + k];
        if (k > 0) {
            const ByteRange qgap{quote[k - 1].bytes.end, q.bytes.begin};
            const ByteRange sgap{source[first + k - 1].bytes.end, s.bytes.begin};
            if (slice(quote_text, qgap) != slice(source_text, sgap))
                out.push_back({gap_difference(slice(quote_text, qgap), slice(source_text, sgap)),
                               std::string(slice(quote_text, qgap)), std::string(slice(source_text, sgap)), sgap});
        }
        if (slice(quote_text, q.bytes) != slice(source_text, s.bytes))
            out.push_back({word_difference(slice(quote_text, q.bytes), slice(source_text, s.bytes)),
                           std::string(slice(quote_text, q.bytes)), std::string(slice(source_text, s.bytes)), s.bytes});
    }
    return out;
}

const char* to_string(QuoteVerdict verdict) {
    switch (verdict) {
    case QuoteVerdict::Exact: return "exact";
    case QuoteVerdict::Typographic: return "typographic";
    case QuoteVerdict::Altered: return "altered";
    case QuoteVerdict::NotFound: return "not found";
    }
    return "not found";
}

const char* to_string(DiffOp::Kind kind) {
    switch (kind) {
    case DiffOp::Kind::Equal: return "equal";
    case DiffOp::Kind::Replace: return "replace";
    case DiffOp::Kind::Delete: return "delete";
    case DiffOp::Kind::Insert: return "insert";
    }
    return "equal";
}

Alignment align_words(std::string_view quote_text, const std::vector<Word>& quote, std::string_view source_text,
                      const std::vector<Word>& source, bool case_sensitive) {
    Alignment best;
    const std::size_t m = quote.size();
    const std::size_t n = source.size();
    if (m == 0 || n == 0) return best;
    // Semi-global alignment (match +2, mismatch -1, gap -1): free start and end in the source.
    constexpr int match = 2, mismatch = -1, gap = -1;
    std::vector<int> score((m + 1) * (n + 1), 0);
    enum Step : unsigned char { Diagonal, Up, Left };
    std::vector<unsigned char> step((m + 1) * (n + 1), Diagonal);
    auto at = [n](std::size_t i, std::size_t j) { return i * (n + 1) + j; };
    for (std::size_t i = 1; i <= m; ++i) {
        score[at(i, 0)] = static_cast<int>(i) * gap;
        step[at(i, 0)] = Up;
    }
    for (std::size_t i = 1; i <= m; ++i) {
        for (std::size_t j = 1; j <= n; ++j) {
            const bool eq = same_word(quote_text, quote[i - 1], source_text, source[j - 1], case_sensitive);
            int s = score[at(i - 1, j - 1)] + (eq ? match : mismatch);
            unsigned char st = Diagonal;
            if (score[at(i - 1, j)] + gap > s) {
                s = score[at(i - 1, j)] + gap;
                st = Up;
            }
            if (score[at(i, j - 1)] + gap > s) {
                s = score[at(i, j - 1)] + gap;
                st = Left;
            }
            score[at(i, j)] = s;
            step[at(i, j)] = st;
        }
    }
    // The right-most best end: on a tie a changed last word ("by 2030" vs "by 2027") aligns
    // as a replacement rather than as a word dropped from the quote.
    std::size_t end = 1;
    for (std::size_t j = 1; j <= n; ++j)
        if (score[at(m, j)] >= score[at(m, end)]) end = j;

    // Trace back into (quote index or none, source index or none) pairs, then merge runs.
    struct Pair {
        long q;
        long s;
        bool equal;
    };
    std::vector<Pair> pairs;
    std::size_t i = m, j = end;
    while (i > 0) {
        const unsigned char st = step[at(i, j)];
        if (j > 0 && st == Diagonal) {
            const bool eq = same_word(quote_text, quote[i - 1], source_text, source[j - 1], case_sensitive);
            pairs.push_back({static_cast<long>(i - 1), static_cast<long>(j - 1), eq});
            --i;
            --j;
        } else if (j == 0 || st == Up) {
            pairs.push_back({static_cast<long>(i - 1), -1, false});
            --i;
        } else {
            pairs.push_back({-1, static_cast<long>(j - 1), false});
            --j;
        }
    }
    std::reverse(pairs.begin(), pairs.end());
    // Source words skipped at the very start of the window belong to no op.
    while (!pairs.empty() && pairs.front().q < 0) pairs.erase(pairs.begin());

    std::size_t equal_words = 0;
    long first_source = -1, last_source = -1;
    for (std::size_t k = 0; k < pairs.size();) {
        const bool eq = pairs[k].equal;
        std::size_t e = k;
        while (e < pairs.size() && pairs[e].equal == eq) ++e;
        DiffOp op;
        long qa = -1, qb = -1, sa = -1, sb = -1;
        for (std::size_t p = k; p < e; ++p) {
            if (pairs[p].q >= 0) {
                if (qa < 0) qa = pairs[p].q;
                qb = pairs[p].q;
                if (quote[static_cast<std::size_t>(pairs[p].q)].kind == analysis::TokenKind::Number) op.number_changed = !eq;
            }
            if (pairs[p].s >= 0) {
                if (sa < 0) sa = pairs[p].s;
                sb = pairs[p].s;
                if (source[static_cast<std::size_t>(pairs[p].s)].kind == analysis::TokenKind::Number) op.number_changed = !eq;
            }
        }
        if (qa >= 0) {
            op.quoted_bytes = {quote[static_cast<std::size_t>(qa)].bytes.begin, quote[static_cast<std::size_t>(qb)].bytes.end};
            op.quoted = std::string(slice(quote_text, op.quoted_bytes));
        }
        if (sa >= 0) {
            op.source_bytes = {source[static_cast<std::size_t>(sa)].bytes.begin, source[static_cast<std::size_t>(sb)].bytes.end};
            op.source = std::string(slice(source_text, op.source_bytes));
            if (first_source < 0) first_source = sa;
            last_source = sb;
        }
        if (eq) {
            op.kind = DiffOp::Kind::Equal;
            equal_words += e - k;
        } else {
            op.kind = qa >= 0 && sa >= 0 ? DiffOp::Kind::Replace : qa >= 0 ? DiffOp::Kind::Delete : DiffOp::Kind::Insert;
        }
        best.ops.push_back(std::move(op));
        k = e;
    }
    if (first_source >= 0) {
        best.first = static_cast<std::size_t>(first_source);
        best.last = static_cast<std::size_t>(last_source);
        const double window = static_cast<double>(best.last - best.first + 1);
        best.similarity = 2.0 * static_cast<double>(equal_words) / (static_cast<double>(m) + window);
        best.coverage = static_cast<double>(equal_words) / static_cast<double>(m);
    }
    return best;
}

}  // namespace cite::evidence
