#pragma once
// Alias groups: names that stand for the same topic ("Middle Corridor", "TITR"), read from
// an aliases.conf file at a corpus root.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

/// Names of one topic, in the order the file gives them.
using AliasGroup = std::vector<std::string>;

/// File name looked for at each corpus root. Not *.txt or *.md, so it is never an article.
inline constexpr const char* alias_file_name = "aliases.conf";

/// Parses alias-file text: one group per line, names separated by '|', surrounding white
/// space trimmed; blank lines and lines starting with '#' are ignored. Throws CorpusError
/// naming `origin` and the line for a group with fewer than two names, an empty name, or a
/// name in two groups (case-insensitively).
[[nodiscard]] std::vector<AliasGroup> parse_alias_groups(std::string_view text, const std::string& origin);

/// Reads and parses an alias file. Throws CorpusError.
[[nodiscard]] std::vector<AliasGroup> load_alias_file(const std::filesystem::path& file);

/// Throws CorpusError naming both groups when a name (letter case aside) is in two of them:
/// the groups of several corpora's aliases.conf, each checked alone when parsed.
void check_disjoint_alias_groups(const std::vector<AliasGroup>& groups);

}  // namespace cite::passage
