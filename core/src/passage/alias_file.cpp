#include "cite/passage/alias_file.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cite::passage {

namespace {

// Names compare without regard to ASCII letter case.
std::string name_key(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

}  // namespace

std::vector<AliasGroup> parse_alias_groups(std::string_view text, const std::string& origin) {
    check_text(text);
    std::vector<AliasGroup> groups;
    std::map<std::string, std::size_t> seen;  // lower-cased name -> line
    for_each_line(text.substr(utf8_bom_length(text)), [&](std::size_t line_number, std::string_view line) {
        const auto trimmed = analysis::trim_space(line, {0, line.size()});
        if (trimmed.empty() || line[trimmed.begin] == '#') return;
        const std::string where = origin + ":" + std::to_string(line_number) + ": ";
        AliasGroup group;
        std::size_t start = 0;
        while (start <= line.size()) {
            std::size_t bar = line.find('|', start);
            if (bar == std::string_view::npos) bar = line.size();
            const auto name = analysis::trim_space(line, {start, bar});
            if (name.empty()) throw CorpusError(where + "empty alias name");
            group.emplace_back(line.substr(name.begin, name.size()));
            start = bar + 1;
        }
        if (group.size() < 2) throw CorpusError(where + "an alias group needs at least two names separated by '|'");
        for (const std::string& name : group) {
            if (const auto [it, fresh] = seen.emplace(name_key(name), line_number); !fresh)
                throw CorpusError(where + "'" + name + "' is already in the group on line " + std::to_string(it->second));
        }
        groups.push_back(std::move(group));
    });
    return groups;
}

namespace {

std::string join_group(const AliasGroup& group) {
    std::string out;
    for (const std::string& name : group) out += (out.empty() ? "" : " | ") + name;
    return out;
}

bool same_group(const AliasGroup& a, const AliasGroup& b) {
    std::set<std::string> keys_a, keys_b;
    for (const std::string& name : a) keys_a.insert(name_key(name));
    for (const std::string& name : b) keys_b.insert(name_key(name));
    return keys_a == keys_b;
}

}  // namespace

void check_disjoint_alias_groups(const std::vector<AliasGroup>& groups) {
    std::map<std::string, std::size_t> group_of;  // lower-cased name -> index in groups
    for (std::size_t g = 0; g < groups.size(); ++g)
        for (const std::string& name : groups[g]) {
            // The same group in two files (letter case aside) is one group, not a conflict.
            if (const auto [it, fresh] = group_of.emplace(name_key(name), g); !fresh && it->second != g &&
                                                                   !same_group(groups[it->second], groups[g]))
                throw CorpusError("'" + name + "' is in two alias groups, '" + join_group(groups[it->second]) +
                                  "' and '" + join_group(groups[g]) + "': a name may belong to one group only");
        }
}

std::vector<AliasGroup> load_alias_file(const std::filesystem::path& file) {
    try {
        return parse_alias_groups(read_file_bytes(file), file.string());
    } catch (const CorpusError& e) {
        const std::string message = e.what();
        // read_file_bytes and check_text do not know the file's name; the parser does.
        if (message.starts_with(file.string())) throw;
        throw CorpusError("'" + file.string() + "': " + message);
    }
}

}  // namespace cite::passage
