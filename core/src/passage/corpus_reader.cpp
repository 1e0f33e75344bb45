#include "cite/passage/corpus_reader.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace cite::passage {

bool is_corpus_file_name(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.ends_with(".txt") || lower.ends_with(".md") || lower.ends_with(".markdown");
}

bool is_readme_name(std::string_view name) {
    return name.size() >= 6 && std::equal(name.begin(), name.begin() + 6, "README",
                                          [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; });
}

CorpusListing list_corpus_directory(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw CorpusError("'" + root.string() + "' is not a directory" + (ec ? ": " + ec.message() : ""));
    CorpusListing listing;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw CorpusError("cannot list '" + root.string() + "': " + ec.message());
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            listing.warnings.push_back("cannot list below '" + it->path().string() + "': " + ec.message());
            ec.clear();
            continue;
        }
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        if (name.starts_with(".")) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        // Regular files, and links to them; links to directories are not followed.
        if (!it->is_regular_file(ec) || !is_corpus_file_name(name)) continue;
        // A README at the root documents the corpus; it is not one of its articles.
        if (it.depth() == 0 && is_readme_name(name)) continue;
        listing.files.push_back({path, fs::relative(path, root, ec).generic_string()});
        if (ec) {
            listing.warnings.push_back("cannot name '" + path.string() + "' relative to the corpus root");
            listing.files.pop_back();
            ec.clear();
        }
    }
    std::sort(listing.files.begin(), listing.files.end(),
              [](const CorpusFile& a, const CorpusFile& b) { return a.source < b.source; });
    return listing;
}

void read_jsonl(std::string_view bytes, const std::function<void(JsonlRecord&&)>& on_record,
                const std::function<void(std::size_t, const std::string&)>& on_error) {
    std::set<std::string, std::less<>> seen;
    std::size_t line_number = 0;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        ++line_number;
        const std::size_t nl = bytes.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl;
        const std::string_view line = bytes.substr(pos, end - pos);
        pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
        if (analysis::trim_space(line, {0, line.size()}).empty()) continue;
        if (const auto bad = analysis::find_invalid_utf8(line)) {
            on_error(line_number, "invalid UTF-8 at byte offset " + std::to_string(*bad) + " of the line");
            continue;
        }
        try {
            const auto json = nlohmann::json::parse(line);
            if (!json.is_object()) throw CorpusError("not a JSON object");
            JsonlRecord record;
            const auto& id = json.at("_id");
            record.id = id.is_string() ? id.get<std::string>() : id.dump();
            if (record.id.empty()) throw CorpusError("empty \"_id\"");
            record.text = json.at("text").get<std::string>();
            if (record.text.find('\0') != std::string::npos) throw CorpusError("NUL character in \"text\"");
            record.meta = json.get<DocumentMeta>();
            record.line = line_number;
            if (!seen.insert(record.id).second) throw CorpusError("duplicate \"_id\" " + record.id);
            on_record(std::move(record));
        } catch (const nlohmann::json::exception& e) {
            on_error(line_number, e.what());
        } catch (const CorpusError& e) {
            on_error(line_number, e.what());
        }
    }
}

}  // namespace cite::passage
