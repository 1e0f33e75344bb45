#include "cite/search/mention_phrase.hpp"

#include "cite/query/query_parser.hpp"

#include <algorithm>

namespace cite::search {
namespace {

bool is_plain_word(const query::Node& n) {
    return n.kind == query::NodeKind::Words && n.field == query::Field::Body && !n.quoted && n.alias.empty() &&
           !n.case_sensitive && !n.tokens.empty();
}

}  // namespace

std::string read_run_as_phrase(query::Node& root, std::string_view query, analysis::Analyzer& analyzer) {
    if (root.kind != query::NodeKind::Group) return {};
    std::size_t first = root.children.size();
    std::size_t last = 0;
    std::size_t words = 0;
    for (std::size_t i = 0; i < root.children.size(); ++i) {
        const query::Node& c = root.children[i];
        if (is_plain_word(c)) {
            first = std::min(first, i);
            last = i;
            ++words;
        } else if (c.kind != query::NodeKind::FileFilter && c.kind != query::NodeKind::LanguageFilter &&
                   c.kind != query::NodeKind::DateFilter) {
            return {};  // operators, quoted phrases, fields or figures: read as written
        }
    }
    // One unbroken run: "Jose file:bbc Mourinho" is not a name.
    if (words < 2 || last - first + 1 != words) return {};
    const query::Node& head = root.children[first];
    const query::Node& tail = root.children[last];
    const std::size_t end = tail.position + tail.text.size();
    if (end > query.size() || head.position >= end) return {};
    query::Node phrase;
    phrase.kind = query::NodeKind::Words;
    phrase.position = head.position;
    phrase.text = std::string(query.substr(head.position, end - head.position));
    phrase.quoted = true;
    phrase.tokens = analyzer.analyze(phrase.text);
    if (phrase.tokens.empty()) return {};
    query::match_letter_case(phrase, query::acronym_rule_applies(root));
    const std::string text = phrase.text;
    root.children.erase(root.children.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                        root.children.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    root.children[first] = std::move(phrase);
    if (root.children.size() == 1) {
        query::Node only = std::move(root.children.front());
        root = std::move(only);
    }
    return text;
}

bool has_body_condition(const query::Node& root) {
    switch (root.kind) {
    case query::NodeKind::Words: return root.field == query::Field::Body;
    case query::NodeKind::Quantity: return true;
    case query::NodeKind::FileFilter:
    case query::NodeKind::LanguageFilter:
    case query::NodeKind::DateFilter: return false;
    case query::NodeKind::AndNot: return !root.children.empty() && has_body_condition(root.children.front());
    default:
        return std::any_of(root.children.begin(), root.children.end(),
                           [](const query::Node& c) { return has_body_condition(c); });
    }
}

}  // namespace cite::search
