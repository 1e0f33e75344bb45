#include "cite/output/csl_json_sink.hpp"

#include "cite/output/bibliography.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <utility>

namespace cite::output {

namespace {

using ordered_json = nlohmann::ordered_json;

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto begin = text.find_first_not_of(" \t\r\n", pos);
        if (begin == std::string_view::npos) break;
        auto end = text.find_first_of(" \t\r\n", begin);
        if (end == std::string_view::npos) end = text.size();
        words.push_back(text.substr(begin, end - begin));
        pos = end;
    }
    return words;
}

/// `digits` decimal digits, nothing else, as a number in [low, high]; nullopt otherwise.
std::optional<int> parse_part(std::string_view text, std::size_t digits, int low, int high) {
    if (text.size() != digits) return std::nullopt;
    for (const char c : text)
        if (c < '0' || c > '9') return std::nullopt;  // from_chars would also take a '-'
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (value < low || value > high) return std::nullopt;
    return value;
}

std::string join_words(const std::vector<std::string_view>& words, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin) out += ' ';
        out += words[i];
    }
    return out;
}

// Words that make a name an organisation's (an agency, a newspaper, a ministry), not a person's.
bool is_organisation_word(std::string_view word) {
    static const std::set<std::string_view> words = {
        "Agency",     "Agence",      "Associated",   "Association", "Authority",    "Bank",         "Board",
        "Broadcasting", "Bureau",    "Center",       "Centre",      "College",      "Commission",   "Committee",
        "Company",    "Corporation", "Council",      "Daily",       "Department",   "Desk",         "Editors",
        "Foundation", "Forum",       "Fund",         "Gazette",     "Government",   "Group",        "Herald",
        "Inc",        "Institute",   "Institution",  "Journal",     "Ltd",          "Magazine",     "Media",
        "Ministry",   "Monitor",     "Network",      "News",        "Office",       "Organisation", "Organization",
        "Parliament", "Party",       "Post",         "Press",       "Programme",    "Reporters",    "Review",
        "Service",    "Society",     "Staff",        "Team",        "Telegraph",    "Times",        "Tribune",
        "Union",      "University",  "Weekly"};
    while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.remove_suffix(1);
    return words.contains(word);
}

// An acronym such as BBC or IEA: two or more capital ASCII letters and nothing else.
bool is_acronym(std::string_view word) {
    return word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

ordered_json csl_name(std::string_view name) {
    const auto words = split_words(name);
    // An organisation is one literal name: CSL styles must neither invert nor abbreviate it.
    const bool organisation = words.size() <= 1 || (words.size() > 1 && words.front() == "The") ||
                              std::any_of(words.begin(), words.end(),
                                          [](std::string_view w) { return is_organisation_word(w) || is_acronym(w); });
    if (organisation) return ordered_json{{"literal", join_words(words, 0, words.size())}};
    // "Family, Given" says where the family name ends (van der Berg, Ana María García Pérez).
    if (const auto comma = name.find(','); comma != std::string_view::npos) {
        const auto family = split_words(name.substr(0, comma));
        const auto given = split_words(name.substr(comma + 1));
        if (!family.empty() && !given.empty())
            return ordered_json{{"family", join_words(family, 0, family.size())},
                                {"given", join_words(given, 0, given.size())}};
    }
    return ordered_json{{"family", words.back()}, {"given", join_words(words, 0, words.size() - 1)}};
}

std::optional<std::vector<int>> csl_date_parts(std::string_view date) {
    constexpr std::array<std::pair<int, int>, 3> limits = {{{0, 9999}, {1, 12}, {1, 31}}};
    constexpr std::array<std::size_t, 3> widths = {4, 2, 2};
    std::vector<int> parts;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const auto dash = date.find('-', pos);
        const auto end = dash == std::string_view::npos ? date.size() : dash;
        const auto part =
            parse_part(date.substr(pos, end - pos), widths[i], limits[i].first, limits[i].second);
        if (!part) return std::nullopt;
        parts.push_back(*part);
        if (dash == std::string_view::npos) return parts;
        pos = dash + 1;
    }
    return std::nullopt;  // a fourth part
}

namespace {

ordered_json date_json(const std::vector<int>& parts) {
    return ordered_json{{"date-parts", ordered_json::array({parts})}};
}

}  // namespace

ordered_json csl_item(const CitedSource& source) {
    const auto& m = source.meta;
    ordered_json item{{"id", source.key}, {"citation-key", source.key}, {"type", csl_type(m)}};
    if (!m.title.empty()) item["title"] = m.title;
    ordered_json authors = ordered_json::array();
    for (const auto& author : m.authors)
        if (!split_words(author).empty()) authors.push_back(csl_name(author));
    if (!authors.empty()) item["author"] = std::move(authors);
    if (const auto parts = csl_date_parts(m.date)) item["issued"] = date_json(*parts);
    if (!m.container_title.empty()) item["container-title"] = m.container_title;
    if (!m.publisher.empty()) item["publisher"] = m.publisher;
    if (!m.url.empty()) item["URL"] = m.url;
    if (!m.doi.empty()) item["DOI"] = m.doi;
    if (const auto parts = csl_date_parts(m.accessed)) item["accessed"] = date_json(*parts);
    if (!m.language.empty()) item["language"] = m.language;

    ordered_json custom{{"source", source.source}};
    if (!source.record.empty()) custom["record"] = source.record;
    custom["sha256"] = source.sha256;
    ordered_json paragraphs = ordered_json::array();
    for (const auto& c : source.paragraphs) {
        ordered_json paragraph{{"paragraph", c.paragraph}};
        if (c.line != 0) paragraph["line"] = c.line;
        if (c.page != 0) {
            paragraph["page"] = c.page;
            if (!c.page_label.empty()) paragraph["page_label"] = c.page_label;
        }
        if (c.chapter != 0) {
            paragraph["chapter"] = c.chapter;
            if (!c.chapter_title.empty()) paragraph["chapter_title"] = c.chapter_title;
        }
        ordered_json quotes = ordered_json::array();
        for (const auto& q : c.quotes) {
            ordered_json quote{{"quote", q.quote}, {"start_byte", q.bytes.begin}, {"end_byte", q.bytes.end}};
            if (q.line != 0) quote["line"] = q.line;
            quotes.push_back(std::move(quote));
        }
        paragraph["quotes"] = std::move(quotes);
        paragraphs.push_back(std::move(paragraph));
    }
    custom["paragraphs"] = std::move(paragraphs);
    item["custom"] = std::move(custom);
    return item;
}

void write_csl_json(std::ostream& out, const Bibliography& bibliography) {
    ordered_json items = ordered_json::array();
    for (const auto& source : bibliography.sources()) items.push_back(csl_item(source));
    // Invalid UTF-8 (a JSONL record's text is checked, but be safe) becomes U+FFFD, not a throw.
    out << items.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace cite::output
