#pragma once
// Copies of one story, found from what the indexer stored (similarity.hpp): a document's
// group is every document linked to it by a chain of pairs at least same_story_similarity
// alike, and a paragraph's copies are the passages with its copy-passage term. Both are read
// from the index when asked for, so they follow every incremental update and span shards.

#include "cite/index/index_reader.hpp"
#include "cite/index/similarity.hpp"

#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cite::index {

/// One document of a group.
struct GroupMember {
    std::string source;  ///< path relative to the corpus root
    std::string record;  ///< JSONL record id; empty for text files
    std::string title;
    std::string date;    ///< catalog date as given; empty when unknown
    std::optional<Signature> signature;
    [[nodiscard]] std::string key() const { return record.empty() ? source : source + "#" + record; }
};

/// Copies of one story: the canonical copy first (the earliest catalog date; undated copies
/// after dated ones; ties and undated copies in corpus order), then the others in that order.
struct StoryGroup {
    std::vector<GroupMember> members;
    [[nodiscard]] const GroupMember& canonical() const { return members.front(); }
    [[nodiscard]] const GroupMember* find(const std::string& key) const;
};

/// True when `a` is the better canonical copy: the order of StoryGroup::members.
[[nodiscard]] bool canonical_before(const GroupMember& a, const GroupMember& b);

/// Finds groups and copies on an open index; caches what it has read, so one object serves
/// one snapshot of the index (make a new one after IndexReader::reopen). Not thread-safe.
class DuplicateFinder {
  public:
    explicit DuplicateFinder(const IndexReader& reader) : m_reader(reader) {}

    /// The group of the document `source` (and `record` for a JSONL record). A document with
    /// no copy, one too short for a signature, or one not in the index, is a group of one
    /// (itself; for an unknown document, a member without signature).
    const StoryGroup& group(const std::string& source, const std::string& record = {});

    /// Every document sharing an LSH band with the document but below same_story_similarity
    /// (so not linked to it directly), with its estimated similarity, most alike first: what
    /// came close. Empty for a document without signature or not in the index.
    std::vector<std::pair<GroupMember, double>> near_misses(const std::string& source, const std::string& record = {});

    /// Every group of two or more documents, in the corpus order of their canonical copies.
    std::vector<StoryGroup> all_groups();

    /// The passages (docids, ascending) that hold the same words as `text`, by its
    /// copy-passage term; empty for a text too short to have one.
    [[nodiscard]] std::vector<Xapian::docid> passage_copies(std::string_view text) const;

  private:
    struct Node {
        GroupMember member;
        Xapian::docid first_passage = 0;
    };
    std::optional<Node> node_of_first_passage(Xapian::docid docid) const;
    std::optional<Node> node_of(const std::string& source, const std::string& record) const;
    /// Documents sharing a band with `node`, each with its estimated similarity.
    std::vector<std::pair<Node, double>> candidates(const Node& node) const;
    std::vector<Node> neighbours(const Node& node) const;

    const IndexReader& m_reader;
    std::map<std::string, std::shared_ptr<const StoryGroup>, std::less<>> m_groups;  ///< by member key
};

}  // namespace cite::index
