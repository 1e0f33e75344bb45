#include "cite/output/copies_report.hpp"

#include "cite/output/escape.hpp"
#include "cite/output/json_sink.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace cite::output {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string key_of(const std::string& source, const std::string& record) {
    return record.empty() ? source : source + "#" + record;
}

ordered_json record_value(const std::string& record) {
    return record.empty() ? ordered_json(nullptr) : ordered_json(record);
}

std::string two_decimals(double value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

void write_member(std::ostream& out, const CopyMember& m) {
    out << "  " << (m.similarity ? two_decimals(*m.similarity) : std::string("   -")) << "  "
        << flatten_line_breaks(key_of(m.source, m.record));
    if (!m.date.empty()) out << "  (" << flatten_line_breaks(m.date) << ')';
    if (!m.title.empty()) out << "  " << flatten_line_breaks(m.title);
    if (m.canonical) out << "  [canonical]";
    out << '\n';
}

void write_near(std::ostream& out, const CopiesReport& report) {
    if (report.near.empty()) return;
    if (!report.groups.empty()) out << '\n';
    out << "compared, below the threshold " << two_decimals(report.threshold) << ":\n";
    for (const CopyMember& m : report.near) write_member(out, m);
}

void write_text(std::ostream& out, const CopiesReport& report) {
    if (report.groups.empty() && report.shared.empty()) {
        out << (report.document ? "no copies of " + flatten_line_breaks(*report.document) : std::string("no copies"))
            << " (similarity threshold " << two_decimals(report.threshold) << ")\n";
        write_near(out, report);
        return;
    }
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
        const auto& members = report.groups[g];
        if (g > 0) out << '\n';
        out << "group of " << members.size() << " copies (similarity "
            << (report.document ? "to " + flatten_line_breaks(*report.document) : std::string("to the canonical copy"))
            << "):\n";
        for (const CopyMember& m : members) write_member(out, m);
    }
    write_near(out, report);
    if (!report.shared.empty()) {
        if (!report.groups.empty() || !report.near.empty()) out << '\n';
        out << "paragraphs shared word for word with other documents:\n";
        for (const SharedPassages& s : report.shared) {
            out << "  " << counted(s.passages, "paragraph") << "  " << flatten_line_breaks(key_of(s.source, s.record));
            if (!s.title.empty()) out << "  " << flatten_line_breaks(s.title);
            out << '\n';
        }
    }
}

ordered_json member_json(const CopyMember& m) {
    return ordered_json{{"source", m.source},
                        {"record", record_value(m.record)},
                        {"title", m.title},
                        {"date", m.date},
                        {"canonical", m.canonical},
                        {"similarity", m.similarity ? ordered_json(*m.similarity) : ordered_json(nullptr)}};
}

ordered_json to_json(const CopiesReport& report) {
    ordered_json groups = ordered_json::array();
    for (const auto& members : report.groups) {
        ordered_json list = ordered_json::array();
        for (const CopyMember& m : members) list.push_back(member_json(m));
        groups.push_back(ordered_json{{"members", std::move(list)}});
    }
    ordered_json near = ordered_json::array();
    for (const CopyMember& m : report.near) near.push_back(member_json(m));
    ordered_json shared = ordered_json::array();
    for (const SharedPassages& s : report.shared)
        shared.push_back(ordered_json{
            {"source", s.source}, {"record", record_value(s.record)}, {"title", s.title}, {"passages", s.passages}});
    return ordered_json{{"format_version", json_format_version},
                        {"mode", "copies"},
                        {"document", report.document ? ordered_json(*report.document) : ordered_json(nullptr)},
                        {"threshold", report.threshold},
                        {"groups", std::move(groups)},
                        {"shared_passages", std::move(shared)},
                        {"near", std::move(near)}};
}

}  // namespace

void write_copies_report(Format format, std::ostream& out, const CopiesReport& report) {
    const auto dump = [](const ordered_json& j, int indent) {
        return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
    };
    switch (format) {
    case Format::Json:
        out << dump(to_json(report), 2) << '\n';
        break;
    case Format::Jsonl: {
        ordered_json line{{"type", "copies"}};
        line.update(to_json(report));
        out << dump(line, -1) << '\n';
        break;
    }
    default:
        write_text(out, report);
        break;
    }
    out.flush();
}

}  // namespace cite::output
