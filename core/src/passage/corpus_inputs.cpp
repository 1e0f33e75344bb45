#include "cite/passage/corpus_inputs.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/source_text.hpp"

#include <fnmatch.h>

#include <set>

namespace fs = std::filesystem;

namespace cite::passage {

namespace {

class Resolver {
  public:
    Resolver(const std::function<bool(std::string_view)>& include, const std::vector<std::string>& exclude)
        : m_include(include), m_exclude(exclude) {}

    CorpusInputs run(const std::vector<fs::path>& inputs) {
        for (const fs::path& input : inputs) add_input(input);
        return std::move(m_out);
    }

  private:
    void add_input(const fs::path& input) {
        std::error_code ec;
        const auto status = fs::status(input, ec);
        if (!fs::exists(status)) throw CorpusError("corpus '" + input.string() + "' does not exist");
        const std::string root = fs::absolute(input, ec).lexically_normal().string();
        if (fs::is_directory(status)) {
            if (const fs::path file = input / alias_file_name; fs::exists(file, ec)) {
                auto groups = load_alias_file(file);
                m_out.aliases.insert(m_out.aliases.end(), groups.begin(), groups.end());
                check_disjoint_alias_groups(m_out.aliases);
            }
            const Catalog* catalog = nullptr;
            if (const fs::path file = input / Catalog::file_name; fs::exists(file, ec)) {
                m_out.catalogs.push_back(std::make_unique<Catalog>(Catalog::load(file)));
                catalog = m_out.catalogs.back().get();
            }
            std::vector<std::string> patterns = m_exclude;
            if (const fs::path file = input / ignore_file_name; fs::exists(file, ec)) {
                const std::string text = read_file_bytes(file);
                for_each_line(text, [&](std::size_t, std::string_view line) {
                    const auto range = analysis::trim_space(line, {0, line.size()});
                    const std::string_view pattern = line.substr(range.begin, range.size());
                    if (!pattern.empty() && pattern[0] != '#') patterns.emplace_back(pattern);
                });
            }
            CorpusListing listing = list_corpus_directory(input);
            for (std::string& w : listing.warnings) m_out.listing_warnings.emplace_back(input.string(), std::move(w));
            for (CorpusFile& f : listing.files)
                if (!is_excluded(f.source, patterns))
                    add(InputFile{std::move(f.path), std::move(f.source), root, false, catalog});
        } else if (fs::is_regular_file(status) && input.extension() == ".jsonl") {
            const std::string parent = fs::path(root).parent_path().string();
            add(InputFile{input, input.filename().string(), parent, true, nullptr});
        } else {
            throw CorpusError("corpus '" + input.string() + "' is neither a directory nor a .jsonl file");
        }
    }

    void add(InputFile file) {
        // Another shard's file: not this database's input at all (no duplicate warning either,
        // the shard that owns the path gives it).
        if (m_include && !m_include(file.source)) return;
        // The path is stored as text (file record, passage record) and cited, so it must be
        // UTF-8. The root is (index_paths' check_inputs): a bad byte is in the part below it.
        if (const auto bad = analysis::find_invalid_utf8(file.source)) {
            m_out.rejected.push_back({file.path, "invalid UTF-8 in its path '" +
                                                     analysis::escape_invalid_utf8(file.source) +
                                                     "' at byte offset " + std::to_string(*bad)});
            return;
        }
        if (!m_sources.insert(file.source).second) {
            m_out.rejected.push_back(
                {file.path, "another input already has a file named '" + file.source + "' relative to its root"});
            return;
        }
        m_out.files.push_back(std::move(file));
    }

    const std::function<bool(std::string_view)>& m_include;
    const std::vector<std::string>& m_exclude;
    CorpusInputs m_out;
    std::set<std::string, std::less<>> m_sources;
};

}  // namespace

CorpusInputs resolve_corpus_inputs(const std::vector<fs::path>& inputs,
                                   const std::function<bool(std::string_view)>& include,
                                   const std::vector<std::string>& exclude) {
    return Resolver(include, exclude).run(inputs);
}

bool is_excluded(std::string_view source, const std::vector<std::string>& patterns) {
    const std::string path(source);
    for (const std::string& pattern : patterns) {
        if (pattern.find('/') != std::string::npos) {
            // From the root: the file, or a directory above it.
            std::string p = pattern;
            if (p.starts_with("/")) p.erase(0, 1);
            while (p.ends_with("/")) p.pop_back();
            for (std::size_t end = path.find('/'); ; end = path.find('/', end + 1)) {
                const std::string prefix = path.substr(0, end);
                if (::fnmatch(p.c_str(), prefix.c_str(), FNM_PATHNAME) == 0) return true;
                if (end == std::string::npos) break;
            }
        } else {
            // Any component: a file name, or a directory's.
            for (std::size_t begin = 0;;) {
                const std::size_t end = path.find('/', begin);
                const std::string part = path.substr(begin, end == std::string::npos ? end : end - begin);
                if (::fnmatch(pattern.c_str(), part.c_str(), 0) == 0) return true;
                if (end == std::string::npos) break;
                begin = end + 1;
            }
        }
    }
    return false;
}

}  // namespace cite::passage
