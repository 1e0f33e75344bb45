#include "cite/analysis/quantity.hpp"

#include "cite/analysis/function_words.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace cite::analysis {
namespace {

const std::map<std::string, double, std::less<>> number_words = {
    {"zero", 0},     {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},
    {"five", 5},     {"six", 6},        {"seven", 7},      {"eight", 8},     {"nine", 9},
    {"ten", 10},     {"eleven", 11},    {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},    {"forty", 40},     {"fifty", 50},    {"sixty", 60},
    {"seventy", 70}, {"eighty", 80},    {"ninety", 90},    {"hundred", 100}, {"dozen", 12},
    // Russian (docs/languages.md), in the forms a count takes: "шесть миллионов тонн".
    {"один", 1},     {"одна", 1},       {"два", 2},        {"две", 2},       {"три", 3},
    {"четыре", 4},   {"пять", 5},       {"шесть", 6},      {"семь", 7},      {"восемь", 8},
    {"девять", 9},   {"десять", 10},    {"двадцать", 20},  {"тридцать", 30}, {"сто", 100},
};

const std::map<std::string, double, std::less<>> scale_words = {
    {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12},
    {"bn", 1e9},       {"mn", 1e6},      {"mln", 1e6},     {"tn", 1e12},
    // Russian: the abbreviations ("274,2 тыс. тонн", "31 млрд долларов") and every case.
    {"тыс", 1e3},      {"тысяча", 1e3},  {"тысячи", 1e3},  {"тысяч", 1e3},
    {"млн", 1e6},      {"миллион", 1e6}, {"миллиона", 1e6}, {"миллионов", 1e6},
    {"млрд", 1e9},     {"миллиард", 1e9}, {"миллиарда", 1e9}, {"миллиардов", 1e9},
    {"трлн", 1e12},    {"триллион", 1e12}, {"триллиона", 1e12}, {"триллионов", 1e12},
};

// Suffixes glued to digits as the news writes them ("4m", "14bn", "2.5tn", "300k").
const std::map<std::string, double, std::less<>> scale_suffixes = {
    {"k", 1e3}, {"m", 1e6}, {"mn", 1e6}, {"mln", 1e6}, {"bn", 1e9}, {"b", 1e9}, {"tn", 1e12},
};

// After "508m" these make it metres, not millions.
const std::set<std::string, std::less<>> length_words = {
    "tall",   "high",     "long",  "deep",   "wide",      "hurdles",    "sprint",     "race",  "dash",
    "relay",  "freestyle", "backstroke", "breaststroke", "butterfly", "medley", "metres", "meters",
};

const std::set<std::string, std::less<>> month_words = {
    "january", "february", "march",   "april",    "may",      "june",     "july",
    "august",  "september", "october", "november", "december", "jan",     "feb",
    "mar",     "apr",      "jun",     "jul",      "aug",      "sep",      "sept",
    "oct",     "nov",      "dec",
};

// Qualifiers in front of a figure, longest first where one is the end of another.
struct Qualifier {
    std::vector<std::string_view> words;
    Bound bound;
};
const std::vector<Qualifier> qualifiers = {
    {{"more", "than"}, Bound::AtLeast},    {{"greater", "than"}, Bound::AtLeast},
    {{"at", "least"}, Bound::AtLeast},     {{"upwards", "of"}, Bound::AtLeast},
    {{"in", "excess", "of"}, Bound::AtLeast}, {{"just", "over"}, Bound::AtLeast},
    {{"over"}, Bound::AtLeast},            {{"above"}, Bound::AtLeast},
    {{"exceeding"}, Bound::AtLeast},       {{"fewer", "than"}, Bound::AtMost},
    {{"less", "than"}, Bound::AtMost},     {{"no", "more", "than"}, Bound::AtMost},
    {{"up", "to"}, Bound::AtMost},         {{"as", "many", "as"}, Bound::AtMost},
    {{"as", "much", "as"}, Bound::AtMost}, {{"at", "most"}, Bound::AtMost},
    {{"under"}, Bound::AtMost},            {{"below"}, Bound::AtMost},
    {{"just", "under"}, Bound::Nearly},    {{"nearly"}, Bound::Nearly},
    {{"almost"}, Bound::Nearly},           {{"close", "to"}, Bound::About},
    {{"about"}, Bound::About},             {{"around"}, Bound::About},
    {{"roughly"}, Bound::About},           {{"approximately"}, Bound::About},
    {{"some"}, Bound::About},              {{"circa"}, Bound::About},
    {{"estimated"}, Bound::About},         {{"approx"}, Bound::About},
};

// Verbs and nouns of a signed change: "rose 5%", "up 5%", "a 5% rise".
const std::set<std::string, std::less<>> rise_words = {
    "rise",  "rose",   "risen",  "rising", "rises", "up",      "increase", "increased", "increases", "grew",
    "grow",  "grown",  "growth", "gain",   "gained", "gains",  "jumped",   "jump",      "climbed",   "climb",
    "soared", "surged", "surge", "boost",  "boosted", "higher", "raised",  "raise",     "doubled",   "expanded",
};
const std::set<std::string, std::less<>> fall_words = {
    "fall",    "fell",     "fallen",  "falling", "falls",   "down",     "drop",     "dropped", "drops",
    "decline", "declined", "decrease", "decreased", "slipped", "slip",   "slid",     "dipped",  "dip",
    "shrank",  "shrunk",   "shrink",  "shrinking", "lower",  "slumped", "slump",    "plunged", "tumbled",
    "cut",     "lost",     "loss",    "contracted", "eased",
};

// Fractions of a whole, read as percent: "a third of", "half of".
const std::map<std::string, double, std::less<>> fraction_words = {
    {"half", 50}, {"third", 100.0 / 3}, {"quarter", 25}, {"fifth", 20}, {"tenth", 10},
};

const std::map<std::string, std::string, std::less<>> currency_symbols = {
    {"$", "usd"}, {"€", "eur"}, {"£", "gbp"}, {"¥", "cny"}, {"₸", "kzt"}, {"₽", "rub"},
};

const std::map<std::string, std::string, std::less<>> currency_words = {
    {"dollar", "usd"},  {"dollars", "usd"}, {"usd", "usd"},     {"euro", "eur"},    {"euros", "eur"},
    {"eur", "eur"},     {"gbp", "gbp"},     {"yuan", "cny"},    {"rmb", "cny"},     {"tenge", "kzt"},
    {"kzt", "kzt"},     {"rubles", "rub"},  {"roubles", "rub"}, {"ruble", "rub"},   {"rouble", "rub"},
    {"rub", "rub"},     {"cny", "cny"},     {"pound", "gbp"},   {"pounds", "gbp"},  {"sterling", "gbp"},
    {"yen", "jpy"},     {"jpy", "jpy"},     {"rupees", "inr"},  {"rupee", "inr"},   {"rupiah", "idr"},
    {"chf", "chf"},
    {"доллар", "usd"},  {"доллара", "usd"}, {"долларов", "usd"}, {"долл", "usd"},  {"евро", "eur"},
    {"тенге", "kzt"},   {"рубль", "rub"},   {"рубля", "rub"},   {"рублей", "rub"}, {"руб", "rub"},
    {"юань", "cny"},    {"юаня", "cny"},    {"юаней", "cny"},
};

// Units a currency is counted in: code -> value of one in the currency ("7p" is 0.07 gbp).
const std::map<std::string, std::pair<std::string, double>, std::less<>> currency_fractions = {
    {"pence", {"gbp", 0.01}}, {"penny", {"gbp", 0.01}}, {"cents", {"usd", 0.01}}, {"cent", {"usd", 0.01}},
};

const std::set<std::string, std::less<>> currencies = {
    "usd", "eur", "gbp", "cny", "kzt", "rub", "jpy", "inr", "idr", "chf",
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
    {"metre", "metre"},       {"metres", "metre"},       {"meter", "metre"},      {"meters", "metre"},
    {"litre", "litre"},       {"litres", "litre"},       {"liter", "litre"},      {"liters", "litre"},
    {"containers", "container"}, {"agreements", "agreement"}, {"countries", "country"},
    // Russian: each case a count takes ("6 млн тонн", "22,8 процента", "5 человек").
    {"тонна", "ton"},         {"тонны", "ton"},          {"тонн", "ton"},
    {"баррель", "barrel"},    {"барреля", "barrel"},     {"баррелей", "barrel"},  {"км", "km"},
    {"процент", "percent"},   {"процента", "percent"},   {"процентов", "percent"}, {"человек", "people"},
    {"гектаров", "hectare"},  {"контейнеров", "container"}, {"стран", "country"},
};

// "cubic meters" and the like: two words, one unit.
const std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> two_word_units = {
    {"cubic", {{"meters", "cubic meter"}, {"metres", "cubic meter"}, {"meter", "cubic meter"}, {"metre", "cubic meter"}}},
    {"square", {{"kilometers", "km2"}, {"kilometres", "km2"}, {"meters", "m2"}, {"metres", "m2"}}},
    {"per", {{"cent", "percent"}}},
    {"percentage", {{"points", "percentage point"}, {"point", "percentage point"}}},
    {"swiss", {{"francs", "chf"}, {"franc", "chf"}}},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The place of the last nonzero digit of a whole number: 100 for 200, 1 for 529, 1e5 for
// 500000; a figure written with trailing zeros is read as rounded to them.
double place_of(double value) {
    double place = 1;
    double v = std::fabs(std::round(value));
    if (v == 0) return 1;
    while (place < 1e15 && std::fmod(v, place * 10) == 0) place *= 10;
    return place;
}

// One number as written: its value, the place of its last significant digit and what the
// suffix glued to the digits said.
struct Number {
    double value = 0;
    double precision = 1;
    bool scaled = false;
    std::string unit;  // "gbp" for "7p", "metre" for "508m tall"
};

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
                if (out.empty() || q->bytes.begin >= out.back().bytes.end) {
                    qualify(*q, i, end);
                    out.push_back(*q);
                }
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
    // Nothing but spaces between tokens a and b (no comma, bracket or full stop).
    bool adjacent(std::size_t a, std::size_t b) const {
        const std::string_view gap = between(a, b);
        return std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; });
    }

    static bool is_dash(std::string_view s) {
        // Optional spaces around one hyphen, en dash or em dash.
        std::string_view t = s;
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        return t == "-" || t == "\u2013" || t == "\u2014" || t == "\u2010" || t == "\u2011";
    }

    // Token j is a word in Cyrillic (its first letter's UTF-8 lead byte is 0xD0-0xD3).
    bool cyrillic_word(std::size_t j) const {
        if (!has(j) || tok(j).kind != TokenKind::Word || tok(j).term.empty()) return false;
        const auto lead = static_cast<unsigned char>(tok(j).term.front());
        return lead >= 0xD0 && lead <= 0xD3;
    }

    // A number starting at token i; sets `end` past it. Digits may carry a scale suffix
    // ("31bn", "4m", "300k"; "508m tall" is a length, "7p" pence).
    std::optional<Number> number_at(std::size_t i, std::size_t& end, bool currency) const {
        if (!has(i)) return std::nullopt;
        const Token& t = tok(i);
        Number n;
        if (t.kind == TokenKind::Number) {
            // Digits glued to '/' or '+' are dates, fractions, identifiers or phone numbers.
            const char before = byte_before(i);
            if (before == '/' || before == '+' || (std::isalpha(static_cast<unsigned char>(before)) != 0)) return std::nullopt;
            if (byte_at(t.bytes.end) == '/' && is_digit(byte_at(t.bytes.end + 1))) return std::nullopt;
            if (phone_like(i)) return std::nullopt;
            // "274 200 тонн": digit groups joined across a space separator, as one number.
            std::size_t last = i;
            const std::string written = spaced_groups(i, last).value_or(t.term);
            std::size_t k = 0;
            while (k < written.size() && (is_digit(written[k]) || written[k] == '.')) ++k;
            // A decimal comma, as Russian writes it ("274,2", "22,8"): the analyzer keeps a
            // comma only where it is no thousands separator (274,200 is 274200). Only beside
            // a Cyrillic word: in English text "$110,00" is a mistyped $110,000, no $110.
            std::string decimal;
            if (k < written.size() && written[k] == ',' && k + 1 < written.size() && is_digit(written[k + 1]) &&
                written.find('.') == std::string::npos && (cyrillic_word(last + 1) || (i > 0 && cyrillic_word(i - 1)))) {
                std::size_t f = k + 1;
                while (f < written.size() && is_digit(written[f])) ++f;
                if (f == written.size() && f - k - 1 <= 2) {
                    decimal = written;
                    decimal[k] = '.';
                    k = f;
                }
            }
            const std::string_view number = decimal.empty() ? std::string_view(written) : std::string_view(decimal);
            const auto [ptr, ec] = std::from_chars(number.data(), number.data() + k, n.value);
            if (ec != std::errc{} || ptr != number.data() + k) return std::nullopt;
            const std::string_view digits = number.substr(0, k);
            if (const auto dot = digits.find('.'); dot != std::string_view::npos)
                n.precision = std::pow(10.0, -static_cast<double>(digits.size() - dot - 1));
            else
                n.precision = place_of(n.value);
            const std::string_view suffix = std::string_view(written).substr(k);
            if (!suffix.empty()) {
                if (suffix == "m" && !currency && length_words.contains(term(i + 1))) {
                    n.unit = "metre";
                } else if (suffix == "p" && !currency) {
                    n.unit = "gbp";
                    n.value *= 0.01;
                    n.precision *= 0.01;
                } else if (const auto s = scale_suffixes.find(suffix); s != scale_suffixes.end()) {
                    n.value *= s->second;
                    n.precision *= s->second;
                    n.scaled = true;
                } else {
                    return std::nullopt;  // 1st, 4x4, 5g, 1990s: not quantities
                }
            } else if (last == i && (date_or_rank(i, n.value) || part_of_name(i))) {
                return std::nullopt;
            }
            end = last + 1;
            return n;
        }
        const auto w = number_words.find(t.term);
        if (w == number_words.end()) return std::nullopt;
        n.value = w->second;
        end = i + 1;
        // twenty-five
        if (n.value >= 20 && n.value < 100 && has(i + 1) && between(i, i + 1) == "-") {
            if (const auto u = number_words.find(tok(i + 1).term); u != number_words.end() && u->second < 10) {
                n.value += u->second;
                end = i + 2;
            }
        }
        // "three hundred", "twenty-five hundred": a multiple of a hundred (was 3, then 100).
        if (n.value >= 1 && n.value < 100 && has(end) && term(end) == "hundred") {
            n.value *= 100;
            ++end;
        }
        n.precision = place_of(n.value);
        return n;
    }

    // The length of the digit-group separator at `offset`: a space, a no-break space (U+00A0),
    // a narrow no-break space (U+202F) or a thin space (U+2009); 0 for none. Only a plain
    // space (length 1) is ambiguous in English.
    std::size_t group_separator_at(std::size_t offset) const {
        const std::string_view rest = m_text.substr(std::min(offset, m_text.size()));
        if (rest.starts_with(" ")) return 1;
        if (rest.starts_with("\u00a0")) return 2;
        if (rest.starts_with("\u202f") || rest.starts_with("\u2009")) return 3;
        return 0;
    }

    std::size_t digits_at(std::size_t offset) const {
        std::size_t end = offset;
        while (end < m_text.size() && is_digit(m_text[end])) ++end;
        return end - offset;
    }

    // A number written with spaces as thousands separators, as Russian and Kazakh write it
    // ("274 200 тонн", "1 250 000"), joined ("274200"); `last` is set to its last token. Read
    // from the text, not the tokens: a word breaker may keep "274\u202f200" as one word.
    // Only when unambiguous (docs/languages.md, "Thousands separated by a space"):
    // - a first group of 1-3 digits, not starting with 0, then groups of exactly 3 digits, each
    //   after one separator; the last may carry a decimal comma of 1-2 digits ("1 234,5 млн");
    // - no digits right before it across a separator, no other digit group right after it
    //   ("2022 2023", "12 345 67", "2019 200 000": which numbers are meant cannot be told);
    // - with a plain space, a Cyrillic word right before or after it (in English, "top 10 100
    //   runners" is two numbers); a no-break or thin space separates digit groups anywhere.
    std::optional<std::string> spaced_groups(std::size_t i, std::size_t& last) const {
        const std::size_t begin = tok(i).bytes.begin;
        const std::size_t first = digits_at(begin);
        if (first < 1 || first > 3 || m_text[begin] == '0') return std::nullopt;
        for (std::size_t s = 1; s <= 3 && s < begin; ++s)
            if (group_separator_at(begin - s) == s && is_digit(m_text[begin - s - 1])) return std::nullopt;
        std::string joined(m_text.substr(begin, first));
        std::size_t end = begin + first;
        bool any_plain = false;
        for (std::size_t s = group_separator_at(end); s != 0 && is_digit(byte_at(end + s)); s = group_separator_at(end)) {
            if (digits_at(end + s) != 3) return std::nullopt;
            any_plain = any_plain || s == 1;
            joined += m_text.substr(end + s, 3);
            end += s + 3;
        }
        if (joined.size() == first) return std::nullopt;
        if ((byte_at(end) == ',' || byte_at(end) == '.') && is_digit(byte_at(end + 1))) {
            const std::size_t decimals = digits_at(end + 1);
            if (byte_at(end) == '.' || decimals > 2) return std::nullopt;  // "1 234.5", "1 234,567": mixed
            joined += m_text.substr(end, decimals + 1);
            end += decimals + 1;
        }
        std::size_t j = i;
        while (has(j + 1) && tok(j + 1).bytes.begin < end) ++j;
        for (std::size_t k = i; k <= j; ++k)
            if (tok(k).kind != TokenKind::Number) return std::nullopt;
        if (any_plain && !cyrillic_word(j + 1) && !(i > 0 && cyrillic_word(i - 1))) return std::nullopt;
        last = j;
        return joined;
    }

    // A day of a date ("30 September", "September 30") or a rank ("No 1", "number 10").
    bool date_or_rank(std::size_t i, double value) const {
        const bool day = value >= 1 && value <= 31 && value == std::floor(value);
        if (day && (month_words.contains(term(i + 1)) || (i > 0 && month_words.contains(term(i - 1))))) return true;
        if (i > 0 && adjacent(i - 1, i) && (term(i - 1) == "number" || (term(i - 1) == "no" && byte_at(tok(i - 1).bytes.begin) == 'N')))
            return true;
        return false;
    }

    // "Halo 2", "PlayStation 2", "Boeing 737": a small whole number written right after a
    // capitalised word inside a sentence, with nothing after it that makes it a quantity, is
    // part of a name. ("In 2004", "About 50 people": the word before is a function word.)
    bool part_of_name(std::size_t i) const {
        const Token& t = tok(i);
        if (i == 0 || t.term.find_first_not_of("0123456789") != std::string::npos || t.term.size() > 3) return false;
        if (t.bytes.size() != t.term.size()) return false;  // written with a separator or decimals
        const Token& before = tok(i - 1);
        if (before.kind != TokenKind::Word || !adjacent(i - 1, i) || is_function_word(before.term)) return false;
        const char first = m_text[before.bytes.begin];
        if (first < 'A' || first > 'Z') return false;
        // Words that lead into a figure, even capitalised at a sentence's start: "Nearly 50",
        // "USD 100", "Fell 5".
        const std::string_view word = before.term;
        if (currency_codes.contains(word) || month_words.contains(word) || number_words.contains(word) ||
            rise_words.contains(word) || fall_words.contains(word) ||
            std::any_of(qualifiers.begin(), qualifiers.end(), [&](const Qualifier& q) { return q.words.back() == word; }))
            return false;
        const std::string_view next = term(i + 1);
        const bool quantity_after = scale_words.contains(next) || currency_words.contains(next) ||
                                    unit_words.contains(next) || two_word_units.contains(next) ||
                                    (has(i + 1) && tok(i + 1).kind == TokenKind::Symbol);
        return !quantity_after;
    }

    // 555-123-4567 and the like: three or more digit groups joined by hyphens.
    bool phone_like(std::size_t i) const {
        std::size_t groups = 1;
        for (std::size_t k = i; has(k + 1) && tok(k + 1).kind == TokenKind::Number && between(k, k + 1) == "-"; ++k)
            ++groups;
        for (std::size_t k = i; k > 0 && tok(k - 1).kind == TokenKind::Number && between(k - 1, k) == "-"; --k) ++groups;
        return groups >= 3;
    }

    // "a million", "half a million", "a quarter of a million", "a third of", "half of".
    std::optional<Quantity> phrase_at(std::size_t i, std::size_t& end) const {
        auto scale_at = [&](std::size_t k) -> double {
            const auto s = scale_words.find(term(k));
            return has(k) && s != scale_words.end() && s->first.size() > 3 ? s->second : 0;  // words, not "bn"
        };
        auto fraction = [&](std::size_t k) -> double {
            std::string_view w = term(k);
            if (w.size() > 1 && w.back() == 's' && w != "thirds" && w != "quarters" && w != "fifths" && w != "tenths")
                return 0;
            if (w.size() > 1 && w.back() == 's') w.remove_suffix(1);
            const auto f = fraction_words.find(w);
            return has(k) && f != fraction_words.end() ? f->second / 100 : 0;
        };
        Quantity q;
        const std::string_view first = term(i);
        double times = 0;  // "a", "one", "two" before a fraction
        if (first == "a" || first == "an" || first == "one") times = 1;
        else if (const auto w = number_words.find(first); w != number_words.end() && w->second >= 2 && w->second <= 9)
            times = w->second;
        if (first == "half" && term(i + 1) == "a" && scale_at(i + 2) > 0) {
            q.value = 0.5 * scale_at(i + 2);
            end = i + 3;
        } else if (times > 0 && fraction(i + 1) > 0 && term(i + 2) == "of" && term(i + 3) == "a" && scale_at(i + 4) > 0) {
            q.value = times * fraction(i + 1) * scale_at(i + 4);
            end = i + 5;
        } else if ((first == "a" || first == "one") && scale_at(i + 1) > 0 && adjacent(i, i + 1)) {
            q.value = scale_at(i + 1);
            end = i + 2;
        } else if (times > 0 && fraction(i + 1) > 0 && term(i + 2) == "of" && (times == 1 || term(i + 1).back() == 's')) {
            q.value = times * fraction(i + 1) * 100;
            q.unit = "percent";
            q.bound = Bound::About;
            end = i + 2;
        } else if (first == "half" && term(i + 1) == "of" &&
                   !(i > 0 && (term(i - 1) == "first" || term(i - 1) == "second" || term(i - 1) == "last" ||
                               term(i - 1) == "other" || term(i - 1) == "the" || term(i - 1) == "latter"))) {
            q.value = 50;
            q.unit = "percent";
            q.bound = Bound::About;
            end = i + 1;
        } else {
            return std::nullopt;
        }
        q.has_scale = q.unit.empty();
        q.precision = q.unit.empty() ? place_of(q.value) : 1;
        q.bytes = {tok(i).bytes.begin, tok(end - 1).bytes.end};
        return q;
    }

    std::optional<Quantity> quantity_at(std::size_t i, std::size_t& end) const {
        if (auto q = phrase_at(i, end)) {
            if (q->unit.empty()) finish(*q, i, end, "", end);
            return q;
        }
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
        std::size_t j = i;
        const auto number = number_at(i, j, !currency.empty());
        if (!number) return std::nullopt;
        Quantity q;
        q.value = number->value;
        q.precision = number->precision;
        bool scaled = number->scaled;
        if (!number->unit.empty() && currency.empty()) {
            if (number->unit == "metre") {
                q.unit = "metre";
            } else {
                currency = number->unit;
            }
        }
        // A range: "2022 to 2023", "5-7", "three-to-four", "between 5 and 7", "six or seven".
        // "from 95 million to 500 million" is a change between two figures, not a range.
        const bool from = start > 0 && term(start - 1) == "from";
        if (has(j) && q.unit.empty()) {
            const bool word = term(j) == "to" || (between_words && term(j) == "and") || term(j) == "or";
            std::size_t k = word ? j + 1 : j;
            if (word || is_dash(between(j - 1, j))) {
                if (has(k) && tok(k).kind == TokenKind::Symbol && !currency.empty()) ++k;  // $5-$7
                std::size_t after = k;
                // A range runs upwards: "647–60" (pages, abbreviated) is not one.
                std::optional<Number> v = number_at(k, after, !currency.empty());
                // "two to three hundred" is 200-300: a number word before a range ending in
                // hundreds takes them too, as both ends take "million" ("5-7 million").
                if (v && term(after - 1) == "hundred" && term(j - 1) != "hundred" && tok(i).kind == TokenKind::Word &&
                    q.value >= 1 && q.value < 100 && q.value * 100 <= v->value)
                    q.value *= 100;
                bool range = v && v->value >= q.value && v->unit.empty();
                const bool years = range && q.value >= 1800 && v->value <= 2100 && !scaled && !v->scaled;
                if (range && term(j) == "to" && from && !years) range = false;
                // "six or seven": two close values, never "5 or 50".
                if (range && term(j) == "or" && v->value > 2 * q.value) range = false;
                if (range) {
                    q.value_to = v->value;
                    q.precision = std::min(q.precision, v->precision);
                    j = after;
                    scaled = scaled || v->scaled;
                }
            }
        }
        if (between_words && !q.value_to) return std::nullopt;
        if (const auto s = scale_words.find(term(j)); has(j) && s != scale_words.end() && q.unit.empty()) {
            q.value *= s->second;
            q.precision *= s->second;
            if (q.value_to) *q.value_to *= s->second;
            q.has_scale = true;
            ++j;
        }
        q.has_scale = q.has_scale || scaled;
        finish(q, start, j, currency, end);
        return q;
    }

    // The currency or unit after a figure read up to token j (exclusive), then its bytes.
    void finish(Quantity& q, std::size_t start, std::size_t j, std::string currency, std::size_t& end) const {
        if (currency.empty() && has(j) && q.unit.empty()) {
            if (const auto c = currency_words.find(term(j)); c != currency_words.end()) {
                currency = c->second;
                ++j;
            } else if (const auto f = currency_fractions.find(term(j)); f != currency_fractions.end()) {
                currency = f->second.first;
                q.value *= f->second.second;
                q.precision *= f->second.second;
                if (q.value_to) *q.value_to *= f->second.second;
                ++j;
            }
        }
        if (!currency.empty()) {
            q.unit = currency;
        } else if (has(j) && q.unit.empty()) {
            if (const auto two = two_word_units.find(term(j)); two != two_word_units.end() && has(j + 1)) {
                if (const auto u = two->second.find(term(j + 1)); u != two->second.end()) {
                    q.unit = u->second;
                    j += 2;
                }
            }
            // Ages: "25-year-old", "28 years old".
            if (q.unit.empty() && (term(j) == "year" || term(j) == "years") && term(j + 1) == "old") {
                q.unit = "age";
                j += 2;
            }
            if (q.unit.empty())
                if (const auto u = unit_words.find(term(j)); u != unit_words.end()) {
                    q.unit = u->second;
                    ++j;
                }
        }
        if (q.unit.empty() && start > 0 && term(start - 1) == "aged") q.unit = "age";
        const bool whole = q.value == std::floor(q.value);
        if (q.unit.empty() && !q.has_scale && whole && q.value >= 1800 && q.value <= 2100 &&
            (!q.value_to || (*q.value_to >= 1800 && *q.value_to <= 2100))) {
            q.unit = "year";
            q.precision = 1;
        }
        if (q.unit.empty() && has(j) && tok(j).kind == TokenKind::Word && !is_function_word(term(j)) &&
            !month_words.contains(term(j)))
            q.counted = tok(j).stem.empty() ? tok(j).term : tok(j).stem;
        q.bytes = {tok(start).bytes.begin, tok(j - 1).bytes.end};
        end = j;
    }

    // The qualifier before a figure and the direction of a change around it.
    void qualify(Quantity& q, std::size_t start, std::size_t end) const {
        std::size_t before = start;  // first token before the figure not yet read
        if (q.bound == Bound::Exact) {
            std::size_t longest = 0;
            for (const Qualifier& qual : qualifiers) {
                const std::size_t n = qual.words.size();
                if (n > start || n <= longest) continue;
                bool match = true;
                for (std::size_t k = 0; k < n && match; ++k) match = term(start - n + k) == qual.words[k];
                if (match && adjacent(start - 1, start)) {
                    longest = n;
                    q.bound = qual.bound;
                }
            }
            before = start - longest;
            // "an estimated", "some" say nothing of a year.
            if (q.unit == "year") {
                q.bound = Bound::Exact;
                before = start;
            }
        }
        if (q.unit == "year") return;
        std::size_t k = before;
        if (k > 0 && term(k - 1) == "by") --k;
        if (k > 0 && adjacent(k - 1, k)) {
            if (rise_words.contains(term(k - 1))) q.direction = 1;
            else if (fall_words.contains(term(k - 1))) q.direction = -1;
        }
        // "up to" is a bound, not a rise.
        if (q.direction == 1 && term(k - 1) == "up" && term(k) == "to") q.direction = 0;
        if (q.direction == 0 && has(end) && adjacent(end - 1, end)) {
            if (rise_words.contains(term(end)) && term(end) != "up") q.direction = 1;
            else if (fall_words.contains(term(end)) && term(end) != "down" && term(end) != "cut") q.direction = -1;
        }
    }

    std::string_view m_text;
    std::vector<const Token*> m_tokens;
};

bool nearly_equal(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

}  // namespace

const char* to_string(Bound bound) {
    switch (bound) {
    case Bound::Exact: return "exact";
    case Bound::About: return "about";
    case Bound::Nearly: return "nearly";
    case Bound::AtLeast: return "at least";
    case Bound::AtMost: return "at most";
    }
    return "exact";
}

bool is_currency(std::string_view unit) { return currencies.contains(unit); }

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
