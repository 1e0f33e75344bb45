#include "index_paths.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/index/shard_set.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace cite::index {

namespace {

// What Xapian's glass backend and the indexer write in a database directory (tables, the lock
// and version files, a new version before its rename; a shard set's stub and shards): a
// directory holding only these is a database, perhaps of a run killed before its first commit.
bool written_by_indexer(std::string_view name) {
    return name == "flintlock" || name == "iamglass" || name.ends_with(".glass") || name.ends_with(".tmp") ||
           name == stub_directory_file || name == std::string(stub_directory_file) + ".new" ||
           name.starts_with("shard-");
}

// `path` is `dir` or below it, both canonical.
bool is_within(const fs::path& path, const fs::path& dir) {
    return std::mismatch(dir.begin(), dir.end(), path.begin(), path.end()).first == dir.end();
}

}  // namespace

void check_inputs(const IndexOptions& options) {
    if (options.inputs.empty()) throw CorpusError("no corpus given");
    for (const fs::path& input : options.inputs) {
        const std::string shown = analysis::escape_invalid_utf8(input.string());
        std::error_code ec;
        if (!fs::exists(input, ec)) throw CorpusError("corpus '" + shown + "' does not exist");
        // As the writer stores it: a corpus root, or a JSONL file's folder and name.
        const std::string absolute = fs::absolute(input, ec).lexically_normal().string();
        if (const auto bad = analysis::find_invalid_utf8(absolute))
            throw CorpusError("corpus '" + shown + "': invalid UTF-8 in its absolute path '" +
                              analysis::escape_invalid_utf8(absolute) + "' at byte offset " + std::to_string(*bad) +
                              "; the index stores paths as UTF-8 text, so nothing was indexed");
    }
}

void check_database_path(const IndexOptions& options) {
    const fs::path& db = options.db_path;
    const std::string shown = analysis::escape_invalid_utf8(db.string());
    std::error_code ec;
    // Compared as the file system resolves them: through links, "..", relative paths.
    const fs::path resolved = fs::weakly_canonical(db, ec);
    for (const fs::path& input : options.inputs) {
        std::error_code root_ec;
        if (ec || !fs::is_directory(input, root_ec)) continue;  // a JSONL file is read alone
        const fs::path root = fs::canonical(input, root_ec);
        if (root_ec || !is_within(resolved, root)) continue;
        const std::string corpus = analysis::escape_invalid_utf8(input.string());
        throw IndexError("database '" + shown + (resolved == root ? "' is the corpus '" + corpus + "' itself"
                                                                  : "' is inside the corpus '" + corpus + "'") +
                         "; give --db a path outside every corpus");
    }
    if (!fs::is_directory(db, ec)) return;  // new (or a file, which cannot be created as one)
    bool database = false;
    std::vector<std::string> others;
    for (const auto& entry : fs::directory_iterator(db, ec)) {
        const std::string name = entry.path().filename().string();
        database = database || name == "iamglass" || name == stub_directory_file;
        if (!written_by_indexer(name)) others.push_back(name);
    }
    if (database || others.empty()) return;  // files beside a database are left alone, as ever
    throw IndexError("database '" + shown + "' is a directory that holds no database (it has '" +
                     analysis::escape_invalid_utf8(*std::min_element(others.begin(), others.end())) +
                     "'); give --db a new or empty directory, or a database the indexer wrote");
}

}  // namespace cite::index
