// Fuzzes the analyzer (and the UTF-8 check in front of it). Properties: the library's
// UTF-8 check agrees with the standard's table; on valid text every token's byte range lies
// inside the text, on character boundaries, in order; terms are valid UTF-8 of bounded
// length; and analysing the analyzer's own output (its terms, space-separated) gives the same
// terms again (idempotence).

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/utf8.hpp"

#include "fuzz_support.hpp"

#include <cstdint>

using namespace cite;

namespace {

std::vector<std::string> plain_terms(const std::vector<analysis::Token>& tokens) {
    std::vector<std::string> out;
    for (const analysis::Token& t : tokens)
        if (t.kind != analysis::TokenKind::Compound) out.push_back(t.term);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static analysis::Analyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto invalid = analysis::find_invalid_utf8(text);
    fuzz::require(invalid == fuzz::first_invalid_utf8(text), "find_invalid_utf8 disagrees with the UTF-8 table");
    if (invalid) return 0;  // the analyzer's precondition: callers check first

    const auto tokens = analyzer.analyze(text);
    std::uint32_t last_position = 0;
    std::size_t last_end = 0;
    analysis::ByteRange last_bytes;
    for (const analysis::Token& t : tokens) {
        fuzz::require(t.bytes.begin < t.bytes.end && t.bytes.end <= size, "token range outside the text");
        fuzz::require(fuzz::on_boundary(text, t.bytes.begin) && fuzz::on_boundary(text, t.bytes.end),
                      "token range splits a character");
        fuzz::require(!t.term.empty() && t.term.size() <= analysis::Analyzer::max_term_bytes, "term length");
        fuzz::require(!fuzz::first_invalid_utf8(t.term) && !fuzz::first_invalid_utf8(t.stem), "term not UTF-8");
        fuzz::require(t.term.find(' ') == std::string::npos, "term holds a space");
        if (t.kind == analysis::TokenKind::Compound) {
            fuzz::require(t.position == last_position && t.bytes.end == last_end,
                          "a joined form does not end with its last part");
            continue;
        }
        fuzz::require(t.position == last_position + 1, "positions are not consecutive");
        // A word whose normalised form falls apart gives several tokens over its one range.
        fuzz::require(t.bytes.begin >= last_end || t.bytes == last_bytes, "tokens overlap or are out of order");
        last_position = t.position;
        last_end = t.bytes.end;
        last_bytes = t.bytes;
    }

    const auto terms = plain_terms(tokens);
    std::string normalised;
    for (const std::string& term : terms) normalised += (normalised.empty() ? "" : " ") + term;
    const auto again = plain_terms(analyzer.analyze(normalised));
    if (again != terms) {
        std::string detail;
        for (std::size_t i = 0; i < std::max(terms.size(), again.size()); ++i) {
            const std::string a = i < terms.size() ? terms[i] : "-";
            const std::string b = i < again.size() ? again[i] : "-";
            if (a != b) {
                detail = "term " + std::to_string(i) + " '" + a + "' analysed again is '" + b + "'";
                break;
            }
        }
        fuzz::require(false, "not idempotent: " + detail);
    }
    return 0;
}
