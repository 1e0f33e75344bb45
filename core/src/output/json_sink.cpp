#include "cite/output/json_sink.hpp"

#include "cite/output/escape.hpp"

namespace cite::output {

namespace {

using ordered_json = nlohmann::ordered_json;

/// Line 0 means "no line" (JSONL records): null rather than a number that looks real.
ordered_json line_value(std::uint32_t line) {
    return line == 0 ? ordered_json(nullptr) : ordered_json(line);
}

ordered_json span_to_json(const evidence::EvidenceSpan& span) {
    ordered_json highlights = ordered_json::array();
    for (const auto& h : span.highlights)
        highlights.push_back(ordered_json{{"start_byte", h.begin}, {"end_byte", h.end}});
    return ordered_json{{"quote", span.quote},
                        {"start_byte", span.bytes.begin},
                        {"end_byte", span.bytes.end},
                        {"line", line_value(span.line)},
                        {"prefix", span.prefix},
                        {"suffix", span.suffix},
                        {"highlights", std::move(highlights)}};
}

std::string dump(const ordered_json& j, int indent) {
    // replace: never throw halfway through the output on a stray invalid byte.
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

ordered_json result_to_json(const evidence::CitedHit& hit) {
    const auto& p = hit.passage;
    ordered_json evidence = ordered_json::array();
    for (const auto& span : hit.evidence) evidence.push_back(span_to_json(span));
    return ordered_json{
        {"rank", hit.rank},
        {"score", round_score(hit.score)},
        {"citation", citation_label(hit)},
        {"source", p.source},
        {"record", p.record.empty() ? ordered_json(nullptr) : ordered_json(p.record)},
        {"paragraph", p.ordinal},
        {"line", line_value(citation_line(hit))},
        {"start_byte", p.bytes.begin},
        {"end_byte", p.bytes.end},
        {"title", hit.meta.title},
        {"authors", hit.meta.authors},
        {"date", hit.meta.date},
        {"publisher", hit.meta.publisher},
        {"container_title", hit.meta.container_title},
        {"sha256", hit.sha256},
        {"status", evidence::to_string(hit.status)},
        {"evidence", std::move(evidence)},
    };
}

void JsonSink::begin(const QueryInfo& query) {
    m_document = ordered_json{{"format_version", json_format_version},
                              {"query", query.query},
                              {"db", query.db},
                              {"offset", query.offset},
                              {"limit", query.limit},
                              {"total_matches", 0},
                              {"total_exact", true},
                              {"results", ordered_json::array()}};
}

void JsonSink::hit(const evidence::CitedHit& hit) {
    m_document["results"].push_back(result_to_json(hit));
}

void JsonSink::end(const SearchStats& stats) {
    // The totals are known only now; their keys were placed at begin() to keep field order.
    m_document["total_matches"] = stats.total_matches;
    m_document["total_exact"] = stats.total_exact;
    m_out << dump(m_document, 2) << '\n';
    m_out.flush();
}

void JsonLinesSink::write_line(const ordered_json& object) {
    m_out << dump(object, -1) << '\n';
    m_out.flush();
}

void JsonLinesSink::begin(const QueryInfo& query) {
    m_count = 0;
    write_line(ordered_json{{"type", "begin"},
                            {"format_version", json_format_version},
                            {"query", query.query},
                            {"db", query.db},
                            {"offset", query.offset},
                            {"limit", query.limit}});
}

void JsonLinesSink::hit(const evidence::CitedHit& hit) {
    ++m_count;
    ordered_json line{{"type", "result"}};
    line.update(result_to_json(hit));
    write_line(line);
}

void JsonLinesSink::end(const SearchStats& stats) {
    write_line(ordered_json{{"type", "end"},
                            {"results", m_count},
                            {"total_matches", stats.total_matches},
                            {"total_exact", stats.total_exact}});
}

}  // namespace cite::output
