#pragma once
// Alias groups in queries: a query naming any alias of a group ("TITR", "Middle Corridor")
// matches every alias of it, each as an exact phrase labelled with its name.

#include "cite/analysis/analyzer.hpp"
#include "cite/passage/alias_file.hpp"
#include "cite/query/query_ast.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cite::query {

/// Written before an alias name in aliases.conf ("case:Apple"): the name matches only in the
/// letter case written. A name of acronyms (US, WHO) does without it (is_acronym).
inline constexpr std::string_view case_marker = "case:";

class AliasTable {
  public:
    AliasTable() = default;
    /// Analyses every alias name with `analyzer`, the index's analyzer.
    AliasTable(const std::vector<passage::AliasGroup>& groups, analysis::Analyzer& analyzer);

    [[nodiscard]] bool empty() const { return m_groups.empty(); }

    /// The expanded group (an Or node of labelled phrases) for an alias whose words are
    /// `terms` (normalised, without joined compound forms), or nullptr.
    [[nodiscard]] const Node* find(const std::vector<std::string>& terms) const;

    /// Words in the longest alias: no longer run of query words can name one.
    [[nodiscard]] std::size_t longest() const { return m_longest; }

  private:
    std::vector<Node> m_groups;
    std::map<std::vector<std::string>, std::size_t> m_by_terms;
    std::size_t m_longest = 0;
};

/// The words a Words node matches, in order, without joined compound forms.
[[nodiscard]] std::vector<std::string> base_terms(const Node& words);

/// Replaces, everywhere in `root`, a body Words node naming an alias — or a run of side-by-side
/// unquoted words that together name one ("Middle Corridor" typed without quotes) — by the
/// alias group.
void expand_aliases(Node& root, const AliasTable& table);

/// The alias names of every group in `root` outside an exclusion (NOT, -), in the order
/// they appear: what exhaustive mode counts mentions by.
[[nodiscard]] std::vector<std::string> alias_names(const Node& root);

}  // namespace cite::query
