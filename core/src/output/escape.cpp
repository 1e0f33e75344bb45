#include "cite/output/escape.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace cite::output {

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string flatten_line_breaks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_break = false;
    for (const char c : text) {
        if (c == '\r' || c == '\n') {
            if (!in_break) out += ' ';
            in_break = true;
            continue;
        }
        in_break = false;
        out += c;
    }
    return out;
}

std::string markdown_code_span(std::string_view text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const std::string fence(longest + 1, '`');
    // A space keeps a backtick at either end from joining the fence; CommonMark strips it.
    const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
    return fence + (pad ? " " : "") + flatten_line_breaks(text) + (pad ? " " : "") + fence;
}

std::string markdown_bibliography(const passage::DocumentMeta& meta) {
    std::vector<std::string> parts;
    if (!meta.title.empty()) parts.push_back("*" + markdown_escape(meta.title) + "*");
    for (const auto& author : meta.authors) parts.push_back(markdown_escape(author));
    if (!meta.publisher.empty()) parts.push_back(markdown_escape(meta.publisher));
    if (!meta.date.empty()) parts.push_back(markdown_escape(meta.date));
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

std::string markdown_left_out(const std::vector<evidence::LeftOutSource>& left_out, std::string_view what) {
    if (left_out.empty()) return {};
    std::string out = "Left out of " + std::string(what) + "; re-run the indexer to check against " +
                      (left_out.size() == 1 ? "it" : "them") + ":\n\n";
    for (const evidence::LeftOutSource& l : left_out)
        out += "- " + markdown_code_span(l.source) + " " + evidence::left_out_reason(l.status) + "\n";
    return out;
}

std::string counted(std::size_t n, std::string_view noun) {
    return std::to_string(n) + ' ' + std::string(noun) + (n == 1 ? "" : "s");
}

std::string markdown_escape(std::string_view text) {
    constexpr std::string_view special = "\\`*_[]<>#|";
    std::string out;
    out.reserve(text.size());
    for (const char c : flatten_line_breaks(text)) {
        // Bytes of multi-byte UTF-8 sequences are >= 0x80 and never match an ASCII marker.
        if (special.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string render_quote(const evidence::EvidenceSpan& span, std::string_view open,
                         std::string_view close, TextFilter filter) {
    const std::string_view quote = span.quote;
    const std::size_t base = span.bytes.begin;

    // Highlights relative to the quote, clipped, sorted, merged.
    std::vector<analysis::ByteRange> marks;
    for (const auto& h : span.highlights) {
        const std::size_t b = std::clamp(h.begin, base, base + quote.size()) - base;
        const std::size_t e = std::clamp(h.end, base, base + quote.size()) - base;
        if (b < e) marks.push_back({b, e});
    }
    std::sort(marks.begin(), marks.end(),
              [](const auto& x, const auto& y) { return x.begin < y.begin; });
    std::vector<analysis::ByteRange> merged;
    for (const auto& m : marks) {
        if (!merged.empty() && m.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, m.end);
        else
            merged.push_back(m);
    }

    std::string out;
    std::size_t pos = 0;
    for (const auto& m : merged) {
        out += filter(quote.substr(pos, m.begin - pos));
        out += open;
        out += filter(quote.substr(m.begin, m.size()));
        out += close;
        pos = m.end;
    }
    out += filter(quote.substr(pos));
    return out;
}

std::uint32_t citation_line(const evidence::CitedHit& hit) {
    if (hit.mention && hit.mention->line != 0) return hit.mention->line;
    return hit.evidence.empty() ? hit.passage.line : hit.evidence.front().line;
}

std::string citation_label(const evidence::CitedHit& hit) {
    std::string label = hit.passage.document_key();
    label += " ¶";
    label += std::to_string(hit.passage.ordinal);
    if (const std::string locator = hit.passage.locator(); !locator.empty()) label += " " + locator;
    if (const auto line = citation_line(hit); line != 0) {
        label += " l.";
        label += std::to_string(line);
    }
    return label;
}

std::string format_score(double score) {
    // Round as round_score() does first, so text and CSV show the number JSON holds:
    // 12.40795 is stored as 12.4079499…, which to_chars alone would print as 12.4079.
    // std::to_chars ignores the global locale, unlike printf and iostreams.
    char buffer[512];  // fixed notation of DBL_MAX needs 309 digits + ".dddd"
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, round_score(score),
                                      std::chars_format::fixed, 4);
    return std::string(buffer, result.ptr);
}

double round_score(double score) { return std::round(score * 1e4) / 1e4; }

}  // namespace cite::output
