#include "cite/output/json_sink.hpp"

#include "cite/output/escape.hpp"
#include "cite/output/source_link.hpp"

namespace cite::output {

namespace {

using ordered_json = nlohmann::ordered_json;

/// Line 0 means "no line" (JSONL records): null rather than a number that looks real.
ordered_json line_value(std::uint32_t line) {
    return line == 0 ? ordered_json(nullptr) : ordered_json(line);
}

// How a highlight matched (docs/searching.md): its kind, the query's words it matched, the
// alias name or the figure's value and unit.
void add_matched_as(ordered_json& highlight, const evidence::MatchedAs& how) {
    highlight["matched_as"] = evidence::to_string(how.kind);
    if (!how.query_word.empty()) highlight["query_word"] = how.query_word;
    if (how.kind == evidence::MatchKind::Alias) highlight["alias"] = how.alias;
    if (how.figure) {
        ordered_json figure{{"value", how.figure->value}};
        if (how.figure->value_to) figure["value_to"] = *how.figure->value_to;
        figure["unit"] = how.figure->unit;
        highlight["figure"] = std::move(figure);
    }
}

ordered_json span_to_json(const evidence::CitedHit& hit, const evidence::EvidenceSpan& span) {
    ordered_json highlights = ordered_json::array();
    for (std::size_t i = 0; i < span.highlights.size(); ++i) {
        const auto& h = span.highlights[i];
        ordered_json highlight{{"start_byte", h.begin}, {"end_byte", h.end}};
        if (span.matched_as.size() == span.highlights.size()) add_matched_as(highlight, span.matched_as[i]);
        highlights.push_back(std::move(highlight));
    }
    ordered_json out{{"quote", span.quote},
                     {"start_byte", span.bytes.begin},
                     {"end_byte", span.bytes.end},
                     {"line", line_value(span.line)},
                     {"prefix", span.prefix},
                     {"suffix", span.suffix},
                     {"highlights", std::move(highlights)},
                     // The W3C Web Annotation Data Model's selector: the same quote, re-anchorable
                     // by its text where offsets would drift.
                     {"selector", ordered_json{{"type", "TextQuoteSelector"},
                                               {"exact", span.quote},
                                               {"prefix", span.prefix},
                                               {"suffix", span.suffix}}}};
    if (const std::string link = quote_link(hit, span); !link.empty()) out["link"] = link;
    return out;
}

// `quotable`: the file still holds what was indexed (or is a remote shard's, unchecked);
// otherwise the words are withheld, as the evidence is.
ordered_json mention_to_json(const evidence::Mention& mention, bool quotable) {
    return ordered_json{{"text", quotable ? ordered_json(mention.text) : ordered_json(nullptr)},
                        {"start_byte", mention.bytes.begin},
                        {"end_byte", mention.bytes.end},
                        {"line", line_value(mention.line)},
                        {"alias", mention.alias.empty() ? ordered_json(nullptr)
                                                        : ordered_json(mention.alias)}};
}

ordered_json copy_to_json(const evidence::CopyCitation& copy) {
    const passage::Passage& p = copy.passage;
    evidence::CitedHit as_hit;  // for the citation label: the paragraph's own line
    as_hit.passage = p;
    return ordered_json{{"citation", citation_label(as_hit)},
                        {"source", p.source},
                        {"record", p.record.empty() ? ordered_json(nullptr) : ordered_json(p.record)},
                        {"paragraph", p.ordinal},
                        {"line", line_value(p.line)},
                        {"start_byte", p.bytes.begin},
                        {"end_byte", p.bytes.end},
                        {"title", copy.meta.title},
                        {"date", copy.meta.date},
                        {"same_words", copy.same_words}};
}

// `complete`: every shard was searched (no limit applies in these modes, so the list is then
// exhaustive).
ordered_json summary_to_json(const MentionSummary& mentions, bool complete) {
    ordered_json per_file = ordered_json::array();
    for (const auto& [source, n] : mentions.per_file)
        per_file.push_back(ordered_json{{"source", source}, {"count", n}});
    ordered_json per_alias = ordered_json::array();
    for (const auto& [alias, n] : mentions.per_alias)
        per_alias.push_back(ordered_json{{"alias", alias}, {"count", n}});
    ordered_json out{{"total", mentions.total}, {"passages", mentions.passages}, {"documents", mentions.documents}};
    if (mentions.stories) out["stories"] = *mentions.stories;
    out.update(ordered_json{{"exhaustive", complete}, {"per_file", std::move(per_file)}, {"per_alias", std::move(per_alias)}});
    if (!mentions.phrase.empty()) out["read_as_phrase"] = mentions.phrase;
    if (mentions.fields_only) out["fields_only"] = true;
    return out;
}

const char* mode_name(const QueryInfo& query) {
    if (query.count_only) return "count";
    return query.exhaustive ? "mentions" : "ranked";
}

std::string dump(const ordered_json& j, int indent) {
    // replace: never throw halfway through the output on a stray invalid byte.
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

// The query's fields, shared by the JSON document and the JSONL begin line.
ordered_json query_fields(const QueryInfo& query) {
    ordered_json fields{{"format_version", json_format_version}, {"mode", mode_name(query)}};
    if (!query.id.empty()) fields["id"] = query.id;  // --batch: the query's id
    fields.update(ordered_json{{"query", query.query}, {"db", query.db}, {"offset", query.offset}, {"limit", query.limit}});
    return fields;
}

ordered_json unmatched_to_json(const std::vector<UnmatchedWord>& words) {
    ordered_json out = ordered_json::array();
    for (const UnmatchedWord& u : words) out.push_back(ordered_json{{"word", u.word}, {"nearest", u.nearest}});
    return out;
}

}  // namespace

ordered_json result_to_json(const evidence::CitedHit& hit) {
    const auto& p = hit.passage;
    ordered_json evidence = ordered_json::array();
    for (const auto& span : hit.evidence) evidence.push_back(span_to_json(hit, span));
    ordered_json result{
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
        {"language", hit.language},
    };
    if (!hit.meta.url.empty()) result["url"] = hit.meta.url;
    // Paged sources (PDF): the page every quote of the passage is on.
    if (p.page != 0) {
        result["page"] = p.page;
        result["page_label"] = p.page_label.empty() ? ordered_json(nullptr) : ordered_json(p.page_label);
    }
    // Sources in chapters (EPUB): the chapter the passage comes from, and its title.
    if (p.chapter != 0) {
        result["chapter"] = p.chapter;
        result["chapter_title"] = p.chapter_title.empty() ? ordered_json(nullptr) : ordered_json(p.chapter_title);
    }
    // Derived text layers: what the byte ranges point into (`indexer --extract` prints it).
    if (!hit.layer_sha256.empty()) result["layer_sha256"] = hit.layer_sha256;
    if (!hit.extractor.empty()) result["extractor"] = hit.extractor;
    if (!hit.transliterated.empty()) result["transliterated"] = hit.transliterated;
    if (hit.mention) result["mention"] = mention_to_json(*hit.mention, evidence::quotable(hit.status));
    if (!hit.copies.empty()) {
        result["also_in"] = hit.also_in;
        ordered_json copies = ordered_json::array();
        for (const evidence::CopyCitation& copy : hit.copies) copies.push_back(copy_to_json(copy));
        result["copies"] = std::move(copies);
    }
    return result;
}

ordered_json left_out_to_json(const std::vector<evidence::LeftOutSource>& left_out) {
    ordered_json out = ordered_json::array();
    for (const evidence::LeftOutSource& l : left_out)
        out.push_back(ordered_json{{"source", l.source},
                                   {"status", evidence::to_string(l.status)},
                                   {"reason", evidence::left_out_reason(l.status)}});
    return out;
}

void JsonSink::begin(const QueryInfo& query) {
    m_header = query_fields(query);
    m_results = ordered_json::array();
}

void JsonSink::hit(const evidence::CitedHit& hit) { m_results.push_back(result_to_json(hit)); }

void JsonSink::end(const SearchStats& stats) {
    // Assembled only now, so the totals and the summary, known last, come before the results.
    ordered_json document = m_header;
    document["total_matches"] = stats.total_matches;
    document["total_exact"] = stats.total_exact;
    if (stats.mentions) document["mentions"] = summary_to_json(*stats.mentions, stats.missing_shards.empty());
    if (!stats.missing_shards.empty()) document["missing_shards"] = stats.missing_shards;
    if (!stats.unmatched.empty()) document["unmatched_words"] = unmatched_to_json(stats.unmatched);
    if (stats.empty_index) document["empty_index"] = true;
    document["results"] = std::move(m_results);
    m_results = ordered_json::array();
    m_out << dump(document, 2) << '\n';
    m_out.flush();
}

void JsonLinesSink::write_line(const ordered_json& object) {
    m_out << dump(object, -1) << '\n';
    m_out.flush();
}

void JsonLinesSink::begin(const QueryInfo& query) {
    m_count = 0;
    ordered_json begin{{"type", "begin"}};
    begin.update(query_fields(query));
    write_line(begin);
}

void JsonLinesSink::hit(const evidence::CitedHit& hit) {
    ++m_count;
    ordered_json line{{"type", "result"}};
    line.update(result_to_json(hit));
    write_line(line);
}

void JsonLinesSink::end(const SearchStats& stats) {
    ordered_json line{{"type", "end"},
                      {"results", m_count},
                      {"total_matches", stats.total_matches},
                      {"total_exact", stats.total_exact}};
    if (stats.mentions) line["mentions"] = summary_to_json(*stats.mentions, stats.missing_shards.empty());
    if (!stats.missing_shards.empty()) line["missing_shards"] = stats.missing_shards;
    if (!stats.unmatched.empty()) line["unmatched_words"] = unmatched_to_json(stats.unmatched);
    if (stats.empty_index) line["empty_index"] = true;
    write_line(line);
}

}  // namespace cite::output
