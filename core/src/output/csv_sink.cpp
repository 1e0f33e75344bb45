#include "cite/output/csv_sink.hpp"

#include "cite/output/escape.hpp"

#include <array>

namespace cite::output {

namespace {

constexpr std::array<std::string_view, 18> columns = {
    "rank",       "score",    "source", "record",    "paragraph", "line",
    "start_byte", "end_byte", "quote",  "prefix",    "suffix",    "highlights",
    "title",      "authors",  "date",   "publisher", "sha256",    "status"};

template <typename Fields>
void write_row(std::ostream& out, const Fields& fields) {
    bool first = true;
    for (const auto& field : fields) {
        if (!first) out << ',';
        first = false;
        out << csv_field(field);
    }
    out << "\r\n";  // RFC 4180 row end, whatever the platform
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return out;
}

std::string highlight_list(const std::vector<analysis::ByteRange>& highlights) {
    std::string out;
    for (const auto& h : highlights) {
        if (!out.empty()) out += ';';
        out += std::to_string(h.begin) + '-' + std::to_string(h.end);
    }
    return out;
}

}  // namespace

void CsvSink::begin(const QueryInfo&) { write_row(m_out, columns); }

void CsvSink::hit(const evidence::CitedHit& hit) {
    const auto& p = hit.passage;
    const auto& m = hit.meta;
    // In the order of `columns`; a null span leaves the span fields empty.
    const auto row = [&](const evidence::EvidenceSpan* span) {
        const auto number = [&](auto value) {
            return span ? std::to_string(value) : std::string();
        };
        return std::array<std::string, columns.size()>{
            std::to_string(hit.rank),
            format_score(hit.score),
            p.source,
            p.record,
            std::to_string(p.ordinal),
            span && span->line != 0 ? std::to_string(span->line) : std::string(),
            number(span ? span->bytes.begin : 0),
            number(span ? span->bytes.end : 0),
            span ? span->quote : std::string(),
            span ? span->prefix : std::string(),
            span ? span->suffix : std::string(),
            span ? highlight_list(span->highlights) : std::string(),
            m.title,
            join(m.authors, "; "),
            m.date,
            m.publisher,
            hit.sha256,
            evidence::to_string(hit.status)};
    };
    if (hit.evidence.empty()) write_row(m_out, row(nullptr));
    for (const auto& span : hit.evidence) write_row(m_out, row(&span));
}

void CsvSink::end(const SearchStats&) { m_out.flush(); }

}  // namespace cite::output
