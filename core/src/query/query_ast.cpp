#include "cite/query/query_ast.hpp"

#include "cite/index/schema.hpp"
#include "cite/passage/dates.hpp"

namespace cite::query {

namespace {

// 20240630 -> 2024-06-30, as --explain shows a date range's days.
std::string iso_day(const std::string& day) {
    if (day.size() != 8) return day;
    return day.substr(0, 4) + "-" + day.substr(4, 2) + "-" + day.substr(6, 2);
}

}  // namespace

bool date_within(const Node& filter, std::string_view date) {
    const auto days = passage::day_span(date);
    if (!days) return false;
    return (filter.date_from.empty() || days->first >= filter.date_from) &&
           (filter.date_to.empty() || days->last <= filter.date_to);
}

std::string to_string(const Node& node) {
    switch (node.kind) {
    case NodeKind::Words: {
        static constexpr const char* fields[] = {"", "title:", "author:", "publisher:"};
        std::string out = fields[static_cast<int>(node.field)];
        if (node.quoted || node.tokens.size() != 1) out += '"';
        bool first = true;
        for (const analysis::Token& t : node.tokens) {
            if (t.kind == analysis::TokenKind::Compound) {
                out += "|" + t.term;
                continue;
            }
            if (!first) out += ' ';
            // A case-sensitive word as the query language writes it.
            out += t.term.starts_with(index::prefix::cased) ? "case:" + t.cased : t.term;
            first = false;
        }
        if (node.quoted || node.tokens.size() != 1) out += '"';
        return out;
    }
    case NodeKind::FileFilter: return "file:" + node.pattern;
    case NodeKind::LanguageFilter: return "lang:" + node.pattern;
    case NodeKind::DateFilter: return "date:" + iso_day(node.date_from) + ".." + iso_day(node.date_to);
    case NodeKind::Quantity: return "qty:" + analysis::describe(node.quantity);
    default: break;
    }
    std::string out = "(";
    switch (node.kind) {
    case NodeKind::Group: out += "GROUP"; break;
    case NodeKind::And: out += "AND"; break;
    case NodeKind::Or: out += node.alias_group ? "ALIASES" : "OR"; break;
    case NodeKind::AndNot: out += "NOT"; break;
    case NodeKind::Near: out += "NEAR/" + std::to_string(node.window); break;
    default: break;
    }
    for (const Node& c : node.children) out += " " + to_string(c);
    return out + ")";
}

void enable_transliteration(Node& root) {
    if (root.kind == NodeKind::Words) root.transliterate = true;
    for (Node& c : root.children) enable_transliteration(c);
}

}  // namespace cite::query
