#pragma once
// Query files for batch runs (evaluation, many claims at once).

#include <filesystem>
#include <string>
#include <vector>

namespace cite::search {

struct NamedQuery {
    std::string id;
    std::string text;
};

/// Reads `file`: JSON Lines of {"_id": ..., "text": ...} when it ends in .jsonl, else lines of
/// "ID<TAB>QUERY". Blank lines are skipped. Throws CorpusError naming the file and line.
[[nodiscard]] std::vector<NamedQuery> read_query_file(const std::filesystem::path& file);

}  // namespace cite::search
