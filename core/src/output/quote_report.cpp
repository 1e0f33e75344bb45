#include "cite/output/quote_report.hpp"

#include "cite/output/escape.hpp"
#include "cite/output/json_sink.hpp"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <sstream>

namespace cite::output {
namespace {

using nlohmann::ordered_json;
using evidence::DiffOp;
using evidence::QuoteVerdict;

const char* verdict_explanation(QuoteVerdict v) {
    switch (v) {
    case QuoteVerdict::Exact: return "the wording is in the source, byte for byte";
    case QuoteVerdict::Typographic: return "the same words in the source, with other typography";
    case QuoteVerdict::Altered: return "the closest passage differs in some words";
    case QuoteVerdict::NotFound: return "no passage has this wording or anything close to it";
    }
    return "";
}

std::string similarity_text(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << s;
    return out.str();
}

ordered_json range_json(analysis::ByteRange r) { return ordered_json{{"start_byte", r.begin}, {"end_byte", r.end}}; }

ordered_json match_json(const evidence::QuoteMatch& m) {
    ordered_json j = result_to_json(m.hit);
    for (const char* unused : {"rank", "score", "evidence", "start_byte", "end_byte"}) j.erase(unused);
    j["line"] = m.line == 0 ? ordered_json(nullptr) : ordered_json(m.line);
    j["start_byte"] = m.bytes.begin;
    j["end_byte"] = m.bytes.end;
    j["source_text"] = m.source_text;
    j["similarity"] = round_score(m.similarity);
    j["parts"] = ordered_json::array();
    for (const auto& p : m.parts) j["parts"].push_back(range_json(p));
    // A quote across a paragraph break: the paragraph it runs on into, cited.
    if (!m.continued.empty()) {
        j["continued"] = ordered_json::array();
        for (const evidence::CitedHit& next : m.continued) {
            const passage::Passage& p = next.passage;
            j["continued"].push_back(ordered_json{{"citation", citation_label(next)},
                                                  {"source", p.source},
                                                  {"paragraph", p.ordinal},
                                                  {"line", p.line == 0 ? ordered_json(nullptr) : ordered_json(p.line)},
                                                  {"start_byte", p.bytes.begin},
                                                  {"end_byte", p.bytes.end}});
        }
    }
    j["differences"] = ordered_json::array();
    for (const auto& d : m.differences)
        j["differences"].push_back(ordered_json{{"kind", d.kind}, {"quoted", d.quoted}, {"source", d.source},
                                                {"start_byte", d.source_bytes.begin}, {"end_byte", d.source_bytes.end}});
    j["diff"] = ordered_json::array();
    for (const auto& op : m.diff) {
        ordered_json o{{"op", evidence::to_string(op.kind)}, {"quoted", op.quoted}, {"source", op.source}};
        if (op.kind == DiffOp::Kind::Delete) {
            o["start_byte"] = nullptr;
            o["end_byte"] = nullptr;
        } else {
            o["start_byte"] = op.source_bytes.begin;
            o["end_byte"] = op.source_bytes.end;
        }
        o["number_changed"] = op.number_changed;
        j["diff"].push_back(std::move(o));
    }
    return j;
}

ordered_json check_json(const evidence::QuoteCheck& check) {
    ordered_json j{{"format_version", json_format_version},
                   {"mode", "quote"},
                   {"quote", check.quote},
                   {"verdict", evidence::to_string(check.verdict)},
                   {"matches", ordered_json::array()}};
    for (const auto& m : check.matches) j["matches"].push_back(match_json(m));
    j["left_out"] = left_out_to_json(check.left_out);
    return j;
}

std::string dump(const ordered_json& j, int indent) {
    // The indexer only stores valid UTF-8; replace rather than throw if that ever fails.
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

// Invisible differences made visible: "[NBSP]", "[line break]", "[space]".
std::string visible(std::string_view s) {
    if (s.empty()) return "[nothing]";
    if (s == " ") return "[space]";
    std::string out(s);
    for (auto [from, to] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"\r\n", "[line break]"}, {"\n", "[line break]"}, {"\t", "[tab]"}, {"\u00A0", "[NBSP]"},
             {"\u202F", "[narrow NBSP]"}, {"\u2009", "[thin space]"}, {"\u00AD", "[soft hyphen]"}}) {
        for (std::size_t at = 0; (at = out.find(from, at)) != std::string::npos; at += to.size())
            out.replace(at, from.size(), to);
    }
    return out;
}

// The word diff inline: [-quoted-]{+source+}, numbers that changed marked with "!".
std::string inline_diff(const std::vector<DiffOp>& ops, bool markdown) {
    std::string out;
    auto text = [&](const std::string& s) { return markdown ? markdown_escape(s) : flatten_line_breaks(s); };
    for (const DiffOp& op : ops) {
        if (!out.empty()) out += ' ';
        const std::string mark = op.number_changed ? "!" : "";
        if (op.kind == DiffOp::Kind::Equal) {
            out += text(op.source);
            continue;
        }
        if (!op.quoted.empty()) out += markdown ? "~~" + text(op.quoted) + "~~" : "[-" + mark + text(op.quoted) + "-]";
        if (!op.quoted.empty() && !op.source.empty()) out += ' ';
        if (!op.source.empty()) out += markdown ? "**" + text(op.source) + "**" : "{+" + mark + text(op.source) + "+}";
        if (markdown && op.number_changed) out += " (number changed)";
    }
    return out;
}

void write_text(std::ostream& out, const evidence::QuoteCheck& check, const SinkOptions& options) {
    out << evidence::to_string(check.verdict) << ": " << verdict_explanation(check.verdict);
    if (check.verdict == QuoteVerdict::Altered && !check.matches.empty())
        out << " (similarity " << similarity_text(check.matches.front().similarity) << ")";
    out << '\n';
    for (const auto& m : check.matches) {
        evidence::CitedHit hit = m.hit;
        out << "  " << citation_label(hit) << "  bytes " << m.bytes.begin << '-' << m.bytes.end;
        if (m.hit.status == evidence::SourceStatus::Unchecked)
            out << "  ! unchecked: the file is not on this machine (remote shard); quoted from the index";
        else if (m.hit.status != evidence::SourceStatus::Fresh)
            out << "  ! " << evidence::to_string(m.hit.status) << ": the file changed or is gone since indexing";
        out << '\n';
        for (const evidence::CitedHit& next : m.continued)
            out << "  continues in " << citation_label(next) << "  bytes " << m.parts.back().begin << '-' << m.parts.back().end << '\n';
        if (!m.hit.meta.title.empty()) out << "  " << m.hit.meta.title << '\n';
        const std::string open = options.color ? "\033[1;31m" : "«";
        const std::string close = options.color ? "\033[0m" : "»";
        out << "  > " << flatten_line_breaks(m.source_text) << '\n';
        for (const auto& d : m.differences)
            out << "    " << d.kind << ": " << open << visible(d.quoted) << close << " in the quote, " << open
                << visible(d.source) << close << " in the source (bytes " << d.source_bytes.begin << '-'
                << d.source_bytes.end << ")\n";
        if (!m.diff.empty()) out << "  diff: " << inline_diff(m.diff, false) << '\n';
    }
}

void write_markdown(std::ostream& out, const evidence::QuoteCheck& check) {
    out << "**" << evidence::to_string(check.verdict) << "**: " << verdict_explanation(check.verdict) << ".\n\n";
    for (const auto& m : check.matches) {
        out << "> " << markdown_escape(m.source_text) << "\n\n";
        out << "— ";
        if (!m.hit.meta.title.empty()) out << '*' << markdown_escape(m.hit.meta.title) << "*, ";
        out << '`' << m.hit.passage.source << (m.hit.passage.record.empty() ? "" : "#" + m.hit.passage.record) << "` ¶"
            << m.hit.passage.ordinal;
        for (const evidence::CitedHit& next : m.continued) out << " and ¶" << next.passage.ordinal;
        if (m.line != 0) out << ", l." << m.line;
        out << " (bytes " << m.bytes.begin << "–" << m.bytes.end << ").\n\n";
        for (const auto& d : m.differences)
            out << "- " << d.kind << ": `" << visible(d.quoted) << "` in the quote, `" << visible(d.source)
                << "` in the source\n";
        if (!m.differences.empty()) out << '\n';
        if (!m.diff.empty())
            out << "Changes from the quote (similarity " << similarity_text(m.similarity)
                << "): " << inline_diff(m.diff, true) << "\n\n";
    }
    out << markdown_left_out(check.left_out, "this verdict");
}

}  // namespace

void write_quote_check(Format format, std::ostream& out, const evidence::QuoteCheck& check,
                       const SinkOptions& options) {
    switch (format) {
    case Format::Json: out << dump(check_json(check), 2) << '\n'; break;
    case Format::Jsonl: {
        ordered_json line{{"type", "quote"}};
        const ordered_json body = check_json(check);  // named: items() must not outlive it
        for (const auto& [key, value] : body.items()) line[key] = value;
        out << dump(line, -1) << '\n';
        break;
    }
    case Format::Markdown: write_markdown(out, check); break;
    default: write_text(out, check, options); break;
    }
    out.flush();
}

}  // namespace cite::output
