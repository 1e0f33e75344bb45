#include "cite/output/csv_sink.hpp"

#include "cite/output/escape.hpp"

#include <array>

namespace cite::output {

namespace {

constexpr std::array<std::string_view, 22> columns = {
    "rank",         "score",        "source",      "record",
    "paragraph",    "line",         "start_byte",  "end_byte",
    "quote",        "prefix",       "suffix",      "highlights",
    "title",        "authors",      "date",        "publisher",
    "sha256",       "status",       "mention_text", "mention_start_byte",
    "mention_end_byte", "alias"};

constexpr std::array<std::string_view, 2> count_columns = {"source", "count"};

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

void CsvSink::begin(const QueryInfo& query) {
    m_count_only = query.count_only;
    if (m_count_only)
        write_csv_row(m_out, count_columns);
    else
        write_csv_row(m_out, columns);
}

void CsvSink::hit(const evidence::CitedHit& hit) {
    if (m_count_only) return;  // no hit is expected; its row would not fit the count table
    const auto& p = hit.passage;
    const auto* mention = hit.mention ? &*hit.mention : nullptr;
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
            evidence::to_string(hit.status),
            mention && evidence::quotable(hit.status) ? mention->text : std::string(),  // withheld as the quote
            mention ? std::to_string(mention->bytes.begin) : std::string(),
            mention ? std::to_string(mention->bytes.end) : std::string(),
            mention ? mention->alias : std::string()};
    };
    if (hit.evidence.empty()) write_csv_row(m_out, row(nullptr));
    for (const auto& span : hit.evidence) write_csv_row(m_out, row(&span));
}

void CsvSink::end(const SearchStats& stats) {
    if (m_count_only && stats.mentions) {
        for (const auto& [source, n] : stats.mentions->per_file)
            write_csv_row(m_out, std::array<std::string, 2>{source, std::to_string(n)});
        const auto total = std::to_string(stats.mentions->total);
        write_csv_row(m_out, std::array<std::string, 2>{"TOTAL", total});
    }
    m_out.flush();
}

}  // namespace cite::output
