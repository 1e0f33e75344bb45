#include "cite/analysis/quantity.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

namespace cite::analysis {
namespace {

const std::map<std::string, double, std::less<>> number_words = {
    {"zero", 0},     {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},
    {"five", 5},     {"six", 6},        {"seven", 7},      {"eight", 8},     {"nine", 9},
    {"ten", 10},     {"eleven", 11},    {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},    {"forty", 40},     {"fifty", 50},    {"sixty", 60},
    {"seventy", 70}, {"eighty", 80},    {"ninety", 90},    {"hundred", 100}, {"dozen", 12},
};

const std::map<std::string, double, std::less<>> scale_words = {
    {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12},
    {"bn", 1e9},       {"mn", 1e6},      {"mln", 1e6},
};

const std::map<std::string, std::string, std::less<>> currency_symbols = {
    {"$", "usd"}, {"€", "eur"}, {"£", "gbp"}, {"¥", "cny"}, {"₸", "kzt"}, {"₽", "rub"},
};

const std::map<std::string, std::string, std::less<>> currency_words = {
    {"dollar", "usd"}, {"dollars", "usd"}, {"usd", "usd"},   {"euro", "eur"},   {"euros", "eur"},
    {"eur", "eur"},    {"gbp", "gbp"},     {"yuan", "cny"},  {"rmb", "cny"},    {"tenge", "kzt"},
    {"kzt", "kzt"},    {"rubles", "rub"},  {"roubles", "rub"}, {"rub", "rub"},    {"cny", "cny"},
};

// ISO codes, which may also stand before the number ("RUB" is left out: "rub 2 drops").
const std::map<std::string, std::string, std::less<>> currency_codes = {
    {"usd", "usd"}, {"eur", "eur"}, {"gbp", "gbp"}, {"cny", "cny"}, {"rmb", "cny"}, {"kzt", "kzt"},
};

// Units that may follow a number; plural and spelling variants map to one name.
const std::map<std::string, std::string, std::less<>> unit_words = {
    {"ton", "ton"},           {"tons", "ton"},           {"tonne", "ton"},        {"tonnes", "ton"},
    {"barrel", "barrel"},     {"barrels", "barrel"},     {"km", "km"},            {"kilometer", "km"},
    {"kilometers", "km"},     {"kilometre", "km"},       {"kilometres", "km"},    {"mile", "mile"},
    {"miles", "mile"},        {"kg", "kg"},              {"kilogram", "kg"},      {"kilograms", "kg"},
    {"hectare", "hectare"},   {"hectares", "hectare"},   {"teu", "teu"},          {"teus", "teu"},
    {"mw", "mw"},             {"gw", "gw"},              {"megawatts", "mw"},     {"gigawatts", "gw"},
    {"people", "people"},     {"percent", "percent"},    {"years", "years"},      {"months", "months"},
    {"containers", "container"}, {"agreements", "agreement"}, {"countries", "country"},
};

// "cubic meters" and the like: two words, one unit.
const std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> two_word_units = {
    {"cubic", {{"meters", "cubic meter"}, {"metres", "cubic meter"}, {"meter", "cubic meter"}, {"metre", "cubic meter"}}},
    {"square", {{"kilometers", "km2"}, {"kilometres", "km2"}, {"meters", "m2"}, {"metres", "m2"}}},
    {"per", {{"cent", "percent"}}},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Recognizer {
  public:
    Recognizer(std::string_view text, const std::vector<Token>& all) : m_text(text) {
        for (const Token& t : all)
            if (t.kind != TokenKind::Compound) m_tokens.push_back(&t);
    }

    std::vector<Quantity> run() {
        std::vector<Quantity> out;
        for (std::size_t i = 0; i < m_tokens.size();) {
            std::size_t end = i;
            if (auto q = quantity_at(i, end)) {
                // Tokens split from one word share its bytes (fuzzing found "2ʼom…"): keep the
                // quantities disjoint and in text order.
                if (out.empty() || q->bytes.begin >= out.back().bytes.end) out.push_back(*q);
                i = end;
            } else {
                ++i;
            }
        }
        return out;
    }

  private:
    const Token& tok(std::size_t i) const { return *m_tokens[i]; }
    bool has(std::size_t i) const { return i < m_tokens.size(); }
    std::string_view term(std::size_t i) const { return has(i) ? std::string_view(tok(i).term) : std::string_view(); }
    std::string_view between(std::size_t a, std::size_t b) const {
        return m_text.substr(tok(a).bytes.end, tok(b).bytes.begin - tok(a).bytes.end);
    }
    char byte_before(std::size_t i) const { return tok(i).bytes.begin > 0 ? m_text[tok(i).bytes.begin - 1] : ' '; }
    char byte_at(std::size_t offset) const { return offset < m_text.size() ? m_text[offset] : ' '; }

    static bool is_dash(std::string_view s) {
        // Optional spaces around one hyphen, en dash or em dash.
        std::string_view t = s;
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        return t == "-" || t == "\u2013" || t == "\u2014" || t == "\u2010" || t == "\u2011";
    }

    // A number starting at token i; sets `end` past it. Digits may carry a scale suffix
    // ("31bn"; "5m" and "5k" only with a currency).
    std::optional<double> number_at(std::size_t i, std::size_t& end, bool currency, bool& scaled) const {
        if (!has(i)) return std::nullopt;
        const Token& t = tok(i);
        if (t.kind == TokenKind::Number) {
            // Digits glued to '/' or '+' are dates, fractions, identifiers or phone numbers.
            const char before = byte_before(i);
            if (before == '/' || before == '+' || (std::isalpha(static_cast<unsigned char>(before)) != 0)) return std::nullopt;
            if (byte_at(t.bytes.end) == '/' && is_digit(byte_at(t.bytes.end + 1))) return std::nullopt;
            if (phone_like(i)) return std::nullopt;
            std::size_t k = 0;
            while (k < t.term.size() && (is_digit(t.term[k]) || t.term[k] == '.')) ++k;
            double value = 0;
            const auto [ptr, ec] = std::from_chars(t.term.data(), t.term.data() + k, value);
            if (ec != std::errc{} || ptr != t.term.data() + k) return std::nullopt;
            const std::string_view suffix = std::string_view(t.term).substr(k);
            if (!suffix.empty()) {
                double factor = 0;
                if (const auto s = scale_words.find(suffix); s != scale_words.end()) factor = s->second;
                else if (currency && suffix == "m") factor = 1e6;
                else if (currency && suffix == "k") factor = 1e3;
                if (factor == 0) return std::nullopt;  // 1st, 4x4, 5g: not quantities
                value *= factor;
                scaled = true;
            }
            end = i + 1;
            return value;
        }
        const auto w = number_words.find(t.term);
        if (w == number_words.end()) return std::nullopt;
        double value = w->second;
        end = i + 1;
        // twenty-five
        if (value >= 20 && value < 100 && has(i + 1) && between(i, i + 1) == "-") {
            if (const auto u = number_words.find(tok(i + 1).term); u != number_words.end() && u->second < 10) {
                value += u->second;
                end = i + 2;
            }
        }
        // "three hundred", "twenty-five hundred": a multiple of a hundred (was 3, then 100).
        if (value >= 1 && value < 100 && has(end) && term(end) == "hundred") {
            value *= 100;
            ++end;
        }
        return value;
    }

    // 555-123-4567 and the like: three or more digit groups joined by hyphens.
    bool phone_like(std::size_t i) const {
        std::size_t groups = 1;
        for (std::size_t k = i; has(k + 1) && tok(k + 1).kind == TokenKind::Number && between(k, k + 1) == "-"; ++k)
            ++groups;
        for (std::size_t k = i; k > 0 && tok(k - 1).kind == TokenKind::Number && between(k - 1, k) == "-"; --k) ++groups;
        return groups >= 3;
    }

    std::optional<Quantity> quantity_at(std::size_t i, std::size_t& end) const {
        const std::size_t start = i;
        std::string currency;
        bool between_words = false;
        if (term(i) == "between") {
            between_words = true;
            ++i;
        }
        if (term(i) == "us" && has(i + 1) && tok(i + 1).kind == TokenKind::Symbol && between(i, i + 1).empty()) ++i;
        // A currency code before the figure, as finance writes it: "USD 31 billion".
        if (const auto c = currency_codes.find(term(i)); c != currency_codes.end() && has(i + 1) &&
                                                           tok(i + 1).kind == TokenKind::Number) {
            currency = c->second;
            ++i;
        }
        if (currency.empty() && has(i) && tok(i).kind == TokenKind::Symbol) {
            const auto c = currency_symbols.find(tok(i).term);
            if (c == currency_symbols.end()) return std::nullopt;
            currency = c->second;
            ++i;
        }
        bool scaled = false;
        std::size_t j = i;
        const auto value = number_at(i, j, !currency.empty(), scaled);
        if (!value) return std::nullopt;
        Quantity q;
        q.value = *value;
        // A range: "2022 to 2023", "5-7", "three-to-four", "between 5 and 7".
        if (has(j)) {
            const bool word = term(j) == "to" || (between_words && term(j) == "and");
            std::size_t k = word ? j + 1 : j;
            if (word || is_dash(between(j - 1, j))) {
                if (has(k) && tok(k).kind == TokenKind::Symbol && !currency.empty()) ++k;  // $5-$7
                bool scaled_to = false;
                std::size_t after = k;
                // A range runs upwards: "647–60" (pages, abbreviated) is not one.
                std::optional<double> v = number_at(k, after, !currency.empty(), scaled_to);
                // "two to three hundred" is 200-300: a number word before a range ending in
                // hundreds takes them too, as both ends take "million" ("5-7 million").
                if (v && term(after - 1) == "hundred" && term(j - 1) != "hundred" && tok(i).kind == TokenKind::Word &&
                    q.value >= 1 && q.value < 100 && q.value * 100 <= *v)
                    q.value *= 100;
                if (v && *v >= q.value) {
                    q.value_to = *v;
                    j = after;
                    scaled = scaled || scaled_to;
                }
            }
        }
        if (between_words && !q.value_to) return std::nullopt;
        if (const auto s = scale_words.find(term(j)); has(j) && s != scale_words.end()) {
            q.value *= s->second;
            if (q.value_to) *q.value_to *= s->second;
            q.has_scale = true;
            ++j;
        }
        q.has_scale = q.has_scale || scaled;
        if (currency.empty() && has(j)) {
            if (const auto c = currency_words.find(term(j)); c != currency_words.end()) {
                currency = c->second;
                ++j;
            }
        }
        if (!currency.empty()) {
            q.unit = currency;
        } else if (has(j)) {
            if (const auto two = two_word_units.find(term(j)); two != two_word_units.end() && has(j + 1)) {
                if (const auto u = two->second.find(term(j + 1)); u != two->second.end()) {
                    q.unit = u->second;
                    j += 2;
                }
            }
            if (q.unit.empty())
                if (const auto u = unit_words.find(term(j)); u != unit_words.end()) {
                    q.unit = u->second;
                    ++j;
                }
        }
        const bool whole = q.value == std::floor(q.value);
        if (q.unit.empty() && !q.has_scale && whole && q.value >= 1800 && q.value <= 2100 &&
            (!q.value_to || (*q.value_to >= 1800 && *q.value_to <= 2100)))
            q.unit = "year";
        q.bytes = {tok(start).bytes.begin, tok(j - 1).bytes.end};
        end = j;
        return q;
    }

    std::string_view m_text;
    std::vector<const Token*> m_tokens;
};

bool nearly_equal(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

}  // namespace

bool Quantity::same_as(const Quantity& other) const {
    if (unit != other.unit || !nearly_equal(value, other.value)) return false;
    if (value_to.has_value() != other.value_to.has_value()) return false;
    return !value_to || nearly_equal(*value_to, *other.value_to);
}

bool Quantity::covers(double v) const {
    if (nearly_equal(value, v)) return true;
    return value_to && v >= value && v <= *value_to;
}

std::vector<Quantity> find_quantities(std::string_view text, const std::vector<Token>& tokens) {
    return Recognizer(text, tokens).run();
}

std::string format_value(double value) {
    char buffer[64];
    // %.15g keeps every digit a quoted figure has and drops float noise: 2.76, not 2.7599999.
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

std::string describe(const Quantity& q) {
    std::string out = format_value(q.value);
    if (q.value_to) out += "-" + format_value(*q.value_to);
    if (!q.unit.empty()) out += " " + q.unit;
    return out;
}

}  // namespace cite::analysis
