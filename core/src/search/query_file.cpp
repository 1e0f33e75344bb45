#include "cite/search/query_file.hpp"

#include "cite/error.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/source_text.hpp"

namespace cite::search {

std::vector<NamedQuery> read_query_file(const std::filesystem::path& file) {
    const std::string bytes = passage::read_file_bytes(file);
    std::vector<NamedQuery> out;
    if (file.extension() == ".jsonl") {
        // Same record rules as a JSONL corpus: "_id" and "text".
        passage::read_jsonl(
            bytes, [&](passage::JsonlRecord&& r) { out.push_back({std::move(r.id), std::move(r.text)}); },
            [&](std::size_t line, const std::string& message) {
                throw CorpusError("'" + file.string() + "' line " + std::to_string(line) + ": " + message);
            });
        return out;
    }
    passage::for_each_line(bytes, [&](std::size_t line, std::string_view text) {
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.find_first_not_of(" \t") == std::string_view::npos) return;
        const std::size_t tab = text.find('\t');
        if (tab == std::string_view::npos || tab == 0)
            throw CorpusError("'" + file.string() + "' line " + std::to_string(line) + ": expected ID<TAB>QUERY");
        out.push_back({std::string(text.substr(0, tab)), std::string(text.substr(tab + 1))});
    });
    return out;
}

}  // namespace cite::search
