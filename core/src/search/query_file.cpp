#include "cite/search/query_file.hpp"

#include "cite/error.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/source_text.hpp"

#include <iostream>
#include <iterator>
#include <map>

namespace cite::search {

std::vector<NamedQuery> read_query_file(const std::filesystem::path& file) {
    // "-": standard input, ID<TAB>QUERY lines.
    const std::string bytes = file == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                          : passage::read_file_bytes(file);
    const std::string name = file == "-" ? std::string("standard input") : "'" + file.string() + "'";
    std::vector<NamedQuery> out;
    if (file.extension() == ".jsonl") {
        try {
            passage::check_byte_order_mark(bytes);
        } catch (const CorpusError& e) {
            throw CorpusError(name + ": " + e.what());
        }
        // Same record rules as a JSONL corpus: "_id" (unique) and "text".
        passage::read_jsonl(
            bytes, [&](passage::JsonlRecord&& r) { out.push_back({std::move(r.id), std::move(r.text)}); },
            [&](std::size_t line, const std::string& message) {
                throw CorpusError(name + " line " + std::to_string(line) + ": " + message);
            });
        return out;
    }
    // A run file with one id twice cannot be scored: refused, like a JSONL file's.
    std::map<std::string, std::size_t, std::less<>> first_line;
    passage::for_each_line(bytes, [&](std::size_t line, std::string_view text) {
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.find_first_not_of(" \t") == std::string_view::npos) return;
        const std::size_t tab = text.find('\t');
        if (tab == std::string_view::npos || tab == 0)
            throw CorpusError(name + " line " + std::to_string(line) + ": expected ID<TAB>QUERY");
        const std::string id(text.substr(0, tab));
        if (const auto [at, fresh] = first_line.emplace(id, line); !fresh)
            throw CorpusError(name + " line " + std::to_string(line) + ": query id '" + id + "' is already used on line " +
                              std::to_string(at->second));
        out.push_back({id, std::string(text.substr(tab + 1))});
    });
    return out;
}

}  // namespace cite::search
