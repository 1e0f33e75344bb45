#include "cite/passage/corpus_reader.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace cite::passage {

bool is_corpus_file_name(std::string_view name) {
    const std::string lower = analysis::ascii_lower(name);
    return lower.ends_with(".txt") || lower.ends_with(".md") || lower.ends_with(".markdown");
}

// README, README.md, readme.txt...: not "readmeow.txt", an article like any other.
bool is_readme_name(std::string_view name) {
    const bool readme = name.size() >= 6 && std::equal(name.begin(), name.begin() + 6, "README", [](char a, char b) {
        return std::toupper(static_cast<unsigned char>(a)) == b;
    });
    return readme && (name.size() == 6 || name[6] == '.');
}

CorpusListing list_corpus_directory(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw CorpusError("'" + root.string() + "' is not a directory" + (ec ? ": " + ec.message() : ""));
    CorpusListing listing;
    fs::recursive_directory_iterator it(root, ec);
    if (ec) throw CorpusError("cannot list '" + root.string() + "': " + ec.message());
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        std::error_code entry_ec;
        if (name.starts_with(".")) {
            if (it->is_directory(entry_ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) {
            // Regression #7: an unreadable subdirectory was passed over silently, so its files
            // looked deleted and lost their passages. Try it first; if it cannot be listed,
            // say so (no passages are then removed) and do not descend.
            std::error_code open_ec;
            const fs::directory_iterator probe(path, open_ec);
            if (open_ec) {
                listing.warnings.push_back("cannot list '" + path.string() + "': " + open_ec.message());
                it.disable_recursion_pending();
            }
            continue;
        }
        // Regular files, and links to them; links to directories are not followed.
        // Regression #7: a link that cannot be followed (a loop, or its target is gone) was
        // dropped silently; it is listed, so that reading it says why it is skipped.
        std::error_code type_ec;
        const bool regular = it->is_regular_file(type_ec);
        const bool broken_link = !regular && it->is_symlink(type_ec) && !fs::exists(fs::status(path, type_ec));
        if (!(regular || broken_link)) continue;
        // A README at the root documents the corpus; it is not one of its articles. Nor are
        // the corpus's own files.
        if (it.depth() == 0 && (is_readme_name(name) || name == "catalog.json" || name == "aliases.conf")) continue;
        // Lexically: fs::relative() resolves links, so a link was named after its target
        // (and a link loop could not be named at all).
        std::string source = path.lexically_relative(root).generic_string();
        if (source.empty() || source.starts_with("..")) {
            listing.warnings.push_back("cannot name '" + path.string() + "' relative to the corpus root");
            continue;
        }
        listing.files.push_back({path, std::move(source)});
    }
    // Any other error while advancing ends the iteration (the iterator becomes the end one),
    // so it can only be seen here; the files not reached must not look deleted.
    if (ec) listing.warnings.push_back("cannot list '" + root.string() + "' completely: " + ec.message());
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
            // Messages name the field: the library's say "key 'text' not found", or give a type.
            const auto id = json.find("_id");
            if (id == json.end()) throw CorpusError("missing \"_id\"");
            if (!id->is_string() && !id->is_number_integer() && !id->is_number_unsigned())
                throw CorpusError("\"_id\" must be a string or a whole number, not " + std::string(id->type_name()));
            record.id = id->is_string() ? id->get<std::string>() : id->dump();
            if (record.id.empty()) throw CorpusError("empty \"_id\"");
            const auto text = json.find("text");
            if (text == json.end()) throw CorpusError("missing \"text\"");
            if (!text->is_string()) throw CorpusError("\"text\" must be a string, not " + std::string(text->type_name()));
            record.text = text->get<std::string>();
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
