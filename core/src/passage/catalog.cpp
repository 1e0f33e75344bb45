#include "cite/passage/catalog.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <utility>

namespace cite::passage {

void to_json(nlohmann::json& j, const DocumentMeta& meta) {
    j = nlohmann::json{{"title", meta.title},
                       {"authors", meta.authors},
                       {"publisher", meta.publisher},
                       {"container_title", meta.container_title},
                       {"date", meta.date}};
    // Only when set: a record without them keeps its serialization, and so its signature.
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"url", &meta.url},
                                     {"doi", &meta.doi},
                                     {"accessed", &meta.accessed},
                                     {"language", &meta.language},
                                     {"type", &meta.type},
                                     {"id", &meta.id}})
        if (!value->empty()) j[key] = *value;
}

namespace {

// The library's type errors name neither the field nor the record: these do.
std::string string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) throw CorpusError("\"" + std::string(key) + "\" must be a string, not " + it->type_name());
    return it->get<std::string>();
}

// The first of `keys` present: the catalog's snake_case name, then CSL's spelling.
std::string string_field(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (const auto it = j.find(key); it != j.end() && !it->is_null()) return string_field(j, key);
    return {};
}

bool is_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_key_punct(char c) { return c == '-' || c == ':' || c == '.' || c == '/'; }

}  // namespace

bool is_valid_citation_key(std::string_view key) {
    if (key.empty() || key.size() > 100 || !is_key_char(key.front()) || !is_key_char(key.back())) return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        if (is_key_char(key[i])) continue;
        if (!is_key_punct(key[i]) || !is_key_char(key[i + 1])) return false;  // key.back() is a key char
    }
    return true;
}

bool is_csl_type(std::string_view type) {
    // CSL 1.0.2, csl-data.json's "type" enum.
    static constexpr std::array<std::string_view, 45> types = {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
        "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
        "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
        "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
        "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
        "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"};
    return std::find(types.begin(), types.end(), type) != types.end();
}

void from_json(const nlohmann::json& j, DocumentMeta& meta) {
    meta.title = string_field(j, "title");
    meta.publisher = string_field(j, "publisher");
    meta.container_title = string_field(j, {"container_title", "container-title"});
    meta.date = string_field(j, "date");
    meta.url = string_field(j, {"url", "URL"});
    meta.doi = string_field(j, {"doi", "DOI"});
    meta.accessed = string_field(j, "accessed");
    meta.language = string_field(j, "language");
    meta.type = string_field(j, "type");
    if (!meta.type.empty() && !is_csl_type(meta.type))
        throw CorpusError("\"type\" must be a CSL item type such as article-newspaper, report or webpage, not \"" +
                          meta.type + "\"");
    meta.id = string_field(j, "id");
    if (!meta.id.empty() && !is_valid_citation_key(meta.id))
        throw CorpusError("\"id\" \"" + meta.id +
                          "\" cannot be a citation key: use ASCII letters and digits, with _ anywhere and "
                          "- : . / only between them");
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
    std::map<std::string, std::string> ids;  // id -> the entry that gave it
    try {
        const auto json = nlohmann::json::parse(bytes);
        if (!json.is_object() || !json.contains("files") || !json.at("files").is_object())
            throw CorpusError("'" + file.string() + "': expected an object with a \"files\" object");
        for (const auto& [source, entry] : json.at("files").items()) {
            if (!entry.is_object())
                throw CorpusError("'" + file.string() + "': entry \"" + source + "\" is not an object");
            try {
                auto meta = entry.get<DocumentMeta>();
                if (!meta.id.empty()) {
                    const auto [given, fresh] = ids.try_emplace(meta.id, source);
                    if (!fresh)
                        throw CorpusError("\"id\" \"" + meta.id + "\" is given to \"" + given->second +
                                          "\" too: citation keys must be unique");
                }
                catalog.m_entries.emplace(source, std::move(meta));
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
