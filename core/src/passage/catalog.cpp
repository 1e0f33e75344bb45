#include "cite/passage/catalog.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cite::passage {

void to_json(nlohmann::json& j, const DocumentMeta& meta) {
    j = nlohmann::json{{"title", meta.title},
                       {"authors", meta.authors},
                       {"publisher", meta.publisher},
                       {"container_title", meta.container_title},
                       {"date", meta.date}};
    // Only when known: the records of documents without them stay as before.
    if (!meta.url.empty()) j["url"] = meta.url;
    if (!meta.doi.empty()) j["doi"] = meta.doi;
}

namespace {

// The library's type errors name neither the field nor the record: these do.
std::string string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) throw CorpusError("\"" + std::string(key) + "\" must be a string, not " + it->type_name());
    return it->get<std::string>();
}

}  // namespace

void from_json(const nlohmann::json& j, DocumentMeta& meta) {
    meta.title = string_field(j, "title");
    meta.publisher = string_field(j, "publisher");
    meta.container_title = string_field(j, "container_title");
    meta.date = string_field(j, "date");
    meta.url = string_field(j, "url");
    meta.doi = string_field(j, "doi");
    meta.authors.clear();
    for (const char* key : {"authors", "author"}) {
        const auto it = j.find(key);
        if (it == j.end() || it->is_null()) continue;
        if (it->is_string()) {
            meta.authors.push_back(it->get<std::string>());
        } else if (it->is_array() && std::all_of(it->begin(), it->end(), [](const auto& a) { return a.is_string(); })) {
            meta.authors = it->get<std::vector<std::string>>();
        } else {
            throw CorpusError("\"" + std::string(key) + "\" must be a string or a list of strings");
        }
        break;
    }
}

Catalog Catalog::load(const std::filesystem::path& file) {
    const std::string bytes = read_file_bytes(file);
    Catalog catalog;
    try {
        const auto json = nlohmann::json::parse(bytes);
        if (!json.is_object() || !json.contains("files") || !json.at("files").is_object())
            throw CorpusError("'" + file.string() + "': expected an object with a \"files\" object");
        for (const auto& [source, entry] : json.at("files").items()) {
            if (!entry.is_object())
                throw CorpusError("'" + file.string() + "': entry \"" + source + "\" is not an object");
            try {
                catalog.m_entries.emplace(source, entry.get<DocumentMeta>());
            } catch (const CorpusError& e) {
                throw CorpusError("'" + file.string() + "': entry \"" + source + "\": " + e.what());
            }
        }
    } catch (const nlohmann::json::exception& e) {
        // nlohmann's parse errors carry the byte position of the fault.
        throw CorpusError("'" + file.string() + "': " + e.what());
    }
    return catalog;
}

const DocumentMeta* Catalog::find(std::string_view source) const {
    const auto it = m_entries.find(source);
    return it == m_entries.end() ? nullptr : &it->second;
}

std::string derive_title(std::string_view text) {
    constexpr std::size_t max_bytes = 200;
    std::size_t pos = utf8_bom_length(text);
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        const auto line = analysis::trim_space(text, analysis::ByteRange{pos, end});
        if (!line.empty()) {
            std::size_t cut = std::min(line.size(), max_bytes);
            while (cut > 0 && !analysis::is_utf8_boundary(text, line.begin + cut)) --cut;
            return std::string(text.substr(line.begin, cut));
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return {};
}

}  // namespace cite::passage
