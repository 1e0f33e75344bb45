#include "cite/output/ris_sink.hpp"

#include "cite/output/csl_json_sink.hpp"
#include "cite/output/escape.hpp"

#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace cite::output {

namespace {

const char* ris_type(const std::string& csl) {
    static constexpr std::array<std::pair<std::string_view, const char*>, 10> types = {{
        {"article-newspaper", "NEWS"},
        {"article-magazine", "MGZN"},
        {"article-journal", "JOUR"},
        {"report", "RPRT"},
        {"book", "BOOK"},
        {"chapter", "CHAP"},
        {"paper-conference", "CPAPER"},
        {"thesis", "THES"},
        {"dataset", "DATA"},
        {"webpage", "ELEC"},
    }};
    for (const auto& [name, tag] : types)
        if (csl == name) return tag;
    return "GEN";
}

// "2024/07/09", "2024/07", "2024": RIS's DA and Y2 form.
std::string ris_date(const std::vector<int>& parts) {
    char buffer[16];
    if (parts.size() == 1) std::snprintf(buffer, sizeof buffer, "%04d", parts[0]);
    else if (parts.size() == 2) std::snprintf(buffer, sizeof buffer, "%04d/%02d", parts[0], parts[1]);
    else std::snprintf(buffer, sizeof buffer, "%04d/%02d/%02d", parts[0], parts[1], parts[2]);
    return buffer;
}

void line(std::ostream& out, const char* tag, std::string_view value) {
    out << tag << "  - " << flatten_line_breaks(value) << "\r\n";
}

}  // namespace

void write_ris(std::ostream& out, const Bibliography& bibliography) {
    bool first = true;
    for (const auto& source : bibliography.sources()) {
        if (!first) out << "\r\n";
        first = false;
        const auto& m = source.meta;
        line(out, "TY", ris_type(csl_type(m)));
        line(out, "ID", source.key);
        if (!m.title.empty()) line(out, "TI", m.title);
        for (const auto& author : m.authors) {
            if (author.find_first_not_of(" \t\r\n") == std::string::npos) continue;
            const auto name = csl_name(author);
            line(out, "AU", name.contains("family")
                                ? name["family"].get<std::string>() + ", " + name["given"].get<std::string>()
                                : name.value("literal", std::string{}));
        }
        if (!m.container_title.empty()) line(out, "T2", m.container_title);
        if (!m.publisher.empty()) line(out, "PB", m.publisher);
        if (const auto issued = csl_date_parts(m.date)) {
            line(out, "PY", std::to_string((*issued)[0]));
            line(out, "DA", ris_date(*issued));
        }
        if (!m.url.empty()) line(out, "UR", m.url);
        if (!m.doi.empty()) line(out, "DO", m.doi);
        if (const auto accessed = csl_date_parts(m.accessed)) line(out, "Y2", ris_date(*accessed));
        if (!m.language.empty()) line(out, "LA", m.language);
        line(out, "N1", "source " + source.document + ", sha256 " + source.sha256);
        for (const auto& note : paragraph_notes(source)) line(out, "N1", note);
        out << "ER  - \r\n";
    }
}

}  // namespace cite::output
