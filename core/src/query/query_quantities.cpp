// query::read_quantities: figures in queries become Quantity nodes.

#include "cite/query/query_parser.hpp"

namespace cite::query {
namespace {

// Worth matching by value: it has a unit (not just a year), a scale or a range. "2023" or
// "274200" alone stay words, matched as typed.
bool is_figure(const analysis::Quantity& q) {
    return (!q.unit.empty() && q.unit != "year") || q.has_scale || q.value_to.has_value();
}

bool is_plain_word(const Node& n) {
    return n.kind == NodeKind::Words && n.field == Field::Body && !n.quoted && n.alias.empty();
}

Node quantity_node(const analysis::Quantity& q, std::size_t position, std::string text) {
    Node n;
    n.kind = NodeKind::Quantity;
    n.quantity = q;
    n.position = position;
    n.text = std::move(text);
    return n;
}

// The one figure a Words node states, if its tokens are exactly that figure.
std::optional<analysis::Quantity> whole_figure(const Node& words) {
    const auto found = analysis::find_quantities(words.text, words.tokens);
    if (found.size() != 1 || !is_figure(found.front())) return std::nullopt;
    const auto& q = found.front();
    for (const analysis::Token& t : words.tokens)
        if (t.bytes.begin < q.bytes.begin || t.bytes.end > q.bytes.end) return std::nullopt;
    return q;
}

// In a Group, runs of plain words that together state one figure ("6 million tons").
void read_group(Node& group, analysis::Analyzer& analyzer) {
    std::vector<Node> out;
    for (std::size_t i = 0; i < group.children.size();) {
        if (!is_plain_word(group.children[i])) {
            out.push_back(std::move(group.children[i++]));
            continue;
        }
        // The run of plain words from i, as one text with each word's start remembered.
        std::string text;
        std::vector<std::size_t> starts;
        std::size_t end = i;
        for (; end < group.children.size() && is_plain_word(group.children[end]); ++end) {
            if (!text.empty()) text += ' ';
            starts.push_back(text.size());
            text += group.children[end].text;
        }
        starts.push_back(text.size() + 1);
        const auto figures = analysis::find_quantities(text, analyzer.analyze(text));
        std::size_t k = i;
        for (const auto& q : figures) {
            if (!is_figure(q)) continue;
            // Only figures made of whole words: the first word must start it, the last end it.
            std::size_t first = 0;
            while (first + 1 < starts.size() && starts[first + 1] <= q.bytes.begin) ++first;
            std::size_t last = first;
            while (last + 1 < starts.size() - 1 && starts[last + 1] < q.bytes.end) ++last;
            if (starts[first] != q.bytes.begin || starts[last + 1] - 1 < q.bytes.end) continue;
            if (starts[last] + group.children[i + last].text.size() != q.bytes.end) continue;
            while (k < i + first) out.push_back(std::move(group.children[k++]));
            out.push_back(quantity_node(q, group.children[i + first].position, text.substr(q.bytes.begin, q.bytes.size())));
            k = i + last + 1;
        }
        while (k < end) out.push_back(std::move(group.children[k++]));
        i = end;
    }
    group.children = std::move(out);
    if (group.children.size() == 1) {
        Node only = std::move(group.children.front());
        group = std::move(only);
    }
}

}  // namespace

void read_quantities(Node& root, analysis::Analyzer& analyzer) {
    if (root.kind == NodeKind::Words) {
        if (root.field != Field::Body || !root.alias.empty()) return;
        if (const auto q = whole_figure(root)) root = quantity_node(*q, root.position, root.text);
        return;
    }
    if (root.alias_group) return;
    if (root.kind == NodeKind::Group) read_group(root, analyzer);
    for (Node& child : root.children) read_quantities(child, analyzer);
}

}  // namespace cite::query
