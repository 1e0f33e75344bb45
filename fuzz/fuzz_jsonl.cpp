// Fuzzes the JSON Lines reader. Properties: every line is either a record or an error (or
// blank), never both; line numbers are in range and increasing; record ids are non-empty
// and unique; record texts are valid UTF-8 without NUL; and their paragraphs lie inside them.
// Nothing but the callbacks may be called: an exception escaping is a crash.

#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/paragraph_splitter.hpp"

#include "fuzz_support.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

using namespace cite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto lines = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
    std::set<std::size_t> seen_lines;
    std::set<std::string> ids;
    std::size_t last_line = 0;
    auto take_line = [&](std::size_t line) {
        fuzz::require(line >= 1 && line <= lines, "line number out of range");
        fuzz::require(line > last_line, "line numbers not increasing");
        fuzz::require(seen_lines.insert(line).second, "a line reported twice");
        last_line = line;
    };
    passage::read_jsonl(
        bytes,
        [&](passage::JsonlRecord&& record) {
            take_line(record.line);
            fuzz::require(!record.id.empty() && ids.insert(record.id).second, "empty or duplicate id");
            fuzz::require(!fuzz::first_invalid_utf8(record.text), "record text is not UTF-8");
            fuzz::require(record.text.find('\0') == std::string::npos, "NUL in record text");
            for (const passage::Paragraph& p : passage::split_paragraphs(record.text))
                fuzz::require(p.bytes.begin < p.bytes.end && p.bytes.end <= record.text.size(),
                              "paragraph outside the record");
        },
        [&](std::size_t line, const std::string& message) {
            take_line(line);
            fuzz::require(!message.empty(), "an error without a message");
        });
    return 0;
}
