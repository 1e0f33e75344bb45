#include "cite/search/copy_collapse.hpp"

#include "cite/index/similarity.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace cite::search {
namespace {

// One copy while collapsing, with what orders it.
struct Member {
    passage::Passage passage;
    index::GroupMember document;  // title, date, source and record: the canonical order
    bool ranked = false;          // among the ranked passages (may stand for the result)
};

struct Cluster {
    std::vector<Member> members;
    std::optional<std::string> term;  // copy-passage term of the first passage
    std::string story;                // canonical key of the first passage's group
    double score = 0;
};

bool member_before(const Member& a, const Member& b) {
    if (a.document.key() != b.document.key()) return index::canonical_before(a.document, b.document);
    return a.passage.ordinal < b.passage.ordinal;
}

}  // namespace

std::vector<CollapsedHit> collapse_copies(const std::vector<RankedPassage>& ranked, index::DuplicateFinder& finder,
                                          const index::IndexReader& reader) {
    std::vector<Cluster> clusters;
    for (const RankedPassage& r : ranked) {
        const passage::Passage& p = r.passage;
        const index::StoryGroup& group = finder.group(p.source, p.record);
        const std::string key = p.document_key();
        const index::GroupMember* self = group.find(key);
        Member member{p, self ? *self : index::GroupMember{p.source, p.record, {}, {}, std::nullopt}, true};
        const std::optional<std::string> term = index::copy_passage_term(p.text);
        const std::string story = group.canonical().key();
        Cluster* home = nullptr;
        for (Cluster& c : clusters) {
            if (term && c.term == term) {
                home = &c;
                break;
            }
            // A near-identical paragraph of another copy of the same story.
            const bool other_document = std::none_of(c.members.begin(), c.members.end(),
                                                     [&](const Member& m) { return m.document.key() == key; });
            if (c.story == story && other_document &&
                index::passage_similarity(c.members.front().passage.text, p.text) >= same_passage_similarity) {
                home = &c;
                break;
            }
        }
        if (home) {
            home->members.push_back(std::move(member));
            continue;
        }
        Cluster& c = clusters.emplace_back();
        c.term = term;
        c.story = story;
        c.score = r.score;
        c.members.push_back(std::move(member));
    }

    std::vector<CollapsedHit> out;
    out.reserve(clusters.size());
    const Xapian::Database& db = reader.database();
    for (Cluster& c : clusters) {
        // Copies with the same words elsewhere in the index, ranked or not.
        std::set<std::string> present;
        for (const Member& m : c.members) present.insert(index::unique_term(m.passage));
        for (const Xapian::docid id : finder.passage_copies(c.members.front().passage.text)) {
            passage::Passage copy = reader.passage(db.get_document(id));
            if (!present.insert(index::unique_term(copy)).second) continue;
            const index::StoryGroup& g = finder.group(copy.source, copy.record);
            const index::GroupMember* doc = g.find(copy.document_key());
            c.members.push_back(Member{std::move(copy), doc ? *doc : index::GroupMember{}, false});
        }
        std::stable_sort(c.members.begin(), c.members.end(), member_before);
        // The canonical copy among those the query found stands for the result.
        const auto lead = std::find_if(c.members.begin(), c.members.end(), [](const Member& m) { return m.ranked; });
        CollapsedHit hit;
        hit.passage = lead->passage;
        hit.score = c.score;
        const std::optional<std::string> lead_term = index::copy_passage_term(lead->passage.text);
        std::set<std::string> documents;
        for (auto it = c.members.begin(); it != c.members.end(); ++it) {
            if (it == lead) continue;
            const passage::DocumentMeta& meta = reader.document(it->passage.document_key());
            const bool same_words = lead_term ? index::copy_passage_term(it->passage.text) == lead_term
                                              : it->passage.text == lead->passage.text;
            hit.copies.push_back(evidence::CopyCitation{it->passage, meta, same_words});
            if (it->passage.document_key() != hit.passage.document_key()) documents.insert(it->passage.document_key());
        }
        hit.also_in = documents.size();
        out.push_back(std::move(hit));
    }
    return out;
}

std::size_t count_independent_sources(const std::vector<passage::Passage>& passages, index::DuplicateFinder& finder) {
    // Union-find over the passages: same story, or same words.
    std::vector<std::size_t> parent(passages.size());
    for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
    const auto find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    std::map<std::string, std::size_t> first_with;  // story or copy term -> a passage holding it
    for (std::size_t i = 0; i < passages.size(); ++i) {
        const passage::Passage& p = passages[i];
        std::vector<std::string> keys{"story:" + finder.group(p.source, p.record).canonical().key()};
        if (auto term = index::copy_passage_term(p.text)) keys.push_back("words:" + *term);
        for (const std::string& key : keys) {
            const auto [it, inserted] = first_with.emplace(key, i);
            if (!inserted) parent[find(i)] = find(it->second);
        }
    }
    std::set<std::size_t> roots;
    for (std::size_t i = 0; i < passages.size(); ++i) roots.insert(find(i));
    return roots.size();
}

std::size_t count_stories(const std::vector<std::pair<std::string, std::string>>& documents,
                          index::DuplicateFinder& finder) {
    std::set<std::string> stories;
    for (const auto& [source, record] : documents) stories.insert(finder.group(source, record).canonical().key());
    return stories.size();
}

}  // namespace cite::search
