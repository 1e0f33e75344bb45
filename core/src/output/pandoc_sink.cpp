#include "cite/output/pandoc_sink.hpp"

#include "cite/error.hpp"
#include "cite/output/csl_json_sink.hpp"
#include "cite/output/escape.hpp"
#include "cite/output/markdown_sink.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace cite::output {

std::string pandoc_escape(std::string_view text) {
    std::string out;
    for (const char c : markdown_escape(text)) {
        if (c == '@') out += '\\';
        out += c;
    }
    return out;
}

std::string pandoc_citation(const CitedSource& source, std::uint32_t paragraph, const std::string& locator) {
    // A page (CSL label "page") or chapter ("chap.": label "chapter") is the locator readers
    // expect of a book or report; the paragraph stays in the provenance comment.
    if (!locator.empty()) return "[@" + source.key + ", " + locator + "]";
    return "[@" + source.key + ", " + paragraph_locator({paragraph}) + "]";
}

void write_pandoc_front_matter(std::ostream& out, const std::string& bibliography_path) {
    // A single-quoted YAML scalar: only ' needs escaping, as ''.
    std::string quoted;
    for (const char c : bibliography_path) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    out << "---\nbibliography: '" << quoted << "'\nreference-section-title: References\n---\n\n";
}

std::string pandoc_provenance(const evidence::CitedHit& hit) {
    std::string out = "<!-- source " + hit.passage.document_key() + ", sha256 " + hit.sha256 + "; para " +
                      std::to_string(hit.passage.ordinal);
    if (const std::string locator = hit.passage.locator(); !locator.empty()) out += ", " + locator;
    if (const auto line = citation_line(hit); line != 0) out += ", line " + std::to_string(line);
    if (evidence::quotable(hit.status) && !hit.evidence.empty()) {
        out += ", bytes ";
        for (std::size_t i = 0; i < hit.evidence.size(); ++i)
            out += (i > 0 ? ", " : "") + std::to_string(hit.evidence[i].bytes.begin) + "–" +
                   std::to_string(hit.evidence[i].bytes.end);
    }
    // "--" may not appear inside an HTML comment; a path could hold it.
    std::string safe;
    for (std::size_t i = 0; i < out.size(); ++i) {
        safe += out[i];
        if (i >= 5 && out[i] == '-' && i + 1 < out.size() && out[i + 1] == '-') safe += ' ';
    }
    return safe + " -->";
}

void write_bibliography_file(const std::filesystem::path& path, const Bibliography& bibliography) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file) write_csl_json(file, bibliography);
    file.flush();
    if (!file) throw Error("cannot write the bibliography '" + path.string() + "': " + std::strerror(errno));
}

void PandocSink::begin(const QueryInfo&) {
    m_bibliography = Bibliography(m_keys);
    write_pandoc_front_matter(m_out, m_path);
}

void PandocSink::hit(const evidence::CitedHit& hit) {
    const CitedSource& source = m_bibliography.cite(hit);
    const std::string citation = pandoc_citation(source, hit.passage.ordinal, hit.passage.locator());
    if (!evidence::quotable(hit.status) || hit.evidence.empty()) {
        m_out << "> *(quote withheld: "
              << (hit.status == evidence::SourceStatus::Missing ? "the file is missing"
                                                                : "the file changed since it was indexed")
              << ")* " << citation << '\n';
    } else {
        for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
            if (i > 0) m_out << ">\n";
            m_out << "> " << render_quote(hit.evidence[i], "**", "**", pandoc_escape)
                  << (i + 1 == hit.evidence.size() ? " " + citation : std::string()) << '\n';
        }
    }
    m_out << '\n' << pandoc_provenance(hit) << "\n\n";
}

void PandocSink::end(const SearchStats& stats) {
    MarkdownSink(m_out).end(stats);
    write_bibliography_file(m_path, m_bibliography);
}

}  // namespace cite::output
