#include "cite/output/markdown_sink.hpp"

#include "cite/output/escape.hpp"
#include "cite/output/source_link.hpp"

#include <string>
#include <string_view>

namespace cite::output {

namespace {

// A CommonMark link destination in its <…> form, which takes parentheses unbalanced (a text
// fragment may hold them); what that form cannot hold is percent-encoded.
std::string markdown_link_destination(std::string_view url) {
    std::string out = "<";
    for (const char c : url) {
        if (c == '<') out += "%3C";
        else if (c == '\\') out += "%5C";
        else if (c == '>') out += "%3E";
        else if (c == ' ') out += "%20";
        else if (c == '\n' || c == '\r') continue;
        else out += c;
    }
    return out + ">";
}

}  // namespace

void MarkdownSink::begin(const QueryInfo&) {}

void MarkdownSink::hit(const evidence::CitedHit& hit) {
    switch (hit.status) {
    case evidence::SourceStatus::Stale:
        m_out << "> *(quote withheld: the file changed since it was indexed)*\n\n";
        break;
    case evidence::SourceStatus::Missing:
        m_out << "> *(quote withheld: the file is missing)*\n\n";
        break;
    case evidence::SourceStatus::Unchecked:  // quoted from the index; the citation says so
    case evidence::SourceStatus::Fresh:
        for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
            if (i > 0) m_out << ">\n";
            m_out << "> " << render_quote(hit.evidence[i], "**", "**", markdown_escape) << '\n';
        }
        if (!hit.evidence.empty()) m_out << '\n';
        break;
    }

    std::string citation = "— ";
    if (hit.mention) {
        citation += evidence::quotable(hit.status) ? "mention “" + markdown_escape(hit.mention->text) + "”"
                                                   : std::string("mention (text withheld)");
        if (!hit.mention->alias.empty())
            citation += " (alias " + markdown_escape(hit.mention->alias) + ")";
        citation += ", ";
    }
    if (const auto bib = markdown_bibliography(hit.meta); !bib.empty())
        citation += bib + (bib.back() == '.' ? " " : ". ");  // "Jr." takes no second period
    citation += markdown_code_span(hit.passage.document_key());
    citation += " ¶" + std::to_string(hit.passage.ordinal);
    if (const std::string locator = hit.passage.locator(); !locator.empty()) citation += ", " + locator;
    if (const auto line = citation_line(hit); line != 0) citation += ", l." + std::to_string(line);
    if (!hit.evidence.empty()) {
        citation += " (bytes ";
        for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
            if (i > 0) citation += ", ";
            const auto& bytes = hit.evidence[i].bytes;
            citation += std::to_string(bytes.begin) + "–" + std::to_string(bytes.end);
        }
        citation += ")";
    }
    // Links to the live source at each quote (a text fragment, or a PDF's page).
    for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
        const std::string link = quote_link(hit, hit.evidence[i]);
        if (link.empty()) continue;
        citation += hit.passage.page != 0 ? ", [open at the page](" : ", [open at the quote](";
        citation += markdown_link_destination(link) + ")";
        if (hit.passage.page != 0) break;  // one page for every quote of the passage
    }
    if (hit.status == evidence::SourceStatus::Unchecked) citation += ", not checked against the file (remote shard)";
    m_out << citation << ".\n\n";
}

void MarkdownSink::end(const SearchStats& stats) {
    if (stats.mentions) {
        const auto& mentions = *stats.mentions;
        if (mentions.total == 0) {
            m_out << "**No mentions**, exhaustive.\n";
        } else {
            std::size_t files = 0;
            for (const auto& [source, n] : mentions.per_file) files += n > 0 ? 1 : 0;
            m_out << "**" << counted(mentions.total, "mention") << "** in "
                  << counted(files, "file") << ", exhaustive.\n\n";
            for (const auto& [source, n] : mentions.per_file)
                if (n > 0) m_out << "- " << markdown_code_span(source) << ": " << n << '\n';
            if (!mentions.per_alias.empty()) {
                m_out << "\nBy alias:\n\n";
                for (const auto& [alias, n] : mentions.per_alias)
                    m_out << "- " << markdown_escape(alias) << ": " << n << '\n';
            }
        }
    }
    m_out.flush();
}

}  // namespace cite::output
