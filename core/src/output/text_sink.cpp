#include "cite/output/text_sink.hpp"

#include "cite/output/escape.hpp"
#include "cite/output/source_link.hpp"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace cite::output {

namespace {

constexpr std::string_view color_on = "\033[1;31m";
constexpr std::string_view color_off = "\033[0m";
constexpr std::string_view mark_open = "«";
constexpr std::string_view mark_close = "»";

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

/// "Title — Author One, Author Two (2021)", leaving out what is unknown.
std::string bibliography_line(const passage::DocumentMeta& meta) {
    std::string line = flatten_line_breaks(meta.title);
    if (!meta.authors.empty()) {
        if (!line.empty()) line += " — ";
        line += flatten_line_breaks(join(meta.authors, ", "));
    }
    if (!meta.date.empty()) {
        if (!line.empty()) line += ' ';
        line += "(" + flatten_line_breaks(meta.date) + ")";
    }
    return line;
}

// 31000000000, 2.5: the shortest fixed notation that reads back as `value`.
std::string plain_number(double value) {
    char buffer[512];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

// How the highlights that did not match exactly as typed matched: "«executive» stem of
// executed, «Assemblée» folded from assemblee"; "" when every one matched exactly.
std::string matched_line(const evidence::EvidenceSpan& span, std::string_view open, std::string_view close) {
    if (span.matched_as.size() != span.highlights.size()) return {};
    std::string out;
    for (std::size_t i = 0; i < span.highlights.size(); ++i) {
        const evidence::MatchedAs& how = span.matched_as[i];
        if (how.kind == evidence::MatchKind::Exact) continue;
        const auto& h = span.highlights[i];
        if (h.begin < span.bytes.begin || h.end > span.bytes.end) continue;
        if (!out.empty()) out += ", ";
        out += std::string(open) + flatten_line_breaks(span.quote.substr(h.begin - span.bytes.begin, h.size())) +
               std::string(close) + ' ' + evidence::to_string(how.kind);
        switch (how.kind) {
        case evidence::MatchKind::Alias: out += " " + flatten_line_breaks(how.alias); break;
        case evidence::MatchKind::Figure:
            out += " " + plain_number(how.figure->value);
            if (how.figure->value_to) out += "-" + plain_number(*how.figure->value_to);
            if (!how.figure->unit.empty()) out += " " + how.figure->unit;
            break;
        case evidence::MatchKind::Stem: out += " of " + flatten_line_breaks(how.query_word); break;
        default: out += " from " + flatten_line_breaks(how.query_word); break;
        }
    }
    return out;
}

}  // namespace

TextSink::TextSink(std::ostream& out, const SinkOptions& options)
    : m_out(out), m_options(options) {}

void TextSink::begin(const QueryInfo& query) {
    // --batch: each query's results under its id, so they can be told apart.
    if (!query.id.empty())
        m_out << (m_queries++ > 0 ? "\n" : "") << "query " << query.id << ": " << flatten_line_breaks(query.query) << "\n\n";
    m_offset = query.offset;
    m_count = 0;
    m_count_only = query.count_only;
}

void TextSink::hit(const evidence::CitedHit& hit) {
    ++m_count;
    const auto open = m_options.color ? color_on : mark_open;
    const auto close = m_options.color ? color_off : mark_close;
    m_out << hit.rank << ". " << citation_label(hit);
    if (hit.mention) {
        // A stale or missing file's words are withheld with its quote (the line below says why).
        if (evidence::quotable(hit.status))
            m_out << "  mention " << open << flatten_line_breaks(hit.mention->text) << close;
        else
            m_out << "  mention (text withheld)";
        if (!hit.mention->alias.empty())
            m_out << "  alias " << flatten_line_breaks(hit.mention->alias);
    } else {
        m_out << "  score " << format_score(hit.score);
    }
    m_out << '\n';
    if (const auto bib = bibliography_line(hit.meta); !bib.empty()) m_out << "   " << bib << '\n';
    if (!hit.copies.empty()) {
        // Copies of the passage (docs/duplicates.md), each citable where it stands.
        m_out << "   also in " << counted(hit.also_in, "other source") << ':';
        for (std::size_t i = 0; i < hit.copies.size(); ++i) {
            const evidence::CopyCitation& copy = hit.copies[i];
            m_out << (i == 0 ? " " : ", ") << flatten_line_breaks(copy.passage.document_key()) << " ¶"
                  << copy.passage.ordinal;
            if (!copy.same_words) m_out << " (near-identical)";
        }
        m_out << '\n';
    }
    if (!hit.transliterated.empty()) {
        // Said, since the reader sees another script than the one typed.
        m_out << "   matched through transliteration:";
        for (const std::string& word : hit.transliterated) m_out << ' ' << flatten_line_breaks(word);
        m_out << " (" << hit.language << ")\n";
    }

    switch (hit.status) {
    case evidence::SourceStatus::Stale:
        m_out << "   ! the file changed since it was indexed (content hash differs): "
                 "quote withheld; re-run the indexer\n";
        break;
    case evidence::SourceStatus::Missing:
        m_out << "   ! the file is missing: quote withheld\n";
        break;
    case evidence::SourceStatus::Unchecked:
        m_out << "   ! not checked against the file (a remote shard's; not on this machine): "
                 "quoted from the index\n";
        [[fallthrough]];
    case evidence::SourceStatus::Fresh:
        for (const auto& span : hit.evidence) {
            m_out << "   > " << render_quote(span, open, close, flatten_line_breaks) << '\n'
                  << "     bytes " << span.bytes.begin << '-' << span.bytes.end << '\n';
            if (const std::string link = quote_link(hit, span); !link.empty()) m_out << "     " << link << '\n';
            if (const std::string how = matched_line(span, open, close); !how.empty()) m_out << "     matched " << how << '\n';
        }
        break;
    }
    m_out << '\n';
}

void TextSink::end(const SearchStats& stats) {
    write_summary(stats);
    if (!stats.missing_shards.empty()) {
        m_out << "partial results: " << counted(stats.missing_shards.size(), "shard")
              << " could not be searched:";
        for (const std::string& name : stats.missing_shards) m_out << ' ' << flatten_line_breaks(name);
        m_out << '\n';
    }
}

void TextSink::write_summary(const SearchStats& stats) {
    if (stats.empty_index) {
        m_out << "the index is empty: it holds no passage (index a corpus into it first)\n";
        return;
    }
    for (const UnmatchedWord& u : stats.unmatched) {
        m_out << "no passage holds '" << flatten_line_breaks(u.word) << "'";
        if (!u.nearest.empty()) m_out << "; the nearest indexed word is '" << flatten_line_breaks(u.nearest) << "'";
        m_out << '\n';
    }
    if (stats.mentions) {
        write_mention_summary(*stats.mentions, stats.missing_shards.empty());
        return;
    }
    const std::string_view estimated = stats.total_exact ? "" : " (estimated)";
    if (m_count == 0) {
        if (stats.total_matches == 0)
            m_out << "no results\n";
        else  // --offset went past the last match
            m_out << "no results at offset " << m_offset << ": " << stats.total_matches << estimated
                  << " passage(s) match\n";
        return;
    }
    m_out << m_count << " result(s) shown, passages " << m_offset + 1 << '-' << m_offset + m_count
          << " of " << stats.total_matches << estimated << " matching\n";
}

void TextSink::write_mention_summary(const MentionSummary& mentions, bool complete) {
    if (!mentions.phrase.empty())
        m_out << "read as one phrase: \"" << flatten_line_breaks(mentions.phrase)
              << "\" (join the words with AND or OR to count them apart)\n";
    if (mentions.fields_only)
        m_out << "the query names catalog fields only: each matching passage is listed as one mention\n";
    if (mentions.total == 0) {
        m_out << "no mentions\n";
        return;
    }
    std::size_t files = 0;
    for (const auto& [source, n] : mentions.per_file) files += n > 0 ? 1 : 0;
    m_out << counted(mentions.total, "mention") << " in " << counted(files, "file") << " ("
          << counted(mentions.passages, "passage");
    // Copies of one story count once (docs/duplicates.md).
    if (mentions.stories)
        m_out << ", " << counted(mentions.documents, "document") << ", " << *mentions.stories
              << (*mentions.stories == 1 ? " distinct story" : " distinct stories");
    m_out
          << (complete ? "); exhaustive: every occurrence in the index is "
                       : "); every occurrence in the shards searched is ")
          << (m_count_only ? "counted" : "listed") << '\n';
    for (const auto& [source, n] : mentions.per_file)
        if (n > 0) m_out << "  " << flatten_line_breaks(source) << ": " << n << '\n';
    if (!mentions.per_alias.empty()) {
        m_out << "  by alias:";
        for (std::size_t i = 0; i < mentions.per_alias.size(); ++i)
            m_out << (i == 0 ? " " : ", ") << flatten_line_breaks(mentions.per_alias[i].first)
                  << ' ' << mentions.per_alias[i].second;
        m_out << '\n';
    }
}

}  // namespace cite::output
