#include "cite/query/alias_expander.hpp"

#include "cite/analysis/language.hpp"
#include "cite/query/query_parser.hpp"

#include <algorithm>

namespace cite::query {

std::vector<std::string> base_terms(const Node& words) {
    std::vector<std::string> out;
    for (const analysis::Token& t : words.tokens)
        if (t.kind != analysis::TokenKind::Compound) out.push_back(t.term);
    return out;
}

AliasTable::AliasTable(const std::vector<passage::AliasGroup>& groups, analysis::Analyzer& analyzer) {
    for (const passage::AliasGroup& group : groups) {
        Node expanded;
        expanded.kind = NodeKind::Or;
        expanded.alias_group = true;
        for (const std::string& name : group) {
            Node phrase;
            phrase.kind = NodeKind::Words;
            // "case:Apple" matches only as written; acronyms (US, WHO) do anyway.
            const bool marked = name.starts_with(case_marker);
            phrase.text = marked ? name.substr(case_marker.size()) : name;
            phrase.case_sensitive = marked;
            phrase.tokens = analyzer.analyze(phrase.text);
            // Exact words, as a mention count needs: "Corridors" is not "Corridor".
            phrase.quoted = true;
            phrase.alias = phrase.text;
            if (phrase.tokens.empty()) continue;
            // Named in any case ("titr" names the group of "TITR"), matched as written.
            const auto folded = base_terms(phrase);
            match_letter_case(phrase, true);
            // Russian inflects names of several words (Средний коридор, Среднего коридора):
            // a Cyrillic name matches by stems; Latin ones stay exact ("Corridors" is not one).
            phrase.stemmed_phrase = analysis::dominant_script(phrase.text) == "Cyrl";
            const auto terms = base_terms(phrase);
            m_longest = std::max(m_longest, terms.size());
            m_by_terms.emplace(terms, m_groups.size());
            m_by_terms.emplace(folded, m_groups.size());
            expanded.children.push_back(std::move(phrase));
        }
        if (!expanded.children.empty()) m_groups.push_back(std::move(expanded));
    }
}

const Node* AliasTable::find(const std::vector<std::string>& terms) const {
    const auto it = m_by_terms.find(terms);
    return it == m_by_terms.end() ? nullptr : &m_groups[it->second];
}

namespace {

bool is_plain_body_word(const Node& n) {
    return n.kind == NodeKind::Words && n.field == Field::Body && !n.quoted && n.alias.empty();
}

Node expansion_at(const Node& group, std::size_t position) {
    Node copy = group;
    copy.position = position;
    return copy;
}

// In a Group, the longest run of plain words starting at each child that names an alias.
void expand_group_runs(Node& group, const AliasTable& table) {
    std::vector<Node> out;
    for (std::size_t i = 0; i < group.children.size();) {
        std::size_t best_end = 0;
        const Node* best = nullptr;
        std::vector<std::string> terms;
        // Regression #7: runs were not bounded, so 4,000 pasted words took seconds and
        // 20,000 minutes (quadratic); no run longer than the longest alias can name one.
        for (std::size_t j = i; j < group.children.size() && terms.size() < table.longest() &&
                                is_plain_body_word(group.children[j]);
             ++j) {
            const auto more = base_terms(group.children[j]);
            terms.insert(terms.end(), more.begin(), more.end());
            if (j > i)
                if (const Node* found = table.find(terms)) {
                    best = found;
                    best_end = j + 1;
                }
        }
        if (best) {
            out.push_back(expansion_at(*best, group.children[i].position));
            i = best_end;
        } else {
            out.push_back(std::move(group.children[i++]));
        }
    }
    group.children = std::move(out);
    if (group.children.size() == 1) {
        Node only = std::move(group.children.front());
        group = std::move(only);
    }
}

}  // namespace

void expand_aliases(Node& root, const AliasTable& table) {
    if (table.empty()) return;
    if (root.kind == NodeKind::Words) {
        if (root.field != Field::Body || !root.alias.empty()) return;
        if (const Node* group = table.find(base_terms(root))) root = expansion_at(*group, root.position);
        return;
    }
    if (root.alias_group) return;
    if (root.kind == NodeKind::Group) expand_group_runs(root, table);
    for (Node& child : root.children) expand_aliases(child, table);
}

std::vector<std::string> alias_names(const Node& root) {
    std::vector<std::string> out;
    if (root.alias_group) {
        for (const Node& c : root.children) out.push_back(c.alias);
        return out;
    }
    // An excluded group (the right side of NOT) is never a mention: it is not counted.
    const std::size_t counted = root.kind == NodeKind::AndNot ? 1 : root.children.size();
    for (std::size_t i = 0; i < counted && i < root.children.size(); ++i) {
        for (std::string& name : alias_names(root.children[i]))
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    }
    return out;
}

}  // namespace cite::query
