#include "cite/query/query_ast.hpp"

#include "cite/index/schema.hpp"

namespace cite::query {

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
