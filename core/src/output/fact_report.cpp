#include "cite/output/fact_report.hpp"

#include "cite/output/bibliography.hpp"
#include "cite/output/csl_json_sink.hpp"
#include "cite/output/pandoc_sink.hpp"
#include "cite/output/escape.hpp"
#include "cite/output/json_sink.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace cite::output {
namespace {

using nlohmann::ordered_json;
using evidence::ClaimCheck;
using evidence::ClaimEvidence;
using evidence::ClaimVerdict;
using evidence::FactTable;
using evidence::QuantityStatus;
using evidence::StatedQuantity;

constexpr std::string_view note = "evidence retrieval with numeric comparison, not a language model";

constexpr std::string_view color_on = "\033[1;31m";
constexpr std::string_view color_off = "\033[0m";
constexpr std::string_view mark_open = "«";
constexpr std::string_view mark_close = "»";

/// Why the verdict: for "not found", the reason (no passage about the subject, naming the
/// names the corpus never mentions; or no figure for this measure).
std::string verdict_explanation(const ClaimCheck& check) {
    switch (check.verdict) {
    case ClaimVerdict::Supported:
        return "a passage about the claim's subject states every figure of it";
    case ClaimVerdict::Contradicted:
        return "a passage about the claim's subject states another value for the same measure";
    case ClaimVerdict::NotFound: break;
    }
    std::string out = "the corpus does not address this claim";
    if (check.reason != evidence::NotFoundReason::None) out += std::string(": ") + evidence::to_string(check.reason);
    if (!check.unknown_names.empty()) {
        out += " (the corpus never mentions ";
        for (std::size_t i = 0; i < check.unknown_names.size(); ++i)
            out += (i > 0 ? ", “" : "“") + check.unknown_names[i] + "”";
        out += ")";
    }
    return out;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

bool has_difference(const ClaimEvidence& e) {
    return std::any_of(e.quantities.begin(), e.quantities.end(),
                       [](const auto& c) { return c.status == QuantityStatus::Differs; });
}

/// "31000000000", "2022-2023": the normalised value without its unit.
std::string value_text(const analysis::Quantity& q) {
    std::string out = analysis::format_value(q.value);
    if (q.value_to) out += "-" + analysis::format_value(*q.value_to);
    return out;
}

std::string bytes_text(analysis::ByteRange r) { return std::to_string(r.begin) + '-' + std::to_string(r.end); }

std::string unit_heading(const std::string& unit) { return unit.empty() ? "(count)" : unit; }

std::size_t figure_count(const FactTable& table) {
    std::size_t n = 0;
    for (const auto& [unit, facts] : table.by_unit) n += facts.size();
    return n;
}

const char* withheld_reason(evidence::SourceStatus status) {
    return status == evidence::SourceStatus::Stale ? "the file changed since it was indexed" : "the file is missing";
}

std::string dump(const ordered_json& j, int indent) {
    // The indexer only stores valid UTF-8; replace rather than throw if that ever fails.
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

// ---- JSON ---------------------------------------------------------------------------------

ordered_json line_value(std::uint32_t line) { return line == 0 ? ordered_json(nullptr) : ordered_json(line); }

ordered_json quantity_json(const StatedQuantity& s) {
    const analysis::Quantity& q = s.quantity;
    return ordered_json{{"text", s.text},
                        {"value", q.value},
                        {"value_to", q.value_to ? ordered_json(*q.value_to) : ordered_json(nullptr)},
                        {"unit", q.unit},
                        {"start_byte", q.bytes.begin},
                        {"end_byte", q.bytes.end},
                        {"line", line_value(s.line)}};
}

// "1 independent source", "3 independent sources": copies of one story count once.
std::string independent_sources_text(std::size_t n) { return counted(n, "independent source"); }

ordered_json evidence_json(const ClaimEvidence& e, std::size_t position) {
    ordered_json j = result_to_json(e.hit);
    j["rank"] = position;  // the report's order (supporting first), not the search rank
    j["word_coverage"] = round_score(e.word_coverage);
    j["supports"] = e.supports;
    j["anchors"] = e.anchors;
    ordered_json comparisons = ordered_json::array();
    for (const auto& c : e.quantities)
        comparisons.push_back(ordered_json{{"claimed", quantity_json(c.claimed)},
                                           {"status", evidence::to_string(c.status)},
                                           {"found", c.found ? quantity_json(*c.found) : ordered_json(nullptr)}});
    j["comparisons"] = std::move(comparisons);
    return j;
}

ordered_json claim_json(const ClaimCheck& check) {
    ordered_json quantities = ordered_json::array();
    for (const auto& q : check.quantities) quantities.push_back(quantity_json(q));
    ordered_json evidence = ordered_json::array();
    for (std::size_t i = 0; i < check.evidence.size(); ++i) evidence.push_back(evidence_json(check.evidence[i], i + 1));
    return ordered_json{{"claim", check.claim},
                        {"verdict", evidence::to_string(check.verdict)},
                        {"reason", check.reason == evidence::NotFoundReason::None
                                       ? ordered_json(nullptr)
                                       : ordered_json(evidence::to_string(check.reason))},
                        {"unknown_names", check.unknown_names},
                        {"quantities", std::move(quantities)},
                        {"evidence", std::move(evidence)},
                        {"supporting_documents", check.supporting_documents},
                        {"independent_sources", check.independent_sources},
                        {"left_out", left_out_to_json(check.left_out)}};
}

ordered_json fact_json(const evidence::Fact& fact) {
    ordered_json j = quantity_json(fact.stated);
    const auto& p = fact.hit.passage;
    j["citation"] = citation_label(fact.hit);
    j["source"] = p.source;
    j["record"] = p.record.empty() ? ordered_json(nullptr) : ordered_json(p.record);
    j["paragraph"] = p.ordinal;
    // The sentence, as every mode quotes evidence: {"quote", "start_byte", "end_byte", ...}.
    j["evidence"] = result_to_json(fact.hit)["evidence"];
    j["title"] = fact.hit.meta.title;
    j["authors"] = fact.hit.meta.authors;
    j["date"] = fact.hit.meta.date;
    j["status"] = evidence::to_string(fact.hit.status);
    j["independent_sources"] = fact.independent_sources;
    return j;
}

/// `body`'s fields after {"type": type}.
ordered_json typed_line(const char* type, const ordered_json& body) {
    ordered_json line{{"type", type}};
    for (const auto& [key, value] : body.items()) line[key] = value;
    return line;
}

// ---- CSV ----------------------------------------------------------------------------------

constexpr std::array<std::string_view, 17> claim_columns = {
    "claim",   "verdict", "rank",   "source", "record",           "paragraph",
    "line",    "quote",   "start_byte", "end_byte", "claimed",    "status",
    "found",   "found_start_byte", "found_end_byte", "word_coverage", "supports"};

void write_claims_csv(std::ostream& out, const std::vector<ClaimCheck>& checks) {
    write_csv_row(out, claim_columns);
    using Row = std::array<std::string, claim_columns.size()>;
    for (const auto& check : checks) {
        const std::string verdict = evidence::to_string(check.verdict);
        if (check.evidence.empty()) {
            write_csv_row(out, Row{check.claim, verdict});
            continue;
        }
        for (std::size_t i = 0; i < check.evidence.size(); ++i) {
            const ClaimEvidence& e = check.evidence[i];
            const auto& p = e.hit.passage;
            const evidence::EvidenceSpan* span = e.hit.evidence.empty() ? nullptr : &e.hit.evidence.front();
            const auto line = citation_line(e.hit);
            // In the order of claim_columns; a null comparison leaves the figure fields empty.
            const auto row = [&](const evidence::QuantityComparison* c) {
                const StatedQuantity* found = c && c->found ? &*c->found : nullptr;
                return Row{check.claim,
                           verdict,
                           std::to_string(i + 1),
                           p.source,
                           p.record,
                           std::to_string(p.ordinal),
                           line == 0 ? std::string() : std::to_string(line),
                           span ? span->quote : std::string(),
                           span ? std::to_string(span->bytes.begin) : std::string(),
                           span ? std::to_string(span->bytes.end) : std::string(),
                           c ? c->claimed.text : std::string(),
                           c ? evidence::to_string(c->status) : std::string(),
                           found ? found->text : std::string(),
                           found ? std::to_string(found->quantity.bytes.begin) : std::string(),
                           found ? std::to_string(found->quantity.bytes.end) : std::string(),
                           format_score(e.word_coverage),
                           e.supports ? "true" : "false"};
            };
            if (e.quantities.empty()) write_csv_row(out, row(nullptr));
            for (const auto& c : e.quantities) write_csv_row(out, row(&c));
        }
    }
}

constexpr std::array<std::string_view, 12> fact_columns = {
    "unit", "value", "value_to", "text", "start_byte", "end_byte",
    "line", "source", "record", "paragraph", "quote", "title"};

void write_facts_csv(std::ostream& out, const FactTable& table) {
    write_csv_row(out, fact_columns);
    for (const auto& [unit, facts] : table.by_unit) {
        for (const auto& fact : facts) {
            const analysis::Quantity& q = fact.stated.quantity;
            const auto& p = fact.hit.passage;
            write_csv_row(out, std::array<std::string, fact_columns.size()>{
                               unit,
                               analysis::format_value(q.value),
                               q.value_to ? analysis::format_value(*q.value_to) : std::string(),
                               fact.stated.text,
                               std::to_string(q.bytes.begin),
                               std::to_string(q.bytes.end),
                               fact.stated.line == 0 ? std::string() : std::to_string(fact.stated.line),
                               p.source,
                               p.record,
                               std::to_string(p.ordinal),
                               fact.hit.evidence.empty() ? std::string() : fact.hit.evidence.front().quote,
                               fact.hit.meta.title});
        }
    }
}

// ---- text ---------------------------------------------------------------------------------

void write_quotes_text(std::ostream& out, const evidence::CitedHit& hit, std::string_view indent,
                       const SinkOptions& options, bool with_bytes) {
    const auto open = options.color ? color_on : mark_open;
    const auto close = options.color ? color_off : mark_close;
    if (!evidence::quotable(hit.status)) {
        out << indent << "! " << withheld_reason(hit.status) << ": quote withheld\n";
        return;
    }
    for (const auto& span : hit.evidence) {
        out << indent << "> " << render_quote(span, open, close, flatten_line_breaks) << '\n';
        if (with_bytes) out << indent << "  bytes " << bytes_text(span.bytes) << '\n';
    }
}

void write_claims_text(std::ostream& out, const std::vector<ClaimCheck>& checks, const SinkOptions& options) {
    for (std::size_t n = 0; n < checks.size(); ++n) {
        const ClaimCheck& check = checks[n];
        if (n > 0) out << '\n';
        out << "claim: " << flatten_line_breaks(check.claim) << '\n';
        out << "verdict: " << evidence::to_string(check.verdict) << " — " << verdict_explanation(check) << '\n';
        if (check.supporting_documents > 0)
            out << "  supported by " << independent_sources_text(check.independent_sources) << " ("
                << counted(check.supporting_documents, "document") << ")\n";
        out << "  figures: ";
        if (check.quantities.empty()) out << "none";
        for (std::size_t i = 0; i < check.quantities.size(); ++i)
            out << (i > 0 ? ", " : "") << flatten_line_breaks(check.quantities[i].text) << " ("
                << analysis::describe(check.quantities[i].quantity) << ')';
        out << '\n';
        for (std::size_t i = 0; i < check.evidence.size(); ++i) {
            const ClaimEvidence& e = check.evidence[i];
            out << "  [" << i + 1 << "] " << citation_label(e.hit) << "  ";
            if (e.supports)
                out << "supports · ";
            else if (has_difference(e))
                out << "differs · ";
            out << "words " << std::lround(e.word_coverage * 100) << "%\n";
            if (!e.hit.meta.title.empty()) out << "      " << flatten_line_breaks(e.hit.meta.title) << '\n';
            if (!e.anchors.empty()) out << "      anchored on: " << flatten_line_breaks(joined(e.anchors)) << '\n';
            write_quotes_text(out, e.hit, "      ", options, true);
            for (const auto& c : e.quantities) {
                out << "      " << flatten_line_breaks(c.claimed.text) << ": " << evidence::to_string(c.status);
                if (c.found && c.status == QuantityStatus::Matched)
                    out << " — “" << flatten_line_breaks(c.found->text) << "” (bytes "
                        << bytes_text(c.found->quantity.bytes) << ')';
                else if (c.found)
                    out << " — the passage says “" << flatten_line_breaks(c.found->text) << "” ("
                        << analysis::describe(c.found->quantity) << ", bytes " << bytes_text(c.found->quantity.bytes)
                        << ')';
                out << '\n';
            }
        }
    }
}

/// Figures stated, those a limit left out included.
std::size_t stated_figures(const FactTable& table) { return std::max(table.figures, figure_count(table)); }

/// "3 figures in 2 passages", "first 2 of 3 figures in 2 passages (--limit)".
std::string figures_total(const FactTable& table) {
    std::string out = table.truncated ? "first " + std::to_string(figure_count(table)) + " of " : "";
    out += counted(stated_figures(table), "figure") + " in " + counted(table.passages, "passage");
    return out + (table.truncated ? " (--limit)" : "");
}

void write_facts_text(std::ostream& out, const FactTable& table, const SinkOptions& options) {
    for (const auto& [unit, facts] : table.by_unit) {
        out << unit_heading(unit) << " (" << counted(facts.size(), "figure") << ")\n";
        for (const auto& fact : facts) {
            out << "  " << value_text(fact.stated.quantity) << "  “" << flatten_line_breaks(fact.stated.text) << "”  "
                << citation_label(fact.hit);
            // Only when several sources state the value: copies of one story count once.
            if (fact.independent_sources > 1)
                out << "  (stated by " << independent_sources_text(fact.independent_sources) << ')';
            out << '\n';
            write_quotes_text(out, fact.hit, "    ", options, false);
        }
    }
    out << figures_total(table) << '\n';
}

// ---- markdown -----------------------------------------------------------------------------

/// Citation numbers shared by all claims of one report: a paragraph (source, record,
/// ordinal) gets the next number the first time it is cited and keeps it.
class SourceList {
  public:
    struct Entry {
        const evidence::CitedHit* hit;
        std::vector<analysis::ByteRange> quoted;  ///< every distinct span quoted, first-seen order
    };

    std::size_t cite(const evidence::CitedHit& hit) {
        const auto& p = hit.passage;
        const auto [it, inserted] =
            m_numbers.try_emplace(p.source + '\n' + p.record + '\n' + std::to_string(p.ordinal), m_entries.size() + 1);
        if (inserted) m_entries.push_back({&hit, {}});
        auto& quoted = m_entries[it->second - 1].quoted;
        for (const auto& span : hit.evidence)
            if (std::find(quoted.begin(), quoted.end(), span.bytes) == quoted.end()) quoted.push_back(span.bytes);
        return it->second;
    }

    [[nodiscard]] const std::vector<Entry>& entries() const { return m_entries; }

  private:
    std::map<std::string, std::size_t> m_numbers;
    std::vector<Entry> m_entries;
};

/// "*Title*, Ann Author, Publisher, 2021-03-04. `a.txt` ¶12, l.23 (bytes 1042–1180)."
std::string source_entry(const SourceList::Entry& entry) {
    const evidence::CitedHit& hit = *entry.hit;
    std::string out = markdown_bibliography(hit.meta);
    if (!out.empty()) out += out.back() == '.' ? " " : ". ";  // "Jr." takes no second period
    out += markdown_code_span(hit.passage.document_key()) + " ¶" + std::to_string(hit.passage.ordinal);
    if (const auto line = citation_line(hit); line != 0) out += ", l." + std::to_string(line);
    if (!entry.quoted.empty()) {
        out += " (bytes ";
        for (std::size_t i = 0; i < entry.quoted.size(); ++i)
            out += (i > 0 ? ", " : "") + std::to_string(entry.quoted[i].begin) + "–" +
                   std::to_string(entry.quoted[i].end);
        out += ")";
    }
    return out + ".";
}

// Quotes shown per claim: enough to judge it, few enough to read.
constexpr std::size_t markdown_quotes = 3;

// `pandoc`: cite as [@key, para N] into it instead of numbering, and leave the list of
// sources to citeproc (pandoc_sink.hpp).
void write_claims_markdown(std::ostream& out, const std::vector<ClaimCheck>& checks, Bibliography* pandoc = nullptr) {
    out << "# Fact-check report\n\n"
        << "Evidence retrieval with numeric comparison, not a language model: each verdict says "
           "what the retrieved passages state.\n";
    SourceList sources;
    const TextFilter escape = pandoc ? pandoc_escape : markdown_escape;
    for (const ClaimCheck& check : checks) {
        out << "\n### " << escape(check.claim) << "\n\n"
            << "**Verdict: " << evidence::to_string(check.verdict) << "** — "
            << escape(verdict_explanation(check)) << ".\n";
        if (check.supporting_documents > 0)
            out << "Supported by " << independent_sources_text(check.independent_sources) << " ("
                << counted(check.supporting_documents, "document") << ").\n";
        std::size_t shown = 0;
        for (const ClaimEvidence& e : check.evidence) {
            if (shown == markdown_quotes) break;
            if (!e.supports && !has_difference(e)) continue;
            ++shown;
            const std::string marker = pandoc ? " " + pandoc_citation(pandoc->cite(e.hit), e.hit.passage.ordinal, e.hit.passage.locator())
                                              : " [" + std::to_string(sources.cite(e.hit)) + "]";
            out << '\n';
            if (!evidence::quotable(e.hit.status) || e.hit.evidence.empty()) {
                out << "> *(quote withheld: " << withheld_reason(e.hit.status) << ")*" << marker << '\n';
            } else {
                for (std::size_t i = 0; i < e.hit.evidence.size(); ++i) {
                    if (i > 0) out << ">\n";
                    out << "> " << render_quote(e.hit.evidence[i], "**", "**", escape)
                        << (i + 1 == e.hit.evidence.size() ? marker : "") << '\n';
                }
            }
            // Only the figures bearing on the claim: those this passage states.
            const bool compared = std::any_of(e.quantities.begin(), e.quantities.end(),
                                              [](const auto& c) { return c.status != QuantityStatus::Absent; });
            if (compared || !e.anchors.empty()) out << '\n';
            if (!e.anchors.empty()) out << "- anchored on: " << escape(joined(e.anchors)) << '\n';
            for (const auto& c : e.quantities) {
                if (c.status == QuantityStatus::Absent) continue;
                out << "- " << escape(c.claimed.text) << ": " << evidence::to_string(c.status);
                if (c.found && c.status == QuantityStatus::Differs)
                    out << " — the source says “" << escape(c.found->text) << "”";
                out << '\n';
            }
            if (pandoc) out << '\n' << pandoc_provenance(e.hit) << '\n';
        }
        if (!check.left_out.empty()) out << '\n' << markdown_left_out(check.left_out, "this verdict");
    }
    if (sources.entries().empty()) return;
    out << "\n## Sources\n";
    for (std::size_t i = 0; i < sources.entries().size(); ++i)
        out << "\n[" << i + 1 << "] " << source_entry(sources.entries()[i]) << '\n';
}

void write_facts_markdown(std::ostream& out, const FactTable& table) {
    out << "# Figures: " << markdown_escape(table.query) << '\n';
    for (const auto& [unit, facts] : table.by_unit) {
        out << "\n## " << markdown_escape(unit_heading(unit)) << "\n\n"
            << "| Figure | Value | Source | Sentence |\n"
            << "|---|---|---|---|\n";
        for (const auto& fact : facts) {
            // markdown_escape backslashes '|', which GFM reads as a pipe inside a cell.
            std::string sentence;
            if (!evidence::quotable(fact.hit.status))
                sentence = std::string("*(quote withheld: ") + withheld_reason(fact.hit.status) + ")*";
            for (const auto& span : fact.hit.evidence)
                sentence += (sentence.empty() ? "" : " ") + render_quote(span, "**", "**", markdown_escape);
            out << "| " << markdown_escape(fact.stated.text) << " | " << value_text(fact.stated.quantity) << " | "
                << markdown_escape(citation_label(fact.hit)) << " | " << sentence << " |\n";
        }
    }
    out << '\n' << figures_total(table) << ".\n";
    if (!table.left_out.empty()) out << '\n' << markdown_left_out(table.left_out, "these figures");
}

}  // namespace

void write_claim_checks(Format format, std::ostream& out, const std::vector<evidence::ClaimCheck>& checks,
                        const SinkOptions& options) {
    switch (format) {
    case Format::Json: {
        ordered_json claims = ordered_json::array();
        for (const auto& check : checks) claims.push_back(claim_json(check));
        out << dump(ordered_json{{"format_version", json_format_version},
                                 {"mode", "check"},
                                 {"note", note},
                                 {"claims", std::move(claims)}},
                    2)
            << '\n';
        break;
    }
    case Format::Jsonl:
        for (const auto& check : checks) out << dump(typed_line("claim", claim_json(check)), -1) << '\n';
        break;
    case Format::Csv: write_claims_csv(out, checks); break;
    case Format::Markdown: write_claims_markdown(out, checks); break;
    case Format::Pandoc: {
        Bibliography cited(options.keys);
        write_pandoc_front_matter(out, options.bibliography);
        write_claims_markdown(out, checks, &cited);
        write_bibliography_file(options.bibliography, cited);
        break;
    }
    case Format::CslJson:
    case Format::Bibtex:
    case Format::Biblatex:
    case Format::Ris: {
        // Every evidence passage of every claim, each source once.
        Bibliography sources(options.keys);
        for (const auto& check : checks)
            for (const auto& e : check.evidence) sources.cite(e.hit);
        write_bibliography(format, out, sources);
        break;
    }
    case Format::Text:
    case Format::Trec: write_claims_text(out, checks, options); break;
    }
    out.flush();
}

void write_fact_table(Format format, std::ostream& out, const evidence::FactTable& table,
                      const SinkOptions& options) {
    switch (format) {
    case Format::Json: {
        ordered_json units = ordered_json::array();
        for (const auto& [unit, facts] : table.by_unit) {
            ordered_json list = ordered_json::array();
            for (const auto& fact : facts) list.push_back(fact_json(fact));
            units.push_back(ordered_json{{"unit", unit}, {"facts", std::move(list)}});
        }
        out << dump(ordered_json{{"format_version", json_format_version},
                                 {"mode", "facts"},
                                 {"query", table.query},
                                 {"passages", table.passages},
                                 {"figures", stated_figures(table)},
                                 {"truncated", table.truncated},
                                 {"units", std::move(units)},
                                 {"left_out", left_out_to_json(table.left_out)}},
                    2)
            << '\n';
        break;
    }
    case Format::Jsonl:
        for (const auto& [unit, facts] : table.by_unit) {
            for (const auto& fact : facts) {
                ordered_json body{{"unit", unit}};
                body.update(fact_json(fact));
                out << dump(typed_line("fact", body), -1) << '\n';
            }
        }
        out << dump(ordered_json{{"type", "end"},
                                 {"figures", stated_figures(table)},
                                 {"truncated", table.truncated},
                                 {"passages", table.passages},
                                 {"left_out", left_out_to_json(table.left_out)}},
                    -1)
            << '\n';
        break;
    case Format::Csv: write_facts_csv(out, table); break;
    case Format::Markdown: write_facts_markdown(out, table); break;
    case Format::CslJson:
    case Format::Bibtex:
    case Format::Biblatex:
    case Format::Ris: {
        Bibliography sources(options.keys);
        for (const auto& [unit, facts] : table.by_unit)
            for (const auto& fact : facts) sources.cite(fact.hit);
        write_bibliography(format, out, sources);
        break;
    }
    case Format::Pandoc:  // the searcher refuses it for facts
    case Format::Text:
    case Format::Trec: write_facts_text(out, table, options); break;
    }
    out.flush();
}

}  // namespace cite::output
