#include "cite/output/bibtex_sink.hpp"

#include "cite/output/csl_json_sink.hpp"
#include "cite/output/escape.hpp"

#include <array>
#include <cstdio>
#include <utility>
#include <vector>

namespace cite::output {

std::string bibtex_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '\\': out += "\\textbackslash{}"; break;
        case '{': case '}': case '#': case '$': case '%': case '&': case '_':
            out += '\\';
            out += c;
            break;
        case '^': out += "\\textasciicircum{}"; break;
        case '~': out += "\\textasciitilde{}"; break;
        case '\r': case '\n':
            while (i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == '\n')) ++i;
            out += ' ';
            break;
        default: out += c; break;
        }
    }
    return out;
}

namespace {

// A verbatim field (url, doi): braces would end it, so they are percent-encoded; a line
// break cannot be in a URL.
std::string verbatim(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '{') out += "%7B";
        else if (c == '}') out += "%7D";
        else if (c == '\r' || c == '\n') out += "%0A";
        else out += c;
    }
    return out;
}

bool needs_braces(std::string_view name) {
    return name.find_first_of(" ,") != std::string_view::npos;
}

std::string bibtex_name(const std::string& author) {
    const auto name = csl_name(author);
    if (!name.contains("family")) return "{" + bibtex_escape(name.value("literal", std::string{})) + "}";
    const auto family = bibtex_escape(name["family"].get<std::string>());
    return (needs_braces(family) ? "{" + family + "}" : family) + ", " + bibtex_escape(name["given"].get<std::string>());
}

struct EntryType {
    std::string type;
    const char* container_field;  // the field for container_title
};

EntryType entry_type(const passage::DocumentMeta& m, BibDialect dialect) {
    const bool latex = dialect == BibDialect::Biblatex;
    const std::string csl = csl_type(m);
    const bool has_container = !m.container_title.empty();
    if (csl.rfind("article", 0) == 0 && has_container) return {"article", latex ? "journaltitle" : "journal"};
    if (csl == "report") return {latex ? "report" : "techreport", latex ? "titleaddon" : "note"};
    if (csl == "book") return {"book", latex ? "maintitle" : "series"};
    if (csl == "chapter") return {"incollection", "booktitle"};
    if (csl == "paper-conference") return {"inproceedings", "booktitle"};
    if (csl == "thesis") return {latex ? "thesis" : "phdthesis", latex ? "titleaddon" : "note"};
    if (csl == "webpage" || (!m.url.empty() && !has_container))
        return {latex ? "online" : "misc", "organization"};
    return {"misc", "howpublished"};
}

constexpr std::array<const char*, 12> month_macros = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

std::string iso_date(const std::vector<int>& parts) {
    char buffer[16];
    if (parts.size() == 1) std::snprintf(buffer, sizeof buffer, "%04d", parts[0]);
    else if (parts.size() == 2) std::snprintf(buffer, sizeof buffer, "%04d-%02d", parts[0], parts[1]);
    else std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
    return buffer;
}

void write_entry(std::ostream& out, const CitedSource& source, BibDialect dialect) {
    const bool latex = dialect == BibDialect::Biblatex;
    const auto& m = source.meta;
    const EntryType type = entry_type(m, dialect);
    std::vector<std::pair<std::string, std::string>> fields;  // name, braced value's content
    std::string authors;
    for (const auto& author : m.authors) {
        if (author.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        authors += (authors.empty() ? "" : " and ") + bibtex_name(author);
    }
    if (!authors.empty()) fields.emplace_back("author", authors);
    if (!m.title.empty()) fields.emplace_back("title", "{" + bibtex_escape(m.title) + "}");
    if (!m.container_title.empty()) fields.emplace_back(type.container_field, bibtex_escape(m.container_title));
    if (!m.publisher.empty())
        fields.emplace_back(!latex && type.type == "techreport" ? "institution" : "publisher", bibtex_escape(m.publisher));
    const auto issued = csl_date_parts(m.date);
    if (issued && latex) fields.emplace_back("date", iso_date(*issued));
    if (issued && !latex) {
        fields.emplace_back("year", std::to_string((*issued)[0]));
        // The month macro (jul), which every BibTeX style knows, written unbraced below.
        if (issued->size() > 1) fields.emplace_back("month", month_macros[static_cast<std::size_t>((*issued)[1] - 1)]);
        if (issued->size() > 2) fields.emplace_back("day", std::to_string((*issued)[2]));
    }
    if (!m.url.empty()) {
        fields.emplace_back("url", verbatim(m.url));
        if (!latex && type.type == "misc") fields.emplace_back("howpublished", "\\url{" + verbatim(m.url) + "}");
    }
    if (!m.doi.empty()) fields.emplace_back("doi", verbatim(m.doi));
    if (const auto accessed = csl_date_parts(m.accessed)) fields.emplace_back("urldate", iso_date(*accessed));
    if (!m.language.empty()) fields.emplace_back("language", bibtex_escape(m.language));
    std::string annotation = "source " + bibtex_escape(source.document) + ", sha256 " + source.sha256;
    for (const auto& note : paragraph_notes(source)) annotation += "\n" + bibtex_escape(note);
    fields.emplace_back(latex ? "annotation" : "annote", annotation);

    out << '@' << type.type << '{' << source.key << ",\n";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& [name, value] = fields[i];
        out << "  " << name << " = ";
        if (name == "month") out << value;
        else out << '{' << value << '}';
        out << (i + 1 < fields.size() ? ",\n" : "\n");
    }
    out << "}\n";
}

}  // namespace

void write_bibtex(std::ostream& out, const Bibliography& bibliography, BibDialect dialect) {
    bool first = true;
    for (const auto& source : bibliography.sources()) {
        if (!first) out << '\n';
        first = false;
        write_entry(out, source, dialect);
    }
}

}  // namespace cite::output
