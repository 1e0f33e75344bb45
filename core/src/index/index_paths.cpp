#include "index_paths.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

namespace fs = std::filesystem;

namespace cite::index {

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

}  // namespace cite::index
