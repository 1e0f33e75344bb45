#include "cite/index/duplicate_groups.hpp"

#include "cite/index/schema.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace cite::index {

const GroupMember* StoryGroup::find(const std::string& key) const {
    for (const GroupMember& m : members)
        if (m.key() == key) return &m;
    return nullptr;
}

bool canonical_before(const GroupMember& a, const GroupMember& b) {
    // ISO dates compare as strings; a dated copy is known to be at least that old, an undated
    // one is not, so dated copies come first.
    if (a.date.empty() != b.date.empty()) return !a.date.empty();
    if (a.date != b.date) return a.date < b.date;
    if (a.source != b.source) return a.source < b.source;
    return a.record < b.record;
}

std::optional<DuplicateFinder::Node> DuplicateFinder::node_of_first_passage(Xapian::docid docid) const {
    const Xapian::Document doc = m_reader.database().get_document(docid);
    const passage::Passage p = m_reader.passage(doc);
    Node node;
    node.first_passage = docid;
    node.member.source = p.source;
    node.member.record = p.record;
    const passage::DocumentMeta& meta = m_reader.document(p.document_key());
    node.member.title = meta.title;
    node.member.date = meta.date;
    node.member.signature = parse_signature(doc.get_value(slot::signature));
    return node;
}

std::optional<DuplicateFinder::Node> DuplicateFinder::node_of(const std::string& source, const std::string& record) const {
    passage::Passage first;
    first.source = source;
    first.record = record;
    first.ordinal = 1;
    const Xapian::Database& db = m_reader.database();
    const std::string term = unique_term(first);
    const auto it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return std::nullopt;
    return node_of_first_passage(*it);
}

std::vector<std::pair<DuplicateFinder::Node, double>> DuplicateFinder::candidates(const Node& node) const {
    std::vector<std::pair<Node, double>> out;
    if (!node.member.signature) return out;
    const Xapian::Database& db = m_reader.database();
    std::set<Xapian::docid> compared{node.first_passage};
    for (const std::string& term : band_terms(*node.member.signature)) {
        // Most bands hold the document alone; the frequency is cheaper to read than a posting
        // list is to open (about a third of the time, measured on BBC).
        if (db.get_termfreq(term) < 2) continue;
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            if (!compared.insert(*it).second) continue;
            std::optional<Node> candidate = node_of_first_passage(*it);
            if (!candidate || !candidate->member.signature) continue;
            const double similarity = estimated_similarity(*node.member.signature, *candidate->member.signature);
            out.emplace_back(std::move(*candidate), similarity);
        }
    }
    return out;
}

std::vector<DuplicateFinder::Node> DuplicateFinder::neighbours(const Node& node) const {
    // A shared band is only a candidate: the whole signature decides.
    std::vector<Node> out;
    for (auto& [candidate, similarity] : candidates(node))
        if (similarity >= same_story_similarity) out.push_back(std::move(candidate));
    return out;
}

std::vector<std::pair<GroupMember, double>> DuplicateFinder::near_misses(const std::string& source,
                                                                         const std::string& record) {
    std::vector<std::pair<GroupMember, double>> out;
    const std::optional<Node> node = node_of(source, record);
    if (!node) return out;
    for (auto& [candidate, similarity] : candidates(*node))
        if (similarity < same_story_similarity) out.emplace_back(std::move(candidate.member), similarity);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

const StoryGroup& DuplicateFinder::group(const std::string& source, const std::string& record) {
    const std::string key = record.empty() ? source : source + "#" + record;
    if (const auto it = m_groups.find(key); it != m_groups.end()) return *it->second;
    auto group = std::make_shared<StoryGroup>();
    std::optional<Node> start = node_of(source, record);
    if (!start) {
        group->members.push_back(GroupMember{source, record, {}, {}, std::nullopt});
    } else {
        // Breadth first over pairs above the threshold: the connected component.
        std::set<std::string> seen{key};
        std::deque<Node> queue{std::move(*start)};
        while (!queue.empty()) {
            Node node = std::move(queue.front());
            queue.pop_front();
            for (Node& next : neighbours(node))
                if (seen.insert(next.member.key()).second) queue.push_back(std::move(next));
            group->members.push_back(std::move(node.member));
        }
        std::sort(group->members.begin(), group->members.end(), canonical_before);
    }
    for (const GroupMember& m : group->members) m_groups[m.key()] = group;
    return *group;
}

std::vector<StoryGroup> DuplicateFinder::all_groups() {
    const Xapian::Database& db = m_reader.database();
    const std::string band_prefix(prefix::story_band);
    std::set<Xapian::docid> visited;
    std::set<std::string> emitted;
    std::vector<StoryGroup> out;
    for (auto term = db.allterms_begin(band_prefix); term != db.allterms_end(band_prefix); ++term) {
        if (term.get_termfreq() < 2) continue;
        for (auto it = db.postlist_begin(*term); it != db.postlist_end(*term); ++it) {
            if (!visited.insert(*it).second) continue;
            const passage::Passage p = m_reader.passage(db.get_document(*it));
            const StoryGroup& g = group(p.source, p.record);
            if (g.members.size() >= 2 && emitted.insert(g.canonical().key()).second) out.push_back(g);
        }
    }
    std::sort(out.begin(), out.end(), [](const StoryGroup& a, const StoryGroup& b) {
        const GroupMember& x = a.canonical();
        const GroupMember& y = b.canonical();
        return x.source != y.source ? x.source < y.source : x.record < y.record;
    });
    return out;
}

std::vector<Xapian::docid> DuplicateFinder::passage_copies(std::string_view text) const {
    std::vector<Xapian::docid> out;
    const auto term = copy_passage_term(text);
    if (!term) return out;
    const Xapian::Database& db = m_reader.database();
    for (auto it = db.postlist_begin(*term); it != db.postlist_end(*term); ++it) out.push_back(*it);
    return out;
}

}  // namespace cite::index
