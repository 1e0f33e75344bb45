#include "cite/output/bibliography.hpp"

#include "cite/output/bibtex_sink.hpp"
#include "cite/output/csl_json_sink.hpp"
#include "cite/output/escape.hpp"
#include "cite/output/ris_sink.hpp"

#include <algorithm>
#include <cassert>

namespace cite::output {

const CitedSource& Bibliography::cite(const evidence::CitedHit& hit) {
    const auto& p = hit.passage;
    const std::string document = p.document_key();
    auto [at, inserted] = m_index.try_emplace(document, m_sources.size());
    if (inserted) {
        CitedSource source{m_keys ? m_keys->key(document, hit.meta) : citation_key_base(hit.meta),
                           document, p.source, p.record, hit.sha256, hit.meta, {}};
        // Two documents of one corpus never share a key in the corpus's table; without one
        // (or for a document indexed after it was made) they may here.
        const std::string base = source.key;
        for (std::size_t n = 1; !m_used_keys.insert(source.key).second; ++n) {
            std::string suffix;
            for (std::size_t k = n;; k /= 26) {
                suffix.insert(suffix.begin(), static_cast<char>('a' + k % 26));
                if (k < 26) break;
            }
            source.key = base + "-" + suffix;
        }
        m_sources.push_back(std::move(source));
    }
    CitedSource& source = m_sources[at->second];
    auto paragraph = std::find_if(source.paragraphs.begin(), source.paragraphs.end(),
                                  [&](const CitedParagraph& c) { return c.paragraph == p.ordinal; });
    if (paragraph == source.paragraphs.end()) {
        source.paragraphs.push_back({p.ordinal, citation_line(hit), p.page, p.page_label, p.chapter, p.chapter_title, {}});
        paragraph = source.paragraphs.end() - 1;
    }
    if (evidence::quotable(hit.status))
        for (const auto& span : hit.evidence)
            if (std::none_of(paragraph->quotes.begin(), paragraph->quotes.end(),
                             [&](const evidence::EvidenceSpan& q) { return q.bytes == span.bytes; }))
                paragraph->quotes.push_back(span);
    return source;
}

std::string csl_type(const passage::DocumentMeta& meta) {
    if (!meta.type.empty()) return meta.type;
    if (!meta.container_title.empty()) return "article-newspaper";
    if (!meta.url.empty()) return "webpage";
    return "article";
}

std::string paragraph_locator(const std::vector<std::uint32_t>& paragraphs) {
    std::string out = paragraphs.size() == 1 ? "para " : "paras ";
    for (std::size_t i = 0; i < paragraphs.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(paragraphs[i]);
    return out;
}

std::vector<std::string> paragraph_notes(const CitedSource& source) {
    std::vector<std::string> notes;
    for (const auto& c : source.paragraphs) {
        std::string note = "para " + std::to_string(c.paragraph);
        if (c.page != 0) note += ", p. " + (c.page_label.empty() ? std::to_string(c.page) : c.page_label);
        if (c.chapter != 0) note += ", chap. " + std::to_string(c.chapter);
        if (c.line != 0) note += ", line " + std::to_string(c.line);
        if (c.quotes.empty()) {
            note += ": quote withheld (the file changed or is missing since it was indexed)";
        } else {
            for (std::size_t i = 0; i < c.quotes.size(); ++i) {
                const auto& q = c.quotes[i];
                note += (i == 0 ? ", bytes " : "; bytes ") + std::to_string(q.bytes.begin) + "–" +
                        std::to_string(q.bytes.end) + ": “" + flatten_line_breaks(q.quote) + "”";
            }
        }
        notes.push_back(std::move(note));
    }
    return notes;
}

void write_bibliography(Format format, std::ostream& out, const Bibliography& bibliography) {
    switch (format) {
    case Format::CslJson: write_csl_json(out, bibliography); break;
    case Format::Bibtex: write_bibtex(out, bibliography, BibDialect::Bibtex); break;
    case Format::Biblatex: write_bibtex(out, bibliography, BibDialect::Biblatex); break;
    case Format::Ris: write_ris(out, bibliography); break;
    default: assert(false && "not a bibliography format"); break;
    }
    out.flush();
}

void BibliographySink::begin(const QueryInfo&) { m_bibliography = Bibliography(m_keys); }

void BibliographySink::hit(const evidence::CitedHit& hit) { m_bibliography.cite(hit); }

void BibliographySink::end(const SearchStats&) {
    write(m_out, m_bibliography);
    m_out.flush();
}

}  // namespace cite::output
