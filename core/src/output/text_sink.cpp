#include "cite/output/text_sink.hpp"

#include "cite/output/escape.hpp"

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

}  // namespace

TextSink::TextSink(std::ostream& out, const SinkOptions& options)
    : m_out(out), m_options(options) {}

void TextSink::begin(const QueryInfo& query) {
    m_offset = query.offset;
    m_count = 0;
}

void TextSink::hit(const evidence::CitedHit& hit) {
    ++m_count;
    m_out << hit.rank << ". " << citation_label(hit) << "  score " << format_score(hit.score)
          << '\n';
    if (const auto bib = bibliography_line(hit.meta); !bib.empty()) m_out << "   " << bib << '\n';

    switch (hit.status) {
    case evidence::SourceStatus::Stale:
        m_out << "   ! the file changed since it was indexed (content hash differs): "
                 "quote withheld; re-run the indexer\n";
        break;
    case evidence::SourceStatus::Missing:
        m_out << "   ! the file is missing: quote withheld\n";
        break;
    case evidence::SourceStatus::Fresh:
        for (const auto& span : hit.evidence) {
            const auto open = m_options.color ? color_on : mark_open;
            const auto close = m_options.color ? color_off : mark_close;
            m_out << "   > " << render_quote(span, open, close, flatten_line_breaks) << '\n'
                  << "     bytes " << span.bytes.begin << '-' << span.bytes.end << '\n';
        }
        break;
    }
    m_out << '\n';
}

void TextSink::end(const SearchStats& stats) {
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

}  // namespace cite::output
