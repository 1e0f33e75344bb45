#include "cite/output/csl_json_sink.hpp"

#include <array>
#include <charconv>
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

}  // namespace

ordered_json csl_name(std::string_view name) {
    const auto words = split_words(name);
    if (words.size() <= 1) return ordered_json{{"literal", words.empty() ? "" : words.front()}};
    std::string given;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        if (i > 0) given += ' ';
        given += words[i];
    }
    return ordered_json{{"family", words.back()}, {"given", given}};
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

void CslJsonSink::begin(const QueryInfo&) {
    m_items = ordered_json::array();
    m_ids.clear();
}

ordered_json csl_item(const evidence::CitedHit& hit) {
    const auto& p = hit.passage;
    const auto& m = hit.meta;
    const std::string ordinal = std::to_string(p.ordinal);
    ordered_json item{{"id", p.document_key() + "#p" + ordinal},
                      {"type", m.container_title.empty() ? "article" : "article-newspaper"}};
    if (!m.title.empty()) item["title"] = m.title;
    ordered_json authors = ordered_json::array();
    for (const auto& author : m.authors)
        if (!split_words(author).empty()) authors.push_back(csl_name(author));
    if (!authors.empty()) item["author"] = std::move(authors);
    if (const auto parts = csl_date_parts(m.date))
        item["issued"] = ordered_json{{"date-parts", ordered_json::array({*parts})}};
    if (!m.publisher.empty()) item["publisher"] = m.publisher;
    if (!m.container_title.empty()) item["container-title"] = m.container_title;
    item["locator"] = ordinal;
    item["label"] = "paragraph";
    return item;
}

void CslJsonSink::hit(const evidence::CitedHit& hit) {
    ordered_json item = csl_item(hit);
    // Several mentions in one paragraph (exhaustive mode): one item.
    if (!m_ids.insert(item["id"].get<std::string>()).second) return;
    m_items.push_back(std::move(item));
}

void CslJsonSink::end(const SearchStats&) {
    m_out << m_items.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
    m_out.flush();
}

}  // namespace cite::output
