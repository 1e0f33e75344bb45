#include "cite/query/query_parser.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/dates.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace cite::query {
namespace {

enum class Lex { Word, Phrase, LParen, RParen, And, Or, Not, Near, Minus, FieldName, End };

// Terms over Analyzer::max_term_bytes are not indexed, so a query of one such word has nothing.
const std::string nothing_searchable =
    "nothing searchable in the query (only punctuation, or words over " +
    std::to_string(analysis::Analyzer::max_term_bytes) + " bytes, which are not indexed)";

struct Lexeme {
    Lex kind;
    std::size_t position;
    std::string text;     // Word, Phrase: content; FieldName: the name
    unsigned window = 0;  // Near
};

// Opening and closing quotation marks that delimit phrases: " “ ” „ « ».
std::size_t quote_length(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    for (std::string_view q : {"\u201C", "\u201D", "\u201E", "\u00AB", "\u00BB"})
        if (s.substr(i).starts_with(q)) return q.size();
    return 0;
}

bool is_space(std::string_view s, std::size_t i, std::size_t& len) { return analysis::is_space_at(s, i, len); }

const char* lex_name(Lex kind) {
    switch (kind) {
    case Lex::And: return "AND";
    case Lex::Or: return "OR";
    case Lex::Not: return "NOT";
    case Lex::Near: return "NEAR";
    default: return "operator";
    }
}

// Regression #7: Xapian 1.4 takes time quadratic in the number of terms ORed together
// (20,000 words took minutes), so a query holds at most this many words, as Lucene's
// default clause limit. Called as each word or phrase is analysed.
constexpr std::size_t max_query_words = 1024;

void count_words(std::size_t& count, const Node& words) {
    count += words.tokens.size();
    if (count > max_query_words)
        throw QueryError("too many words in the query (at most " + std::to_string(max_query_words) + ")",
                         words.position);
}

std::optional<Field> field_named(std::string_view name) {
    if (name == "title") return Field::Title;
    if (name == "author") return Field::Author;
    if (name == "publisher") return Field::Publisher;
    return std::nullopt;
}

// The operator that makes what follows case-sensitive, written like a field.
constexpr std::string_view case_operator = "case";

class Lexer {
  public:
    explicit Lexer(std::string_view text) : m_text(text) {}

    std::vector<Lexeme> run() {
        std::vector<Lexeme> out;
        std::size_t i = 0;
        std::size_t len = 0;
        while (i < m_text.size()) {
            if (is_space(m_text, i, len)) {
                i += len;
                continue;
            }
            const char c = m_text[i];
            if (c == '(' || c == ')') {
                out.push_back({c == '(' ? Lex::LParen : Lex::RParen, i, {}});
                ++i;
            } else if (const std::size_t q = quote_length(m_text, i); q > 0) {
                i = read_phrase(i, q, out);
            } else if (c == '-' && i + 1 < m_text.size() && !is_space(m_text, i + 1, len)) {
                // At the start of a word only: "multi-vector" is read whole by read_word.
                out.push_back({Lex::Minus, i, {}});
                ++i;
            } else {
                i = read_word(i, out);
            }
            check_nesting(out.back());
        }
        out.push_back({Lex::End, m_text.size(), {}});
        return out;
    }

  private:
    // Regression #7: "((((...x" 10,000 deep overflowed the stack. The tree is walked
    // recursively (parser, builder, evidence, destructors), and it nests once per '(' and
    // once per NOT, '-' or NEAR, so both are bounded far beyond any real query.
    static constexpr std::size_t max_paren_depth = 100;
    static constexpr std::size_t max_nesting_operators = 1000;

    void check_nesting(const Lexeme& lex) {
        if (lex.kind == Lex::LParen && ++m_depth > max_paren_depth)
            throw QueryError("parentheses nested more than " + std::to_string(max_paren_depth) + " deep", lex.position);
        if (lex.kind == Lex::RParen && m_depth > 0) --m_depth;
        if ((lex.kind == Lex::Not || lex.kind == Lex::Minus || lex.kind == Lex::Near) &&
            ++m_nesting_operators > max_nesting_operators)
            throw QueryError("more than " + std::to_string(max_nesting_operators) + " NOT, '-' and NEAR operators",
                             lex.position);
    }

    std::size_t m_depth = 0;
    std::size_t m_nesting_operators = 0;

    std::size_t read_phrase(std::size_t start, std::size_t open_len, std::vector<Lexeme>& out) {
        std::size_t i = start + open_len;
        while (i < m_text.size()) {
            if (const std::size_t q = quote_length(m_text, i); q > 0) {
                out.push_back({Lex::Phrase, start, std::string(m_text.substr(start + open_len, i - start - open_len))});
                return i + q;
            }
            ++i;
        }
        throw QueryError("unterminated quote (no closing quotation mark)", start);
    }

    std::size_t read_word(std::size_t start, std::vector<Lexeme>& out) {
        std::size_t i = start;
        std::size_t len = 0;
        while (i < m_text.size() && m_text[i] != '(' && m_text[i] != ')' && quote_length(m_text, i) == 0 &&
               !is_space(m_text, i, len))
            ++i;
        const std::string_view word = m_text.substr(start, i - start);
        if (word == "AND") out.push_back({Lex::And, start, {}});
        else if (word == "OR") out.push_back({Lex::Or, start, {}});
        else if (word == "NOT") out.push_back({Lex::Not, start, {}});
        else if (word == "NEAR") out.push_back({Lex::Near, start, {}, default_near_window});
        else if (word.starts_with("NEAR/")) out.push_back({Lex::Near, start, {}, parse_window(word, start)});
        else if (const auto colon = word.find(':'); colon != std::string_view::npos && is_field(word.substr(0, colon))) {
            out.push_back({Lex::FieldName, start, std::string(word.substr(0, colon))});
            if (colon + 1 < word.size())
                out.push_back({Lex::Word, start + colon + 1, std::string(word.substr(colon + 1))});
        } else {
            out.push_back({Lex::Word, start, std::string(word)});
        }
        return i;
    }

    static bool is_field(std::string_view name) {
        return name == "file" || name == "lang" || name == "date" || name == case_operator || field_named(name).has_value();
    }

    static unsigned parse_window(std::string_view word, std::size_t start) {
        const std::string_view digits = word.substr(5);
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
            throw QueryError("NEAR/n needs a whole number of words, e.g. NEAR/5", start);
        if (value > max_near_window)
            throw QueryError("NEAR/n allows at most " + std::to_string(max_near_window) + " words", start);
        return value;
    }

    std::string_view m_text;
};

class Parser {
  public:
    Parser(std::vector<Lexeme> lexemes, analysis::Analyzer& analyzer)
        : m_lex(std::move(lexemes)), m_analyzer(analyzer) {}

    Node parse() {
        Node root = parse_or();
        if (peek().kind == Lex::RParen) throw QueryError("unexpected ')' with no '(' before it", peek().position);
        return root;
    }

  private:
    const Lexeme& peek() const { return m_lex[m_next]; }
    const Lexeme& take() { return m_lex[m_next++]; }

    static bool starts_operand(Lex kind) {
        return kind == Lex::Word || kind == Lex::Phrase || kind == Lex::LParen || kind == Lex::FieldName;
    }

    void expect_operand_after(const Lexeme& op) const {
        if (!starts_operand(peek().kind))
            throw QueryError(std::string(lex_name(op.kind)) + " needs a word, phrase or group after it", op.position);
    }

    static Node combine(NodeKind kind, Node left, Node right, std::size_t position) {
        if (left.kind == kind && kind != NodeKind::AndNot) {
            left.children.push_back(std::move(right));
            return left;
        }
        Node n;
        n.kind = kind;
        n.position = position;
        n.children.push_back(std::move(left));
        n.children.push_back(std::move(right));
        return n;
    }

    Node parse_or() {
        Node left = parse_group();
        while (peek().kind == Lex::Or) {
            const Lexeme& op = take();
            expect_operand_after(op);
            const std::size_t position = left.position;
            left = combine(NodeKind::Or, std::move(left), parse_group(), position);
        }
        return left;
    }

    // Side-by-side items: a Group, minus any -excluded items.
    Node parse_group() {
        std::vector<Node> items;
        std::vector<Node> excluded;
        const std::size_t start = peek().position;
        while (true) {
            const Lexeme& next = peek();
            if (next.kind == Lex::Or || next.kind == Lex::RParen || next.kind == Lex::End) break;
            if (next.kind == Lex::Minus) {
                const Lexeme& minus = take();
                if (!starts_operand(peek().kind))
                    throw QueryError("'-' needs a word, phrase or group after it", minus.position);
                excluded.push_back(parse_near());
                continue;
            }
            if (!starts_operand(next.kind))
                throw QueryError(std::string(lex_name(next.kind)) + " needs a word, phrase or group before it",
                                 next.position);
            items.push_back(parse_and());
        }
        if (items.empty()) {
            if (!excluded.empty())
                throw QueryError("nothing to search for: only excluded words", excluded.front().position);
            // Name what is wrong where it is: a '(' left open, a ')' or an operator out of place.
            if (peek().kind == Lex::End && !m_open_parens.empty())
                throw QueryError("missing ')' for this '('", m_open_parens.back());
            if (peek().kind == Lex::RParen) throw QueryError("unexpected ')'", peek().position);
            if (peek().kind != Lex::End)
                throw QueryError(std::string(lex_name(peek().kind)) + " needs a word, phrase or group before it",
                                 peek().position);
            throw QueryError("empty query", peek().position);
        }
        Node node;
        if (items.size() == 1) {
            node = std::move(items.front());
        } else {
            node.kind = NodeKind::Group;
            node.position = start;
            node.children = std::move(items);
        }
        for (Node& ex : excluded) node = combine(NodeKind::AndNot, std::move(node), std::move(ex), start);
        return node;
    }

    Node parse_and() {
        Node left = parse_near();
        while (peek().kind == Lex::And || peek().kind == Lex::Not) {
            const Lexeme& op = take();
            expect_operand_after(op);
            const NodeKind kind = op.kind == Lex::And ? NodeKind::And : NodeKind::AndNot;
            const std::size_t position = left.position;
            left = combine(kind, std::move(left), parse_near(), position);
        }
        return left;
    }

    Node parse_near() {
        Node left = parse_primary();
        while (peek().kind == Lex::Near) {
            const Lexeme& op = take();
            expect_operand_after(op);
            Node right = parse_primary();
            if (left.kind == NodeKind::Near && left.window == op.window) {
                left.children.push_back(std::move(right));
            } else {
                Node n;
                n.kind = NodeKind::Near;
                n.position = left.position;
                n.window = op.window;
                n.children.push_back(std::move(left));
                n.children.push_back(std::move(right));
                left = std::move(n);
            }
        }
        return left;
    }

    Node parse_primary() {
        const Lexeme& lex = take();
        switch (lex.kind) {
        case Lex::LParen: {
            if (peek().kind == Lex::RParen) throw QueryError("empty parentheses", lex.position);
            m_open_parens.push_back(lex.position);
            Node inner = parse_or();
            if (peek().kind != Lex::RParen) throw QueryError("missing ')' for this '('", lex.position);
            take();
            m_open_parens.pop_back();
            return inner;
        }
        case Lex::Word:
        case Lex::Phrase: return words(lex, Field::Body);
        case Lex::FieldName: return field(lex);
        case Lex::RParen: throw QueryError("unexpected ')'", lex.position);
        case Lex::End: throw QueryError("the query ends where a word was expected", lex.position);
        default:
            throw QueryError(std::string(lex_name(lex.kind)) + " needs a word, phrase or group before it",
                             lex.position);
        }
    }

    Node field(const Lexeme& name) {
        const Lexeme& value = peek();
        if (name.text == "file") {
            if (value.kind != Lex::Word && value.kind != Lex::Phrase)
                throw QueryError("file: needs a file name or pattern, e.g. file:003", name.position);
            take();
            Node n;
            n.kind = NodeKind::FileFilter;
            n.position = name.position;
            n.pattern = value.text;
            return n;
        }
        if (name.text == "lang") {
            if (value.kind != Lex::Word)
                throw QueryError("lang: needs a language code, e.g. lang:ru", name.position);
            take();
            Node n;
            n.kind = NodeKind::LanguageFilter;
            n.position = name.position;
            for (const char c : value.text) n.pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return n;
        }
        if (name.text == "date") {
            if (value.kind != Lex::Word)
                throw QueryError("date: needs a date or a range, e.g. date:2024 or date:2023-01..2024-06", name.position);
            take();
            return date_filter(name, value);
        }
        if (!starts_operand(value.kind) || value.kind == Lex::FieldName)
            throw QueryError(name.text + ": needs a word, phrase or group after it", name.position);
        Node n = parse_primary();
        if (name.text == case_operator) set_case_sensitive(n);
        else set_field(n, *field_named(name.text));
        return n;
    }

    // date:2024, date:2023-01..2024-06, date:..2020, date:2021.. (docs/query-language.md).
    static Node date_filter(const Lexeme& name, const Lexeme& value) {
        Node n;
        n.kind = NodeKind::DateFilter;
        n.position = name.position;
        n.pattern = value.text;
        const std::string_view text = value.text;
        const auto days = [&](std::string_view date, std::size_t offset) {
            auto span = passage::day_span(date);
            if (!span)
                throw QueryError("date: '" + std::string(date) +
                                     "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-06)",
                                 value.position + offset);
            return *span;
        };
        const auto dots = text.find("..");
        if (dots == std::string_view::npos) {
            const passage::DaySpan span = days(text, 0);
            n.date_from = span.first;
            n.date_to = span.last;
            return n;
        }
        const std::string_view from = text.substr(0, dots);
        const std::string_view to = text.substr(dots + 2);
        if (from.empty() && to.empty())
            throw QueryError("date: '..' needs a date on at least one side, e.g. date:2021..", value.position);
        if (!from.empty()) n.date_from = days(from, 0).first;
        if (!to.empty()) n.date_to = days(to, dots + 2).last;
        if (!n.date_from.empty() && !n.date_to.empty() && n.date_from > n.date_to)
            throw QueryError("date: the range ends (" + std::string(to) + ") before it begins (" + std::string(from) + ")",
                             value.position + dots + 2);
        return n;
    }

    static void set_case_sensitive(Node& n) {
        if (n.kind == NodeKind::Words) n.case_sensitive = true;
        for (Node& c : n.children) set_case_sensitive(c);
    }

    static void set_field(Node& n, Field f) {
        if (n.kind == NodeKind::Words) n.field = f;
        for (Node& c : n.children) set_field(c, f);
    }

    Node words(const Lexeme& lex, Field f) {
        Node n;
        n.kind = NodeKind::Words;
        n.position = lex.position;
        n.text = lex.text;
        n.quoted = lex.kind == Lex::Phrase;
        n.field = f;
        n.tokens = m_analyzer.analyze(n.text);
        count_words(m_words, n);
        return n;
    }

    std::vector<Lexeme> m_lex;
    std::vector<std::size_t> m_open_parens;  // positions of the '(' being parsed, innermost last
    std::size_t m_next = 0;
    std::size_t m_words = 0;
    analysis::Analyzer& m_analyzer;
};

// Drops words with no searchable tokens ("!!!", "“”"); false when nothing is left of `n`.
bool prune(Node& n) {
    switch (n.kind) {
    case NodeKind::Words: return !n.tokens.empty();
    case NodeKind::FileFilter:
    case NodeKind::LanguageFilter:
    case NodeKind::DateFilter:
    case NodeKind::Quantity: return true;
    case NodeKind::AndNot: {
        if (!prune(n.children[0])) return false;
        if (!prune(n.children[1])) {
            Node keep = std::move(n.children[0]);
            n = std::move(keep);
        }
        return true;
    }
    default: {
        std::vector<Node> kept;
        for (Node& c : n.children)
            if (prune(c)) kept.push_back(std::move(c));
        if (kept.empty()) return false;
        if (kept.size() == 1) {
            Node only = std::move(kept.front());
            n = std::move(only);
        } else {
            n.children = std::move(kept);
        }
        return true;
    }
    }
}

template <typename F>
void for_each_words(Node& n, const F& f) {
    if (n.kind == NodeKind::Words) f(n);
    for (Node& c : n.children) for_each_words(c, f);
}

template <typename F>
bool any_token(const Node& n, const F& f) {
    if (n.kind == NodeKind::Words) return std::any_of(n.tokens.begin(), n.tokens.end(), f);
    return std::any_of(n.children.begin(), n.children.end(), [&](const Node& c) { return any_token(c, f); });
}

// Letters of `cased` that are capitals, and letters in all; nullopt if it holds a non-letter.
std::optional<std::pair<std::size_t, std::size_t>> capital_letters(std::string_view cased) {
    std::size_t capitals = 0;
    std::size_t letters = 0;
    const auto* bytes = reinterpret_cast<const uint8_t*>(cased.data());
    const auto length = static_cast<int32_t>(cased.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (!u_isalpha(c)) return std::nullopt;
        ++letters;
        if (u_isupper(c) || u_istitle(c)) ++capitals;
    }
    return std::pair{capitals, letters};
}

void apply_letter_case(Node& root) {
    const bool acronyms = acronym_rule_applies(root);
    for_each_words(root, [&](Node& n) { match_letter_case(n, acronyms); });
}

}  // namespace

bool is_acronym(const analysis::Token& token) {
    if (token.kind != analysis::TokenKind::Word) return false;
    const auto counts = capital_letters(token.cased);
    return counts && counts->first == counts->second && counts->second >= 2 && counts->second <= 5;
}

bool acronym_rule_applies(const Node& root) {
    return !any_token(root, [](const analysis::Token& t) {
        const auto counts = capital_letters(t.cased);
        return counts && counts->first == counts->second && counts->second >= 6;
    });
}

void match_letter_case(Node& words, bool acronyms) {
    for (analysis::Token& t : words.tokens) {
        if (t.cased.empty() || t.kind == analysis::TokenKind::Compound) continue;
        if (!words.case_sensitive && !(acronyms && is_acronym(t))) continue;
        t.term = index::cased_term(t.cased);
        t.stem.clear();
    }
}

Node parse_literal(std::string_view text, analysis::Analyzer& analyzer) {
    if (const auto bad = analysis::find_invalid_utf8(text)) throw QueryError("invalid UTF-8 in the query", *bad);
    Node group;
    group.kind = NodeKind::Group;
    std::size_t word_count = 0;
    std::size_t i = 0;
    std::size_t len = 0;
    while (i < text.size()) {
        if (is_space(text, i, len)) {
            i += len;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_space(text, i, len)) ++i;
        Node words;
        words.position = start;
        words.text = std::string(text.substr(start, i - start));
        words.tokens = analyzer.analyze(words.text);
        count_words(word_count, words);
        group.children.push_back(std::move(words));
    }
    if (!prune(group)) throw QueryError(nothing_searchable, 0);
    read_quantities(group, analyzer);
    // No query-language rule reads literal text, the acronym rule included: a pasted claim's
    // capitals are its writer's style ("DNA", "HIV" in an abstract written "Dna"), and its
    // words rank by their stems.
    return group;
}

Node parse_query(std::string_view text, analysis::Analyzer& analyzer) {
    if (const auto bad = analysis::find_invalid_utf8(text)) throw QueryError("invalid UTF-8 in the query", *bad);
    Node root = Parser(Lexer(text).run(), analyzer).parse();
    if (!prune(root)) throw QueryError(nothing_searchable, 0);
    read_quantities(root, analyzer);
    apply_letter_case(root);
    return root;
}

}  // namespace cite::query
