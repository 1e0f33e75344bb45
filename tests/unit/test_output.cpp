// Unit tests of the output module: escaping helpers and every result sink, fed hand-built
// CitedHits whose byte offsets are computed from the passage text, never typed in.

#include "cite/output/bibtex_sink.hpp"
#include "cite/output/citation_key.hpp"
#include "cite/output/csl_json_sink.hpp"
#include "cite/output/csv_sink.hpp"
#include "cite/output/escape.hpp"
#include "cite/output/fact_report.hpp"
#include "cite/output/json_sink.hpp"
#include "cite/output/markdown_sink.hpp"
#include "cite/output/pandoc_sink.hpp"
#include "cite/output/quote_report.hpp"
#include "cite/output/result_sink.hpp"
#include "cite/output/source_link.hpp"
#include "cite/output/text_sink.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "temp_dir.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using cite::analysis::ByteRange;
using cite::evidence::CitedHit;
using cite::evidence::EvidenceSpan;
using cite::evidence::SourceStatus;
using cite::output::Format;
namespace output = cite::output;

// A paragraph with curly quotes, an em dash, 'ş', ASCII quotes, commas, a '#', and a line
// break inside the first sentence: everything the formats must carry or escape.
const std::string text_paragraph =
    "Ayşe wrote in March,\n"
    "quietly: “Solar wind, at dawn, is \"fast\" — the #1 fact.\n"
    "The panels — all of them — hummed.” Then silence fell.";
constexpr std::size_t text_paragraph_start = 1000;  // byte offset of the paragraph in its file
constexpr std::uint32_t text_paragraph_line = 21;

const std::string record_paragraph = "The “Kurtuluş” ferry, late again.";
constexpr std::size_t record_paragraph_start = 57;  // offset in the record's "text"

/// The byte range of the first `needle` in `text` at or after `from`, shifted by `base`.
ByteRange find_range(const std::string& text, std::string_view needle, std::size_t base,
                     std::size_t from = 0) {
    const auto at = text.find(needle, from);
    REQUIRE(at != std::string::npos);
    return {base + at, base + at + needle.size()};
}

/// An evidence span quoting `sentence` from a paragraph at `base`, highlighting `words`.
/// `first_line` 0 means a JSONL record (no lines).
EvidenceSpan make_span(const std::string& paragraph, std::size_t base, std::uint32_t first_line,
                       std::string_view sentence, const std::vector<std::string_view>& words) {
    EvidenceSpan span;
    span.bytes = find_range(paragraph, sentence, base);
    const auto offset = span.bytes.begin - base;
    span.quote = paragraph.substr(offset, sentence.size());
    if (first_line != 0) {
        const auto breaks =
            std::count(paragraph.begin(), paragraph.begin() + static_cast<long>(offset), '\n');
        span.line = first_line + static_cast<std::uint32_t>(breaks);
    }
    span.prefix = paragraph.substr(offset >= 8 ? offset - 8 : 0, std::min<std::size_t>(offset, 8));
    span.suffix = paragraph.substr(offset + sentence.size(), 5);
    for (const auto word : words)
        span.highlights.push_back(find_range(paragraph, word, base, offset));
    return span;
}

const std::string_view sentence_one =
    "“Solar wind, at dawn, is \"fast\" — the #1 fact.\nThe panels — all of them — hummed.”";
const std::string_view sentence_two = "Then silence fell.";
const std::string_view sentence_record = "The “Kurtuluş” ferry, late again.";

CitedHit text_hit() {
    CitedHit hit;
    hit.rank = 1;
    hit.score = 12.40795123;
    hit.passage.source = "003_4a6a91b40eaa168d.txt";
    hit.passage.ordinal = 12;
    hit.passage.line = text_paragraph_line;
    hit.passage.bytes = {text_paragraph_start, text_paragraph_start + text_paragraph.size()};
    hit.passage.text = text_paragraph;
    hit.meta.title = "Solar *Notes*";
    hit.meta.authors = {"Ayşe Yılmaz", "Ada Lovelace"};
    hit.meta.publisher = "Kurtuluş Press";
    hit.meta.container_title = "Wind Weekly";
    hit.meta.date = "2021-03-04";
    hit.sha256 = std::string(64, 'a');
    hit.evidence.push_back(make_span(text_paragraph, text_paragraph_start, text_paragraph_line,
                                     std::string(sentence_one), {"Solar", "panels"}));
    hit.evidence.push_back(make_span(text_paragraph, text_paragraph_start, text_paragraph_line,
                                     std::string(sentence_two), {"silence"}));
    return hit;
}

CitedHit record_hit() {
    CitedHit hit;
    hit.rank = 2;
    hit.score = 3.14159265;
    hit.passage.source = "news.jsonl";
    hit.passage.record = "4983";
    hit.passage.ordinal = 2;
    hit.passage.line = 0;
    hit.passage.bytes = {record_paragraph_start, record_paragraph_start + record_paragraph.size()};
    hit.passage.text = record_paragraph;
    hit.meta.title = "Ferry news";
    hit.meta.authors = {"Reuters"};
    hit.meta.date = "2021-3";  // not YYYY-MM: CSL leaves the date out
    hit.sha256 = std::string(64, 'b');
    hit.evidence.push_back(make_span(record_paragraph, record_paragraph_start, 0,
                                     std::string(sentence_record), {"ferry"}));
    return hit;
}

CitedHit withheld_hit(SourceStatus status, std::size_t rank) {
    CitedHit hit;
    hit.rank = rank;
    hit.score = 1.0;
    hit.passage.source = status == SourceStatus::Stale ? "changed.txt" : "gone.txt";
    hit.passage.ordinal = 3;
    hit.passage.line = 7;
    hit.passage.bytes = {10, 40};
    hit.passage.text = "Solar text that is no longer there.";
    hit.sha256 = std::string(64, 'c');
    hit.status = status;
    return hit;
}

std::vector<CitedHit> all_hits() {
    return {text_hit(), record_hit(), withheld_hit(SourceStatus::Stale, 3),
            withheld_hit(SourceStatus::Missing, 4)};
}

output::QueryInfo query_info() {
    output::QueryInfo query;
    query.query = "solar wind";
    query.db = "idx";
    query.offset = 0;
    query.limit = 10;
    return query;
}

output::SearchStats stats_for(std::size_t results) {
    output::SearchStats stats;
    stats.results = results;
    stats.total_matches = 17;
    stats.total_exact = true;
    stats.seconds = 9.87654;  // must never be printed
    return stats;
}

/// Runs a sink made by make_sink over `hits` and returns what it wrote.
std::string render(Format format, const std::vector<CitedHit>& hits,
                   output::SinkOptions options = {}, output::QueryInfo query = query_info(),
                   std::optional<output::SearchStats> stats = std::nullopt) {
    std::ostringstream out;
    auto sink = output::make_sink(format, out, options);
    sink->begin(query);
    for (const auto& hit : hits) sink->hit(hit);
    sink->end(stats ? *stats : stats_for(hits.size()));
    return out.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

/// A strict RFC 4180 reader: every row must end with CRLF; throws on anything malformed.
std::vector<std::vector<std::string>> read_csv(std::string_view in) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::size_t i = 0;
    while (i < in.size()) {
        std::string field;
        if (in[i] == '"') {
            ++i;
            for (;;) {
                if (i >= in.size()) throw std::runtime_error("unterminated quoted field");
                if (in[i] == '"') {
                    if (i + 1 < in.size() && in[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += in[i++];
            }
        } else {
            while (i < in.size() && in[i] != ',' && in[i] != '\r') {
                if (in[i] == '"' || in[i] == '\n')
                    throw std::runtime_error("quote or LF in an unquoted field at " +
                                             std::to_string(i));
                field += in[i++];
            }
        }
        row.push_back(field);
        if (i < in.size() && in[i] == ',') {
            ++i;
            continue;
        }
        if (in.substr(i, 2) != "\r\n")
            throw std::runtime_error("row not ended by CRLF at " + std::to_string(i));
        i += 2;
        rows.push_back(row);
        row.clear();
    }
    if (!row.empty()) throw std::runtime_error("last row not ended by CRLF");
    return rows;
}

/// The words between «» markers, in order.
std::vector<std::string> marked_words(const std::string& text) {
    std::vector<std::string> words;
    for (auto open = text.find("«"); open != std::string::npos; open = text.find("«", open + 1)) {
        const auto begin = open + std::string_view("«").size();
        const auto close = text.find("»", begin);
        REQUIRE(close != std::string::npos);
        words.push_back(text.substr(begin, close - begin));
    }
    return words;
}

// Exhaustive mode (`--all`, `--count`): one hit per mention, in corpus order. A paragraph with
// three alias names of one route, one of them broken over two lines.
const std::string corridor_paragraph =
    "The Middle Corridor grew fast. Trade on the Trans-Caspian International Transport Route, "
    "or TITR, doubled;\nthe Middle\nCorridor is “busy”.";
constexpr std::size_t corridor_paragraph_start = 2000;
constexpr std::uint32_t corridor_paragraph_line = 40;
const std::string_view corridor_sentence_one = "The Middle Corridor grew fast.";
const std::string_view corridor_sentence_two =
    "Trade on the Trans-Caspian International Transport Route, or TITR, doubled;\nthe "
    "Middle\nCorridor is “busy”.";
const std::string corridor_source = "004_1c0e81e84614d3ea.txt";

/// The corridor paragraph as a hit without evidence, rank or score.
CitedHit corridor_passage() {
    CitedHit hit;
    hit.passage.source = corridor_source;
    hit.passage.ordinal = 3;
    hit.passage.line = corridor_paragraph_line;
    hit.passage.bytes = {corridor_paragraph_start,
                         corridor_paragraph_start + corridor_paragraph.size()};
    hit.passage.text = corridor_paragraph;
    hit.meta.title = "Corridor Notes";
    hit.meta.authors = {"Ada Lovelace"};
    hit.meta.date = "2024-05";
    hit.sha256 = std::string(64, 'd');
    return hit;
}

/// `hit` (a passage) as the mention hit of the first `words` in `sentence`: score 0, the
/// sentence as the only evidence, highlighting only the mention, as `searcher --all` builds it.
CitedHit mention_hit(CitedHit hit, std::size_t rank, std::string_view sentence,
                     std::string_view words, std::string alias) {
    const auto& p = hit.passage;
    hit.rank = rank;
    hit.score = 0;
    hit.evidence = {make_span(p.text, p.bytes.begin, p.line, sentence, {words})};
    cite::evidence::Mention mention;
    mention.bytes = hit.evidence[0].highlights.at(0);
    const auto offset = mention.bytes.begin - p.bytes.begin;
    mention.text = p.text.substr(offset, mention.bytes.size());
    if (p.line != 0) {
        const auto breaks =
            std::count(p.text.begin(), p.text.begin() + static_cast<long>(offset), '\n');
        mention.line = p.line + static_cast<std::uint32_t>(breaks);
    }
    mention.alias = std::move(alias);
    hit.mention = mention;
    return hit;
}

/// Five mentions in corpus order: one in a JSONL record (no alias group matched), four in
/// one paragraph of a text file.
std::vector<CitedHit> mention_hits() {
    auto record = record_hit();
    record.evidence.clear();
    const auto corridor = corridor_passage();
    return {
        mention_hit(record, 1, sentence_record, "ferry", ""),
        mention_hit(corridor, 2, corridor_sentence_one, "Middle Corridor", "Middle Corridor"),
        mention_hit(corridor, 3, corridor_sentence_two,
                    "Trans-Caspian International Transport Route",
                    "Trans-Caspian International Transport Route"),
        mention_hit(corridor, 4, corridor_sentence_two, "TITR", "TITR"),
        mention_hit(corridor, 5, corridor_sentence_two, "Middle\nCorridor", "Middle Corridor"),
    };
}

/// The summary of mention_hits(). per_file is deliberately not in alphabetical order: sinks
/// must keep the order they are given (corpus order), never sort.
output::MentionSummary mention_summary() {
    output::MentionSummary summary;
    summary.total = 5;
    summary.passages = 2;
    summary.per_file = {{"news.jsonl", 1}, {corridor_source, 4}};
    summary.per_alias = {{"Middle Corridor", 2},
                         {"Trans-Caspian International Transport Route", 1},
                         {"TITR", 1},
                         {"Orta Koridor", 0}};
    return summary;
}

output::QueryInfo mention_query(bool count_only = false) {
    auto query = query_info();
    query.query = "\"Middle Corridor\"";
    query.limit = 0;
    query.exhaustive = true;
    query.count_only = count_only;
    return query;
}

output::SearchStats mention_stats(std::size_t results,
                                  output::MentionSummary summary = mention_summary()) {
    auto stats = stats_for(results);
    stats.total_matches = summary.passages;
    stats.mentions = std::move(summary);
    return stats;
}

/// Runs a sink in exhaustive mode over mention_hits() (count mode: over no hits).
std::string render_mentions(Format format, bool count_only = false,
                            output::SinkOptions options = {}) {
    const auto hits = count_only ? std::vector<CitedHit>{} : mention_hits();
    return render(format, hits, options, mention_query(count_only), mention_stats(hits.size()));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Fixture sanity: the offsets the sinks print are only meaningful if the hits are consistent.

TEST_CASE("Fixture spans quote the paragraph at their offsets", "[output]") {
    for (const auto& hit : {text_hit(), record_hit()}) {
        for (const auto& span : hit.evidence) {
            CHECK(hit.passage.text.substr(span.bytes.begin - hit.passage.bytes.begin,
                                          span.bytes.size()) == span.quote);
            for (const auto& h : span.highlights) {
                CHECK(h.begin >= span.bytes.begin);
                CHECK(h.end <= span.bytes.end);
            }
        }
    }
    CHECK(text_hit().evidence[0].line == 22);
    CHECK(text_hit().evidence[1].line == 23);
}

// ---------------------------------------------------------------------------------------------
// Escaping helpers

TEST_CASE("csv_field quotes only fields that need it (RFC 4180)", "[output]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"plain", "plain"},
        {"Ayşe — “curly”", "Ayşe — “curly”"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"line\nbreak", "\"line\nbreak\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"crlf\r\n", "\"crlf\r\n\""},
        {" spaces kept ", " spaces kept "},
        {"semi;colon", "semi;colon"},
    }));
    CAPTURE(input);
    CHECK(output::csv_field(input) == expected);
}

TEST_CASE("markdown_escape backslashes markup and flattens line breaks", "[output]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"plain words", "plain words"},
        {"a*b*c", "a\\*b\\*c"},
        {"snake_case", "snake\\_case"},
        {"`code`", "\\`code\\`"},
        {"[link](url)", "\\[link\\](url)"},
        {"<b>", "\\<b\\>"},
        {"#1 | #2", "\\#1 \\| \\#2"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines", "two lines"},
        {"crlf\r\nand\r\n\r\nruns", "crlf and runs"},
        {"\nedge\n", " edge "},
        {"Ayşe — “ok”", "Ayşe — “ok”"},
        {"- + 1. ! ~ &", "- + 1. ! ~ &"},
    }));
    CAPTURE(input);
    CHECK(output::markdown_escape(input) == expected);
}

TEST_CASE("flatten_line_breaks turns each CR/LF run into one space", "[output]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"one line", "one line"},
        {"a\nb", "a b"},
        {"a\r\nb", "a b"},
        {"a\n\n\r\nb", "a b"},
        {"a \nb", "a  b"},
        {"\r", " "},
    }));
    CAPTURE(input);
    CHECK(output::flatten_line_breaks(input) == expected);
}

TEST_CASE("render_quote marks highlights, clipping and merging them", "[output]") {
    EvidenceSpan span;
    span.quote = "alpha beta\ngamma";
    span.bytes = {100, 100 + span.quote.size()};
    const auto mark = [&](std::vector<ByteRange> highlights) {
        span.highlights = std::move(highlights);
        return output::render_quote(span, "[", "]", output::flatten_line_breaks);
    };
    CHECK(mark({}) == "alpha beta gamma");
    CHECK(mark({{106, 110}}) == "alpha [beta] gamma");
    CHECK(mark({{111, 116}, {100, 105}}) == "[alpha] beta [gamma]");
    CHECK(mark({{100, 103}, {102, 105}}) == "[alpha] beta gamma");  // overlapping
    CHECK(mark({{100, 105}, {105, 106}}) == "[alpha ]beta gamma");  // touching
    CHECK(mark({{90, 103}}) == "[alp]ha beta gamma");               // starts before the quote
    CHECK(mark({{114, 130}, {200, 210}}) == "alpha beta gam[ma]");  // ends after it
    CHECK(mark({{106, 112}}) == "alpha [beta g]amma");              // filter applies inside
}

TEST_CASE("citation_label names file, paragraph and line", "[output]") {
    CHECK(output::citation_label(text_hit()) == "003_4a6a91b40eaa168d.txt ¶12 l.22");
    CHECK(output::citation_label(record_hit()) == "news.jsonl#4983 ¶2");

    auto no_evidence = text_hit();
    no_evidence.evidence.clear();
    CHECK(output::citation_label(no_evidence) == "003_4a6a91b40eaa168d.txt ¶12 l.21");
}

TEST_CASE("Scores have exactly 4 decimals", "[output]") {
    auto [score, text, rounded] = GENERATE(table<double, std::string, double>({
        {12.408, "12.4080", 12.408},
        {0.0, "0.0000", 0.0},
        {3.14159265, "3.1416", 3.1416},
        {1234.5, "1234.5000", 1234.5},
        {0.00004, "0.0000", 0.0},
        {12.40795, "12.4080", 12.408},  // binary 12.4079499…: text must agree with JSON
    }));
    CAPTURE(score);
    CHECK(output::format_score(score) == text);
    CHECK(output::round_score(score) == rounded);
    CHECK(std::stod(output::format_score(score)) == output::round_score(score));
}

// ---------------------------------------------------------------------------------------------
// Format names and the factory

TEST_CASE("parse_format knows each format name and nothing else", "[output]") {
    auto [name, format] = GENERATE(table<std::string, Format>({
        {"text", Format::Text},
        {"json", Format::Json},
        {"jsonl", Format::Jsonl},
        {"csv", Format::Csv},
        {"markdown", Format::Markdown},
        {"csl-json", Format::CslJson},
    }));
    CAPTURE(name);
    CHECK(output::parse_format(name) == format);

    for (const auto* bad : {"", "Text", "JSON", "csl_json", "md", "json ", "tsv"}) {
        CAPTURE(bad);
        CHECK_FALSE(output::parse_format(bad).has_value());
    }
}

TEST_CASE("make_sink builds the sink type of each format", "[output]") {
    std::ostringstream out;
    const output::SinkOptions options;
    CHECK(dynamic_cast<output::TextSink*>(output::make_sink(Format::Text, out, options).get()));
    CHECK(dynamic_cast<output::JsonSink*>(output::make_sink(Format::Json, out, options).get()));
    CHECK(
        dynamic_cast<output::JsonLinesSink*>(output::make_sink(Format::Jsonl, out, options).get()));
    CHECK(dynamic_cast<output::CsvSink*>(output::make_sink(Format::Csv, out, options).get()));
    CHECK(dynamic_cast<output::MarkdownSink*>(
        output::make_sink(Format::Markdown, out, options).get()));
    CHECK(
        dynamic_cast<output::CslJsonSink*>(output::make_sink(Format::CslJson, out, options).get()));
}

TEST_CASE("No sink prints timings", "[output]") {
    for (const auto format : {Format::Text, Format::Json, Format::Jsonl, Format::Csv,
                              Format::Markdown, Format::CslJson}) {
        const auto text = render(format, all_hits());
        CAPTURE(text);
        CHECK(text.find("9.87") == std::string::npos);
        CHECK(text.find("seconds") == std::string::npos);
        CHECK(render(format, all_hits()) == text);  // deterministic
    }
}

// ---------------------------------------------------------------------------------------------
// Text

TEST_CASE("Text sink lays out a hit", "[output]") {
    const auto hit = text_hit();
    const auto& e = hit.evidence;
    const std::string expected =
        "1. 003_4a6a91b40eaa168d.txt ¶12 l.22  score 12.4080\n"
        "   Solar *Notes* — Ayşe Yılmaz, Ada Lovelace (2021-03-04)\n"
        "   > “«Solar» wind, at dawn, is \"fast\" — the #1 fact. The «panels» — all of them — "
        "hummed.”\n"
        "     bytes " +
        std::to_string(e[0].bytes.begin) + "-" + std::to_string(e[0].bytes.end) +
        "\n"
        "   > Then «silence» fell.\n"
        "     bytes " +
        std::to_string(e[1].bytes.begin) + "-" + std::to_string(e[1].bytes.end) +
        "\n"
        "\n"
        "1 result(s) shown, passages 1-1 of 17 matching\n";
    CHECK(render(Format::Text, {hit}) == expected);
}

TEST_CASE("Text sink marks exactly the highlighted words", "[output]") {
    const auto plain = render(Format::Text, all_hits());
    CHECK(marked_words(plain) == std::vector<std::string>{"Solar", "panels", "silence", "ferry"});
    CHECK(count(plain, "«") == count(plain, "»"));
    CHECK(plain.find('\033') == std::string::npos);

    output::SinkOptions color;
    color.color = true;
    const auto colored = render(Format::Text, all_hits(), color);
    CHECK(colored.find("«") == std::string::npos);
    CHECK(colored.find("»") == std::string::npos);
    CHECK(count(colored, "\033[1;31m") == 4);
    CHECK(count(colored, "\033[0m") == 4);
    CHECK(colored.find("\033[1;31mSolar\033[0m wind") != std::string::npos);
    CHECK(colored.find("\033[1;31mferry\033[0m,") != std::string::npos);
}

TEST_CASE("Text sink withholds quotes of changed and missing files", "[output]") {
    const auto text = render(Format::Text, all_hits());
    const auto lines = split_lines(text);
    const auto at = [&](std::string_view start) {
        return std::find_if(lines.begin(), lines.end(),
                            [&](const std::string& line) { return line.rfind(start, 0) == 0; });
    };
    auto stale = at("3. changed.txt ¶3 l.7  score 1.0000");
    REQUIRE(stale != lines.end());
    CHECK(*(stale + 1) ==
          "   ! the file changed since it was indexed (content hash differs): quote withheld; "
          "re-run the indexer");
    auto missing = at("4. gone.txt ¶3 l.7  score 1.0000");
    REQUIRE(missing != lines.end());
    CHECK(*(missing + 1) == "   ! the file is missing: quote withheld");
    CHECK(text.find("no longer there") == std::string::npos);

    // The JSONL hit: no line number in its label.
    CHECK(at("2. news.jsonl#4983 ¶2  score 3.1416") != lines.end());
    CHECK(at("   Ferry news — Reuters (2021-3)") != lines.end());
}

TEST_CASE("Text sink summary line", "[output]") {
    CHECK(split_lines(render(Format::Text, all_hits())).back() ==
          "4 result(s) shown, passages 1-4 of 17 matching");

    auto query = query_info();
    query.offset = 20;
    auto stats = stats_for(1);
    stats.total_matches = 30000;
    stats.total_exact = false;
    CHECK(split_lines(render(Format::Text, {text_hit()}, {}, query, stats)).back() ==
          "1 result(s) shown, passages 21-21 of 30000 (estimated) matching");

    CHECK(render(Format::Text, {}, {}, query_info(), stats_for(0)) ==
          "no results at offset 0: 17 passage(s) match\n");
    auto none = stats_for(0);
    none.total_matches = 0;
    CHECK(render(Format::Text, {}, {}, query_info(), none) == "no results\n");
}

// ---------------------------------------------------------------------------------------------
// JSON and JSON Lines

TEST_CASE("JSON sink writes one document with every result field", "[output]") {
    auto query = query_info();
    query.offset = 5;
    auto stats = stats_for(4);
    stats.total_exact = false;
    const auto text = render(Format::Json, all_hits(), {}, query, stats);
    // pretty, 2 spaces, ordered
    CHECK(text.rfind("{\n  \"format_version\": 5,\n  \"mode\": \"ranked\",\n", 0) == 0);
    CHECK(text.back() == '\n');

    const auto doc = nlohmann::json::parse(text);
    CHECK(doc.at("format_version") == output::json_format_version);
    CHECK(doc.at("format_version") == 5);
    CHECK(doc.at("mode") == "ranked");
    CHECK_FALSE(doc.contains("mentions"));
    CHECK(doc.at("query") == "solar wind");
    CHECK(doc.at("db") == "idx");
    CHECK(doc.at("offset") == 5);
    CHECK(doc.at("limit") == 10);
    CHECK(doc.at("total_matches") == 17);
    CHECK(doc.at("total_exact") == false);
    REQUIRE(doc.at("results").size() == 4);

    const auto hit = text_hit();
    const auto& r = doc.at("results")[0];
    CHECK(r.at("rank") == 1);
    CHECK(r.at("score").get<double>() == 12.408);
    CHECK(r.at("citation") == "003_4a6a91b40eaa168d.txt ¶12 l.22");
    CHECK(r.at("source") == "003_4a6a91b40eaa168d.txt");
    CHECK(r.at("record").is_null());
    CHECK(r.at("paragraph") == 12);
    CHECK(r.at("line") == 22);
    CHECK(r.at("start_byte") == hit.passage.bytes.begin);
    CHECK(r.at("end_byte") == hit.passage.bytes.end);
    CHECK(r.at("title") == "Solar *Notes*");
    CHECK(r.at("authors") == nlohmann::json::array({"Ayşe Yılmaz", "Ada Lovelace"}));
    CHECK(r.at("date") == "2021-03-04");
    CHECK(r.at("publisher") == "Kurtuluş Press");
    CHECK(r.at("container_title") == "Wind Weekly");
    CHECK(r.at("sha256") == hit.sha256);
    CHECK(r.at("status") == "fresh");
    REQUIRE(r.at("evidence").size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& span = hit.evidence[i];
        const auto& e = r.at("evidence")[i];
        CHECK(e.at("quote") == span.quote);
        CHECK(e.at("start_byte") == span.bytes.begin);
        CHECK(e.at("end_byte") == span.bytes.end);
        CHECK(e.at("line") == span.line);
        CHECK(e.at("prefix") == span.prefix);
        CHECK(e.at("suffix") == span.suffix);
        REQUIRE(e.at("highlights").size() == span.highlights.size());
        for (std::size_t k = 0; k < span.highlights.size(); ++k) {
            CHECK(e.at("highlights")[k].at("start_byte") == span.highlights[k].begin);
            CHECK(e.at("highlights")[k].at("end_byte") == span.highlights[k].end);
        }
        // The offsets locate the quote in the paragraph.
        const auto offset =
            e.at("start_byte").get<std::size_t>() - r.at("start_byte").get<std::size_t>();
        CHECK(text_paragraph.substr(offset, span.bytes.size()) == e.at("quote").get<std::string>());
    }
    CHECK(r.at("evidence")[0].at("quote").get<std::string>().find('\n') != std::string::npos);

    const auto& record = doc.at("results")[1];
    CHECK(record.at("record") == "4983");
    CHECK(record.at("line").is_null());
    CHECK(record.at("evidence")[0].at("line").is_null());
    CHECK(record.at("citation") == "news.jsonl#4983 ¶2");
    CHECK(record.at("score").get<double>() == 3.1416);

    CHECK(doc.at("results")[2].at("status") == "stale");
    CHECK(doc.at("results")[2].at("evidence").empty());
    CHECK(doc.at("results")[3].at("status") == "missing");
    CHECK(doc.at("results")[3].at("evidence").empty());
    for (const auto& result : doc.at("results")) CHECK_FALSE(result.contains("mention"));
}

TEST_CASE("JSON sink with no hits has an empty results array", "[output]") {
    const auto doc =
        nlohmann::json::parse(render(Format::Json, {}, {}, query_info(), stats_for(0)));
    CHECK(doc.at("results") == nlohmann::json::array());
    CHECK(doc.at("total_matches") == 17);
}

TEST_CASE("JSON Lines sink writes begin, one result per hit, end", "[output]") {
    const auto hits = all_hits();
    const auto text = render(Format::Jsonl, hits);
    const auto lines = split_lines(text);
    REQUIRE(lines.size() == hits.size() + 2);
    CHECK(text.back() == '\n');

    const auto begin = nlohmann::json::parse(lines.front());
    CHECK(lines.front().rfind(
              "{\"type\":\"begin\",\"format_version\":5,\"mode\":\"ranked\",", 0) == 0);
    CHECK(begin == nlohmann::json{{"type", "begin"},
                                  {"format_version", 5},
                                  {"mode", "ranked"},
                                  {"query", "solar wind"},
                                  {"db", "idx"},
                                  {"offset", 0},
                                  {"limit", 10}});

    const auto end = nlohmann::json::parse(lines.back());
    CHECK(end ==
          nlohmann::json{
              {"type", "end"}, {"results", 4}, {"total_matches", 17}, {"total_exact", true}});

    // Result lines carry exactly the objects of the JSON format, plus "type" first.
    const auto doc = nlohmann::json::parse(render(Format::Json, hits));
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const auto& line = lines[i + 1];
        CAPTURE(line);
        CHECK(line.rfind("{\"type\":\"result\",\"rank\":", 0) == 0);
        auto result = nlohmann::json::parse(line);
        result.erase("type");
        CHECK(result == doc.at("results")[i]);
    }
}

TEST_CASE("JSON sinks replace invalid UTF-8 instead of throwing", "[output]") {
    auto hit = text_hit();
    hit.evidence[0].quote = "bad \xC3 byte";
    std::string text;
    CHECK_NOTHROW(text = render(Format::Jsonl, {hit}));
    CHECK(text.find("bad \xEF\xBF\xBD byte") != std::string::npos);  // U+FFFD
}

// ---------------------------------------------------------------------------------------------
// CSV

TEST_CASE("CSV sink writes one RFC 4180 row per evidence span", "[output]") {
    const auto text = render(Format::Csv, all_hits());
    const auto rows = read_csv(text);
    REQUIRE(rows.size() == 1 + 2 + 1 + 1 + 1);
    CHECK(rows[0] == std::vector<std::string>{"rank", "score", "source", "record", "paragraph",
                                              "line", "start_byte", "end_byte", "quote", "prefix",
                                              "suffix", "highlights", "title", "authors", "date",
                                              "publisher", "sha256", "status", "mention_text",
                                              "mention_start_byte", "mention_end_byte", "alias"});
    for (const auto& row : rows) CHECK(row.size() == rows[0].size());

    const auto hit = text_hit();
    const auto& span = hit.evidence[0];
    const auto& row = rows[1];
    CHECK(row[0] == "1");
    CHECK(row[1] == "12.4080");
    CHECK(row[2] == "003_4a6a91b40eaa168d.txt");
    CHECK(row[3] == "");
    CHECK(row[4] == "12");
    CHECK(row[5] == "22");
    CHECK(row[6] == std::to_string(span.bytes.begin));
    CHECK(row[7] == std::to_string(span.bytes.end));
    CHECK(row[8] == span.quote);  // commas, "quotes" and a line break survive the round trip
    CHECK(row[8].find('\n') != std::string::npos);
    CHECK(row[8].find("\"fast\"") != std::string::npos);
    CHECK(row[9] == span.prefix);
    CHECK(row[10] == span.suffix);
    CHECK(row[11] == std::to_string(span.highlights[0].begin) + "-" +
                         std::to_string(span.highlights[0].end) + ";" +
                         std::to_string(span.highlights[1].begin) + "-" +
                         std::to_string(span.highlights[1].end));
    CHECK(row[12] == "Solar *Notes*");
    CHECK(row[13] == "Ayşe Yılmaz; Ada Lovelace");
    CHECK(row[14] == "2021-03-04");
    CHECK(row[15] == "Kurtuluş Press");
    CHECK(row[16] == hit.sha256);
    CHECK(row[17] == "fresh");

    CHECK(rows[2][5] == "23");
    CHECK(rows[2][8] == "Then silence fell.");

    CHECK(rows[3][3] == "4983");
    CHECK(rows[3][5] == "");  // JSONL records have no lines
    CHECK(rows[3][8] == std::string(sentence_record));

    for (const auto& withheld : {rows[4], rows[5]}) {
        for (std::size_t column = 5; column <= 11; ++column) CHECK(withheld[column] == "");
        CHECK(withheld[4] == "3");
    }
    CHECK(rows[4][17] == "stale");
    CHECK(rows[5][17] == "missing");
    for (std::size_t r = 1; r < rows.size(); ++r)  // ranked mode: no mention columns filled
        for (std::size_t column = 18; column < rows[r].size(); ++column)
            CHECK(rows[r][column] == "");
}

TEST_CASE("CSV sink with no hits writes only the header", "[output]") {
    const auto rows = read_csv(render(Format::Csv, {}));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].front() == "rank");
}

// ---------------------------------------------------------------------------------------------
// Markdown

TEST_CASE("Markdown sink quotes evidence and cites the paragraph", "[output]") {
    const auto hit = text_hit();
    const auto& e = hit.evidence;
    const std::string expected =
        "> “**Solar** wind, at dawn, is \"fast\" — the \\#1 fact. The **panels** — all of them — "
        "hummed.”\n"
        ">\n"
        "> Then **silence** fell.\n"
        "\n"
        "— *Solar \\*Notes\\**, Ayşe Yılmaz, Ada Lovelace, Kurtuluş Press, 2021-03-04. "
        "`003_4a6a91b40eaa168d.txt` ¶12, l.22 (bytes " +
        std::to_string(e[0].bytes.begin) + "–" + std::to_string(e[0].bytes.end) + ", " +
        std::to_string(e[1].bytes.begin) + "–" + std::to_string(e[1].bytes.end) +
        ").\n"
        "\n";
    CHECK(render(Format::Markdown, {hit}) == expected);
}

TEST_CASE("Markdown sink cites JSONL records and withheld quotes", "[output]") {
    const auto record = record_hit();
    CHECK(render(Format::Markdown, {record}) ==
          "> The “Kurtuluş” **ferry**, late again.\n\n"
          "— *Ferry news*, Reuters, 2021-3. `news.jsonl#4983` ¶2 (bytes " +
              std::to_string(record.evidence[0].bytes.begin) + "–" +
              std::to_string(record.evidence[0].bytes.end) + ").\n\n");

    CHECK(render(Format::Markdown, {withheld_hit(SourceStatus::Stale, 3)}) ==
          "> *(quote withheld: the file changed since it was indexed)*\n\n"
          "— `changed.txt` ¶3, l.7.\n\n");
    CHECK(render(Format::Markdown, {withheld_hit(SourceStatus::Missing, 4)}) ==
          "> *(quote withheld: the file is missing)*\n\n"
          "— `gone.txt` ¶3, l.7.\n\n");
    CHECK(render(Format::Markdown, {}).empty());
}

TEST_CASE("Markdown sink fences sources that contain backticks", "[output]") {
    auto hit = withheld_hit(SourceStatus::Missing, 1);
    hit.passage.source = "odd`name.txt";
    CHECK(render(Format::Markdown, {hit}).find("— ``odd`name.txt`` ¶3") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON

// ---------------------------------------------------------------------------------------------
// TREC

TEST_CASE("TREC sink lists each document once, at its best passage's rank", "[output]") {
    // A page from --offset 3: passage ranks 4, 5, 6, the first two of one file. Ranks went on
    // from 1 on every page, so a run of pages had repeated ranks.
    CitedHit first = text_hit();
    first.rank = 4;
    first.score = 3.5;
    CitedHit same_file = text_hit();
    same_file.rank = 5;
    same_file.score = 3.25;
    CitedHit record = record_hit();
    record.rank = 6;
    record.score = 3;
    output::QueryInfo query = query_info();
    query.id = "q7";
    query.offset = 3;
    const std::string expected = "q7 Q0 " + first.passage.source + " 4 3.5000 cite\n" + "q7 Q0 " +
                                 record.passage.record + " 6 3.0000 cite\n";
    CHECK(render(Format::Trec, {first, same_file, record}, {}, query) == expected);
}

TEST_CASE("csl_date_parts reads YYYY[-MM[-DD]] only", "[output]") {
    using Parts = std::vector<int>;
    CHECK(output::csl_date_parts("2021") == Parts{2021});
    CHECK(output::csl_date_parts("2021-03") == Parts{2021, 3});
    CHECK(output::csl_date_parts("2021-03-04") == Parts{2021, 3, 4});
    for (const auto* bad : {"", "21", "2021-3", "2021-13", "2021-00", "2021-03-32", "2021-03-04-05",
                            "2021-03-", "-2021", "2021/03", "20x1", "2021-03-04T10:00"}) {
        CAPTURE(bad);
        CHECK_FALSE(output::csl_date_parts(bad).has_value());
    }
}

TEST_CASE("csl_name: a person's family name last or before a comma; an organisation literal", "[output]") {
    auto [name, expected] = GENERATE(table<std::string, std::string>({
        {"Ada Lovelace", R"({"family":"Lovelace","given":"Ada"})"},
        {"Ayşe  Yılmaz ", R"({"family":"Yılmaz","given":"Ayşe"})"},
        {"Ursula K. Le Guin", R"({"family":"Guin","given":"Ursula K. Le"})"},
        {"Le Guin, Ursula K.", R"({"family":"Le Guin","given":"Ursula K."})"},
        {"Reuters", R"({"literal":"Reuters"})"},
        {"The Astana Times", R"({"literal":"The Astana Times"})"},
        {"International Energy Agency", R"({"literal":"International Energy Agency"})"},
        {"BBC News", R"({"literal":"BBC News"})"},
        {"Ministry of Foreign Affairs, Kazakhstan", R"({"literal":"Ministry of Foreign Affairs, Kazakhstan"})"},
        {"J. R. R. Tolkien", R"({"family":"Tolkien","given":"J. R. R."})"},
    }));
    CAPTURE(name);
    CHECK(output::csl_name(name).dump() == expected);
}

TEST_CASE("CSL-JSON sink writes one item per source, the paragraphs in custom data", "[output]") {
    auto second_paragraph = text_hit();  // another paragraph of the same file
    second_paragraph.passage.ordinal = 14;
    auto hits = all_hits();
    hits.insert(hits.begin() + 1, second_paragraph);
    const auto text = render(Format::CslJson, hits);
    CHECK(text.rfind("[\n  {\n    \"id\": ", 0) == 0);
    const auto items = nlohmann::json::parse(text);
    REQUIRE(items.is_array());
    REQUIRE(items.size() == 4);  // five hits, four sources

    const auto& first = items[0];
    // family of the first author (ı folds to i), year, first title word that is not a function word
    CHECK(first.at("id") == "yilmaz-2021-solar");
    CHECK(first.at("citation-key") == "yilmaz-2021-solar");
    CHECK(first.at("type") == "article-newspaper");
    CHECK(first.at("title") == "Solar *Notes*");
    CHECK(first.at("author") ==
          nlohmann::json::parse(
              R"([{"family":"Yılmaz","given":"Ayşe"},{"family":"Lovelace","given":"Ada"}])"));
    CHECK(first.at("issued") == nlohmann::json::parse(R"({"date-parts":[[2021,3,4]]})"));
    CHECK(first.at("publisher") == "Kurtuluş Press");
    CHECK(first.at("container-title") == "Wind Weekly");
    CHECK_FALSE(first.contains("locator"));  // a citation's, not an item's
    CHECK_FALSE(first.contains("label"));
    const auto& custom = first.at("custom");
    CHECK(custom.at("source") == "003_4a6a91b40eaa168d.txt");
    CHECK_FALSE(custom.contains("record"));
    CHECK(custom.at("sha256") == std::string(64, 'a'));
    REQUIRE(custom.at("paragraphs").size() == 2);
    const auto& para = custom.at("paragraphs")[0];
    CHECK(para.at("paragraph") == 12);
    CHECK(para.at("line") == text_hit().evidence[0].line);  // where the first quote starts
    const auto hit = text_hit();
    REQUIRE(para.at("quotes").size() == hit.evidence.size());
    for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
        CHECK(para.at("quotes")[i].at("quote") == hit.evidence[i].quote);
        CHECK(para.at("quotes")[i].at("start_byte") == hit.evidence[i].bytes.begin);
        CHECK(para.at("quotes")[i].at("end_byte") == hit.evidence[i].bytes.end);
    }
    CHECK(custom.at("paragraphs")[1].at("paragraph") == 14);

    const auto& record = items[1];
    CHECK(record.at("id") == "reuters-ferry");  // organisation, no readable date, title word
    CHECK(record.at("type") == "article");
    CHECK(record.at("author") == nlohmann::json::parse(R"([{"literal":"Reuters"}])"));
    CHECK_FALSE(record.contains("issued"));  // "2021-3" is not a CSL-readable date
    CHECK_FALSE(record.contains("publisher"));
    CHECK_FALSE(record.contains("container-title"));
    CHECK(record.at("custom").at("record") == "4983");
    CHECK_FALSE(record.at("custom").at("paragraphs")[0].contains("line"));

    // No metadata at all: "source"; the second such source in one output gets "-b".
    CHECK(items[2].at("id") == "source");
    CHECK(items[3].at("id") == "source-b");
    for (const auto* absent : {"title", "author", "issued", "publisher", "container-title"}) {
        CAPTURE(absent);
        CHECK_FALSE(items[2].contains(absent));
    }
    CHECK(items[2].at("custom").at("paragraphs")[0].at("quotes") == nlohmann::json::array());  // withheld
}

TEST_CASE("CSL-JSON sink writes [] when there are no hits", "[output]") {
    CHECK(render(Format::CslJson, {}) == "[]\n");
}

// ---------------------------------------------------------------------------------------------
// Exhaustive mode (`--all`: one hit per mention) and count mode (`--count`: only the summary)

TEST_CASE("Fixture mention hits quote their mention at its offsets", "[output]") {
    const auto hits = mention_hits();
    REQUIRE(hits.size() == 5);
    for (const auto& hit : hits) {
        CAPTURE(hit.rank);
        REQUIRE(hit.mention.has_value());
        const auto& m = *hit.mention;
        CHECK(hit.passage.text.substr(m.bytes.begin - hit.passage.bytes.begin, m.bytes.size()) ==
              m.text);
        REQUIRE(hit.evidence.size() == 1);
        const auto& span = hit.evidence[0];
        REQUIRE(span.highlights.size() == 1);
        CHECK(span.highlights[0].begin == m.bytes.begin);
        CHECK(span.highlights[0].end == m.bytes.end);
        CHECK(span.quote.substr(m.bytes.begin - span.bytes.begin, m.bytes.size()) == m.text);
    }
    CHECK(hits[0].mention->line == 0);  // JSONL record
    CHECK(hits[1].mention->line == 40);
    CHECK(hits[4].mention->text == "Middle\nCorridor");
    CHECK(hits[4].mention->line == 41);  // the line break before "the Middle" ...
    CHECK(hits[4].evidence[0].line == 40);  // ... comes after the sentence's start
}

TEST_CASE("A mention hit is cited at the mention's line", "[output]") {
    const auto hits = mention_hits();
    CHECK(output::citation_line(hits[4]) == 41);
    CHECK(output::citation_label(hits[4]) == corridor_source + " ¶3 l.41");
    CHECK(output::citation_label(hits[1]) == corridor_source + " ¶3 l.40");
    CHECK(output::citation_label(hits[0]) == "news.jsonl#4983 ¶2");
}

TEST_CASE("Text sink lays out a mention hit", "[output]") {
    const auto hits = mention_hits();
    const auto& span = hits[4].evidence[0];
    auto stats = mention_stats(1);
    const std::string expected =
        "5. " + corridor_source +
        " ¶3 l.41  mention «Middle Corridor»  alias Middle Corridor\n"
        "   Corridor Notes — Ada Lovelace (2024-05)\n"
        "   > Trade on the Trans-Caspian International Transport Route, or TITR, doubled; the "
        "«Middle Corridor» is “busy”.\n"
        "     bytes " +
        std::to_string(span.bytes.begin) + "-" + std::to_string(span.bytes.end) +
        "\n"
        "\n"
        "5 mentions in 2 files (2 passages); exhaustive: every occurrence in the index is listed\n"
        "  news.jsonl: 1\n"
        "  " +
        corridor_source +
        ": 4\n"
        "  by alias: Middle Corridor 2, Trans-Caspian International Transport Route 1, TITR 1, "
        "Orta Koridor 0\n";
    CHECK(render(Format::Text, {hits[4]}, {}, mention_query(), stats) == expected);

    // No alias group matched: no alias on the header line.
    const auto record = render(Format::Text, {hits[0]}, {}, mention_query(), stats);
    CHECK(split_lines(record).front() == "1. news.jsonl#4983 ¶2  mention «ferry»");
}

TEST_CASE("Text sink marks exactly the mention, in the header and the quote", "[output]") {
    const auto plain = render_mentions(Format::Text);
    CAPTURE(plain);
    // Each hit marks its mention twice (header, quote) and nothing else; "Middle\nCorridor"
    // is flattened like the quote.
    CHECK(marked_words(plain) ==
          std::vector<std::string>{"ferry", "ferry", "Middle Corridor", "Middle Corridor",
                                   "Trans-Caspian International Transport Route",
                                   "Trans-Caspian International Transport Route", "TITR", "TITR",
                                   "Middle Corridor", "Middle Corridor"});
    CHECK(plain.find("score") == std::string::npos);
    CHECK(plain.find("result(s)") == std::string::npos);  // no ranked summary line
    CHECK(plain.find('\033') == std::string::npos);
    CHECK(plain.find("the «Middle Corridor» is") != std::string::npos);

    output::SinkOptions color;
    color.color = true;
    const auto colored = render_mentions(Format::Text, false, color);
    CHECK(colored.find("«") == std::string::npos);
    CHECK(colored.find("»") == std::string::npos);
    CHECK(count(colored, "\033[1;31m") == 10);
    CHECK(count(colored, "\033[0m") == 10);
    CHECK(colored.find("  mention \033[1;31mTITR\033[0m  alias TITR\n") != std::string::npos);
    CHECK(colored.find("or \033[1;31mTITR\033[0m, doubled") != std::string::npos);
}

TEST_CASE("Text sink summarises mentions: totals, files, aliases", "[output]") {
    output::MentionSummary summary;
    summary.total = 12;
    summary.passages = 5;
    summary.per_file = {{"003_4a6a91b40eaa168d.txt", 5},
                        {"004_1c0e81e84614d3ea.txt", 7},
                        {"002_0000000000000000.txt", 0}};  // no mention: not listed, not counted
    summary.per_alias = {{"Middle Corridor", 8},
                         {"Trans-Caspian International Transport Route", 3},
                         {"TITR", 1}};
    const auto summary_of = [](output::MentionSummary s, bool count_only = false) {
        return render(Format::Text, {}, {}, mention_query(count_only),
                      mention_stats(0, std::move(s)));
    };
    CHECK(summary_of(summary) ==
          "12 mentions in 2 files (5 passages); exhaustive: every occurrence in the index is "
          "listed\n"
          "  003_4a6a91b40eaa168d.txt: 5\n"
          "  004_1c0e81e84614d3ea.txt: 7\n"
          "  by alias: Middle Corridor 8, Trans-Caspian International Transport Route 3, TITR 1\n");

    // --count: the same summary, which says the occurrences were counted.
    const auto counted = split_lines(summary_of(summary, true));
    REQUIRE(counted.size() == 4);
    CHECK(counted[0] ==
          "12 mentions in 2 files (5 passages); exhaustive: every occurrence in the index is "
          "counted");

    // Singular, and no alias line without alias groups.
    output::MentionSummary one;
    one.total = 1;
    one.passages = 1;
    one.per_file = {{"a.txt", 1}};
    CHECK(summary_of(one) ==
          "1 mention in 1 file (1 passage); exhaustive: every occurrence in the index is listed\n"
          "  a.txt: 1\n");

    CHECK(summary_of(output::MentionSummary{}) == "no mentions\n");
    CHECK(summary_of(output::MentionSummary{}, true) == "no mentions\n");
}

TEST_CASE("JSON sink in mention mode: a mention per result and the summary", "[output]") {
    const auto hits = mention_hits();
    const auto text = render_mentions(Format::Json);
    CHECK(text.rfind("{\n  \"format_version\": 5,\n  \"mode\": \"mentions\",\n", 0) == 0);
    // The summary comes before the (possibly long) results array.
    REQUIRE(text.find("\"mentions\": {") != std::string::npos);
    CHECK(text.find("\"mentions\": {") < text.find("\"results\": ["));

    const auto doc = nlohmann::ordered_json::parse(text);
    CHECK(doc.at("mode") == "mentions");
    CHECK(doc.at("mentions") == nlohmann::ordered_json::parse(R"({
        "total": 5, "passages": 2, "documents": 0, "exhaustive": true,
        "per_file": [{"source": "news.jsonl", "count": 1},
                     {"source": "004_1c0e81e84614d3ea.txt", "count": 4}],
        "per_alias": [{"alias": "Middle Corridor", "count": 2},
                      {"alias": "Trans-Caspian International Transport Route", "count": 1},
                      {"alias": "TITR", "count": 1},
                      {"alias": "Orta Koridor", "count": 0}]})"));

    REQUIRE(doc.at("results").size() == hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const auto& r = doc.at("results")[i];
        const auto& m = *hits[i].mention;
        CAPTURE(i);
        CHECK(r.at("rank") == i + 1);
        CHECK(r.at("score") == 0);
        REQUIRE(r.contains("mention"));
        CHECK(std::prev(r.end()).key() == "mention");  // last, after the ranked fields
        const auto& jm = r.at("mention");
        CHECK(jm.at("text") == m.text);
        CHECK(jm.at("start_byte") == m.bytes.begin);
        CHECK(jm.at("end_byte") == m.bytes.end);
        // The offsets locate the mention in the passage, and it is the one highlight.
        const auto offset =
            jm.at("start_byte").get<std::size_t>() - r.at("start_byte").get<std::size_t>();
        CHECK(hits[i].passage.text.substr(offset, m.text.size()) ==
              jm.at("text").get<std::string>());
        REQUIRE(r.at("evidence").size() == 1);
        CHECK(r.at("evidence")[0].at("highlights") ==
              nlohmann::ordered_json::array(
                  {{{"start_byte", m.bytes.begin}, {"end_byte", m.bytes.end}}}));
    }
    const auto& record = doc.at("results")[0].at("mention");
    CHECK(record.at("line").is_null());
    CHECK(record.at("alias").is_null());
    CHECK(record.at("text") == "ferry");
    const auto& broken = doc.at("results")[4];
    CHECK(broken.at("mention").at("line") == 41);
    CHECK(broken.at("mention").at("alias") == "Middle Corridor");
    CHECK(broken.at("mention").at("text") == "Middle\nCorridor");
    CHECK(broken.at("line") == 41);
    CHECK(broken.at("citation") == corridor_source + " ¶3 l.41");
}

TEST_CASE("JSON sink in count mode has the summary and no results", "[output]") {
    const auto doc = nlohmann::json::parse(render_mentions(Format::Json, true));
    CHECK(doc.at("mode") == "count");
    CHECK(doc.at("results") == nlohmann::json::array());
    CHECK(doc.at("mentions").at("total") == 5);
    CHECK(doc.at("mentions").at("exhaustive") == true);
    CHECK(doc.at("mentions").at("per_file")[1].at("source") == corridor_source);
    CHECK(doc.at("mentions").at("per_file")[1].at("count") == 4);

    // A query that named no alias group: per_alias is an empty array, not absent.
    auto summary = mention_summary();
    summary.per_alias.clear();
    const auto plain = nlohmann::json::parse(
        render(Format::Json, {}, {}, mention_query(true), mention_stats(0, summary)));
    CHECK(plain.at("mentions").at("per_alias") == nlohmann::json::array());
}

TEST_CASE("JSON Lines sink in mention and count modes", "[output]") {
    const auto hits = mention_hits();
    const auto lines = split_lines(render_mentions(Format::Jsonl));
    REQUIRE(lines.size() == hits.size() + 2);
    CHECK(lines.front().rfind(
              "{\"type\":\"begin\",\"format_version\":5,\"mode\":\"mentions\",", 0) == 0);

    // Result lines and the summary are those of the JSON format.
    const auto doc = nlohmann::json::parse(render_mentions(Format::Json));
    for (std::size_t i = 0; i < hits.size(); ++i) {
        auto result = nlohmann::json::parse(lines[i + 1]);
        CAPTURE(lines[i + 1]);
        CHECK(result.at("type") == "result");
        result.erase("type");
        CHECK(result == doc.at("results")[i]);
        CHECK(result.at("mention").at("text") == hits[i].mention->text);
    }
    const auto end = nlohmann::json::parse(lines.back());
    CHECK(end.at("type") == "end");
    CHECK(end.at("results") == 5);
    CHECK(end.at("mentions") == doc.at("mentions"));

    const auto count_lines = split_lines(render_mentions(Format::Jsonl, true));
    REQUIRE(count_lines.size() == 2);
    CHECK(nlohmann::json::parse(count_lines[0]).at("mode") == "count");
    const auto count_end = nlohmann::json::parse(count_lines[1]);
    CHECK(count_end.at("results") == 0);
    CHECK(count_end.at("mentions").at("total") == 5);
    CHECK(count_end.at("mentions").at("passages") == 2);

    // Ranked mode: no summary on the end line.
    CHECK_FALSE(nlohmann::json::parse(split_lines(render(Format::Jsonl, all_hits())).back())
                    .contains("mentions"));
}

TEST_CASE("CSV sink in mention mode fills the mention columns", "[output]") {
    const auto hits = mention_hits();
    const auto rows = read_csv(render_mentions(Format::Csv));
    REQUIRE(rows.size() == 1 + hits.size());
    REQUIRE(rows[0].size() == 22);
    CHECK(std::vector<std::string>(rows[0].begin() + 18, rows[0].end()) ==
          std::vector<std::string>{"mention_text", "mention_start_byte", "mention_end_byte",
                                   "alias"});
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const auto& row = rows[i + 1];
        const auto& m = *hits[i].mention;
        CAPTURE(i);
        REQUIRE(row.size() == 22);
        CHECK(row[0] == std::to_string(i + 1));
        CHECK(row[1] == "0.0000");
        CHECK(row[18] == m.text);
        CHECK(row[19] == std::to_string(m.bytes.begin));
        CHECK(row[20] == std::to_string(m.bytes.end));
        CHECK(row[21] == m.alias);
        // The mention lies inside the quote of its row, at its offsets.
        const auto quote_start = std::stoul(row[6]);
        CHECK(row[8].substr(std::stoul(row[19]) - quote_start, m.text.size()) == row[18]);
        CHECK(row[11] == row[19] + "-" + row[20]);
    }
    CHECK(rows[1][21] == "");  // no alias group matched
    CHECK(rows[5][18] == "Middle\nCorridor");  // the line break survives the round trip
}

TEST_CASE("CSV sink in count mode writes a source,count table with a total", "[output]") {
    CHECK(read_csv(render_mentions(Format::Csv, true)) ==
          std::vector<std::vector<std::string>>{{"source", "count"},
                                                {"news.jsonl", "1"},
                                                {corridor_source, "4"},
                                                {"TOTAL", "5"}});
    CHECK(render_mentions(Format::Csv, true) ==
          "source,count\r\nnews.jsonl,1\r\n" + corridor_source + ",4\r\nTOTAL,5\r\n");

    // No mentions: the header and the total.
    CHECK(render(Format::Csv, {}, {}, mention_query(true), mention_stats(0, {})) ==
          "source,count\r\nTOTAL,0\r\n");

    // A hit passed in count mode cannot break the table.
    CHECK(read_csv(render(Format::Csv, {mention_hits()[0]}, {}, mention_query(true),
                          mention_stats(1)))
              .size() == 4);

    // A source that needs quoting is quoted.
    auto summary = mention_summary();
    summary.per_file = {{"a,b.txt", 5}};
    const auto quoted =
        read_csv(render(Format::Csv, {}, {}, mention_query(true), mention_stats(0, summary)));
    CHECK(quoted[1] == std::vector<std::string>{"a,b.txt", "5"});
}

TEST_CASE("Markdown sink in mention mode names the mention and summarises", "[output]") {
    const auto hits = mention_hits();
    const auto& broken = hits[4].evidence[0].bytes;
    const auto& ferry = hits[0].evidence[0].bytes;
    const std::string expected =
        "> The “Kurtuluş” **ferry**, late again.\n"
        "\n"
        "— mention “ferry”, *Ferry news*, Reuters, 2021-3. `news.jsonl#4983` ¶2 (bytes " +
        std::to_string(ferry.begin) + "–" + std::to_string(ferry.end) +
        ").\n"
        "\n"
        "> Trade on the Trans-Caspian International Transport Route, or TITR, doubled; the "
        "**Middle Corridor** is “busy”.\n"
        "\n"
        "— mention “Middle Corridor” (alias Middle Corridor), *Corridor Notes*, Ada Lovelace, "
        "2024-05. `" +
        corridor_source + "` ¶3, l.41 (bytes " + std::to_string(broken.begin) + "–" +
        std::to_string(broken.end) +
        ").\n"
        "\n"
        "**5 mentions** in 2 files, exhaustive.\n"
        "\n"
        "- `news.jsonl`: 1\n"
        "- `" +
        corridor_source +
        "`: 4\n"
        "\n"
        "By alias:\n"
        "\n"
        "- Middle Corridor: 2\n"
        "- Trans-Caspian International Transport Route: 1\n"
        "- TITR: 1\n"
        "- Orta Koridor: 0\n";
    CHECK(render(Format::Markdown, {hits[0], hits[4]}, {}, mention_query(), mention_stats(2)) ==
          expected);

    // Every mention is bold once in its quote, nothing else is.
    const auto all = render_mentions(Format::Markdown);
    CHECK(count(all, "**") == 2 * hits.size() + 2);  // + the bold total in the summary
    CHECK(count(all, "— mention “") == hits.size());
}

TEST_CASE("Markdown sink summary in count mode", "[output]") {
    output::MentionSummary one;
    one.total = 1;
    one.passages = 1;
    one.per_file = {{"a_b.txt", 1}, {"none.txt", 0}};
    CHECK(render(Format::Markdown, {}, {}, mention_query(true), mention_stats(0, one)) ==
          "**1 mention** in 1 file, exhaustive.\n\n- `a_b.txt`: 1\n");
    CHECK(render(Format::Markdown, {}, {}, mention_query(true), mention_stats(0, {})) ==
          "**No mentions**, exhaustive.\n");
}

TEST_CASE("CSL-JSON sink cites a paragraph once however many mentions it holds", "[output]") {
    const auto items = nlohmann::json::parse(render_mentions(Format::CslJson));
    REQUIRE(items.size() == 2);
    CHECK(items[0].at("custom").at("record") == "4983");
    CHECK(items[1].at("custom").at("source") == corridor_source);
    REQUIRE(items[1].at("custom").at("paragraphs").size() == 1);
    CHECK(items[1].at("custom").at("paragraphs")[0].at("paragraph") == 3);

    // Ranked mode: one item per source, in rank order.
    const auto ranked = nlohmann::json::parse(render(Format::CslJson, all_hits()));
    CHECK(ranked.size() == 4);
    CHECK(nlohmann::json::parse(render_mentions(Format::CslJson, true)) == nlohmann::json::array());
}

TEST_CASE("Ranked mode output carries no mention fields", "[output]") {
    for (const auto format : {Format::Text, Format::Markdown, Format::CslJson}) {
        const auto text = render(format, all_hits());
        CAPTURE(text);
        CHECK(text.find("mention") == std::string::npos);
        CHECK(text.find("exhaustive") == std::string::npos);
    }
    const auto doc = nlohmann::json::parse(render(Format::Json, all_hits()));
    CHECK_FALSE(doc.contains("mentions"));
}

// ---------------------------------------------------------------------------------------------
// Fact-checking output (`searcher check`, `report`, `facts`): hand-built ClaimChecks and a
// FactTable whose figures and quotes are found in the passage text, never typed in.

namespace {

using cite::evidence::ClaimCheck;
using cite::evidence::ClaimEvidence;
using cite::evidence::ClaimVerdict;
using cite::evidence::Fact;
using cite::evidence::FactTable;
using cite::evidence::QuantityComparison;
using cite::evidence::QuantityStatus;
using cite::evidence::StatedQuantity;

// Three paragraphs: one states the claim's figures, one others (and a '|' that Markdown
// tables must escape), one none.
const std::string trade_paragraph =
    "Trade between China and Kazakhstan grew fast.\n"
    "As a result, trade reached $31 billion in 2023, a record. Officials said | exports rose.";
const std::string_view trade_sentence = "As a result, trade reached $31 billion in 2023, a record.";
const std::string_view trade_sentence_two = "Officials said | exports rose.";
const std::string old_paragraph =
    "Earlier figures put China–Kazakhstan trade at $24 billion, with 12 ports | busy from 2019 to 2021.";
const std::string news_paragraph = "Kazakhstan trade news, in brief.";

const std::string claim_trade = "China–Kazakhstan trade hit $31 billion in 2023";
const std::string claim_exports = "Officials said exports rose";
const std::string claim_grain = "Kazakhstan exports 6 million tons of grain";

CitedHit passage_hit(std::string source, std::uint32_t ordinal, std::uint32_t line, std::size_t start,
                     const std::string& text) {
    CitedHit hit;
    hit.passage.source = std::move(source);
    hit.passage.ordinal = ordinal;
    hit.passage.line = line;
    hit.passage.bytes = {start, start + text.size()};
    hit.passage.text = text;
    hit.sha256 = std::string(64, 'e');
    return hit;
}

CitedHit trade_passage() {
    auto hit = passage_hit("003_trade.txt", 5, 9, 5000, trade_paragraph);
    hit.meta.title = "Trade Notes";
    hit.meta.authors = {"Ann Author"};
    hit.meta.publisher = "Steppe Press";
    hit.meta.date = "2024-01-15";
    return hit;
}

CitedHit old_passage() {
    auto hit = passage_hit("004_old.txt", 2, 3, 400, old_paragraph);
    hit.meta.title = "Old Figures";
    return hit;
}

CitedHit news_passage() { return passage_hit("005_news.txt", 1, 1, 0, news_paragraph); }

/// `hit` quoting `sentence` with `words` highlighted, as the checker builds its evidence.
CitedHit quoting(CitedHit hit, std::string_view sentence, const std::vector<std::string_view>& words) {
    const auto& p = hit.passage;
    hit.evidence = {make_span(p.text, p.bytes.begin, p.line, sentence, words)};
    return hit;
}

cite::analysis::Quantity quantity(double value, std::string unit, ByteRange bytes,
                                  std::optional<double> value_to = std::nullopt) {
    cite::analysis::Quantity q;
    q.value = value;
    q.value_to = value_to;
    q.unit = std::move(unit);
    q.bytes = bytes;
    return q;
}

/// The figure `words` as the claim states it (claim offsets, no line).
StatedQuantity claimed(const std::string& claim, std::string_view words, double value, std::string unit) {
    return {quantity(value, std::move(unit), find_range(claim, words, 0)), std::string(words), 0};
}

/// The figure `words` as the passage of `hit` states it (file offsets and line).
StatedQuantity stated_at(const CitedHit& hit, std::string_view words, double value, std::string unit,
                         std::optional<double> value_to = std::nullopt) {
    const auto& p = hit.passage;
    const auto bytes = find_range(p.text, words, p.bytes.begin);
    const auto offset = static_cast<long>(bytes.begin - p.bytes.begin);
    const auto line = p.line + static_cast<std::uint32_t>(std::count(p.text.begin(), p.text.begin() + offset, '\n'));
    return {quantity(value, std::move(unit), bytes, value_to), std::string(words), line};
}

/// "1234-1245", as text output prints a byte range.
std::string dashed(ByteRange r) { return std::to_string(r.begin) + "-" + std::to_string(r.end); }

std::vector<ClaimCheck> claim_checks() {
    ClaimCheck trade;
    trade.claim = claim_trade;
    trade.verdict = ClaimVerdict::Supported;
    trade.quantities = {claimed(claim_trade, "$31 billion", 31e9, "usd"), claimed(claim_trade, "2023", 2023, "year")};

    ClaimEvidence best;
    best.hit = quoting(trade_passage(), trade_sentence, {"$31 billion", "2023"});
    best.hit.rank = 2;  // the BM25 rank: the report numbers passages in its own order
    best.word_coverage = 5.0 / 6.0;
    best.supports = true;
    best.quantities = {
        QuantityComparison{trade.quantities[0], QuantityStatus::Matched, stated_at(best.hit, "$31 billion", 31e9, "usd")},
        QuantityComparison{trade.quantities[1], QuantityStatus::Matched, stated_at(best.hit, "2023", 2023, "year")}};

    ClaimEvidence older;
    older.hit = quoting(old_passage(), old_paragraph, {"$24 billion"});
    older.hit.rank = 1;
    older.word_coverage = 0.5;
    older.quantities = {
        QuantityComparison{trade.quantities[0], QuantityStatus::Differs, stated_at(older.hit, "$24 billion", 24e9, "usd")},
        QuantityComparison{trade.quantities[1], QuantityStatus::Absent, std::nullopt}};

    ClaimEvidence news;
    news.hit = quoting(news_passage(), news_paragraph, {});
    news.hit.rank = 3;
    news.word_coverage = 1.0 / 3.0;
    news.quantities = {QuantityComparison{trade.quantities[0], QuantityStatus::Absent, std::nullopt},
                       QuantityComparison{trade.quantities[1], QuantityStatus::Absent, std::nullopt}};
    trade.evidence = {best, older, news};

    // No figures; cites the trade paragraph again (another sentence of it).
    ClaimCheck exports;
    exports.claim = claim_exports;
    exports.verdict = ClaimVerdict::Supported;
    ClaimEvidence said;
    said.hit = quoting(trade_passage(), trade_sentence_two, {"Officials", "exports"});
    said.word_coverage = 1.0;
    said.supports = true;
    exports.evidence = {said};

    ClaimCheck grain;
    grain.claim = claim_grain;
    grain.verdict = ClaimVerdict::NotFound;
    grain.quantities = {claimed(claim_grain, "6 million tons", 6e6, "ton")};

    return {trade, exports, grain};
}

std::string render_claims(Format format, output::SinkOptions options = {}) {
    std::ostringstream out;
    output::write_claim_checks(format, out, claim_checks(), options);
    return out.str();
}

/// Figures of three passages (one without any), units deliberately not in sorted order.
FactTable fact_table() {
    const auto trade = quoting(trade_passage(), trade_sentence, {});
    const auto old = quoting(old_passage(), old_paragraph, {});
    const auto fact = [](CitedHit hit, std::string_view words, double value, std::string unit,
                         std::optional<double> value_to = std::nullopt) {
        auto stated = stated_at(hit, words, value, std::move(unit), value_to);
        hit.evidence[0].highlights = {stated.quantity.bytes};
        return Fact{stated, hit};
    };
    FactTable table;
    table.query = "Kazakhstan trade";
    table.passages = 3;
    table.by_unit = {
        {"usd", {fact(trade, "$31 billion", 31e9, "usd"), fact(old, "$24 billion", 24e9, "usd")}},
        {"year", {fact(trade, "2023", 2023, "year"), fact(old, "2019 to 2021", 2019, "year", 2021)}},
        {"", {fact(old, "12", 12, "")}},
    };
    return table;
}

std::string render_facts(Format format, output::SinkOptions options = {}) {
    std::ostringstream out;
    output::write_fact_table(format, out, fact_table(), options);
    return out.str();
}

/// The cells of a GFM table row: split on '|' not preceded by a backslash, trimmed.
std::vector<std::string> table_cells(const std::string& row) {
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < row.size(); ++i) {  // row[0] is the leading '|'
        if (row[i] == '|' && row[i - 1] != '\\') {
            const auto b = cell.find_first_not_of(' ');
            const auto e = cell.find_last_not_of(' ');
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
            cell.clear();
        } else {
            cell += row[i];
        }
    }
    return cells;
}

}  // namespace

TEST_CASE("Fixture claim figures and quotes stand at their offsets", "[output]") {
    for (const auto& check : claim_checks()) {
        for (const auto& q : check.quantities)
            CHECK(check.claim.substr(q.quantity.bytes.begin, q.quantity.bytes.size()) == q.text);
        for (const auto& e : check.evidence) {
            const auto& p = e.hit.passage;
            for (const auto& c : e.quantities)
                if (c.found)
                    CHECK(p.text.substr(c.found->quantity.bytes.begin - p.bytes.begin, c.found->text.size()) ==
                          c.found->text);
            for (const auto& span : e.hit.evidence)
                CHECK(p.text.substr(span.bytes.begin - p.bytes.begin, span.quote.size()) == span.quote);
        }
    }
}

TEST_CASE("Claim text: verdict, figures, passages and one line per comparison", "[output]") {
    const auto checks = claim_checks();
    const auto& best = checks[0].evidence[0];
    const auto& older = checks[0].evidence[1];
    const auto& said = checks[1].evidence[0];
    const std::string expected =
        "claim: China–Kazakhstan trade hit $31 billion in 2023\n"
        "verdict: supported — a passage about the claim's subject states every figure of it\n"
        "  figures: $31 billion (31000000000 usd), 2023 (2023 year)\n"
        "  [1] 003_trade.txt ¶5 l.10  supports · words 83%\n"
        "      Trade Notes\n"
        "      > As a result, trade reached «$31 billion» in «2023», a record.\n"
        "        bytes " + dashed(best.hit.evidence[0].bytes) + "\n"
        "      $31 billion: matched — “$31 billion” (bytes " + dashed(best.quantities[0].found->quantity.bytes) + ")\n"
        "      2023: matched — “2023” (bytes " + dashed(best.quantities[1].found->quantity.bytes) + ")\n"
        "  [2] 004_old.txt ¶2 l.3  differs · words 50%\n"
        "      Old Figures\n"
        "      > Earlier figures put China–Kazakhstan trade at «$24 billion», with 12 ports | busy from 2019 to 2021.\n"
        "        bytes " + dashed(older.hit.evidence[0].bytes) + "\n"
        "      $31 billion: differs — the passage says “$24 billion” (24000000000 usd, bytes " +
        dashed(older.quantities[0].found->quantity.bytes) + ")\n"
        "      2023: absent\n"
        "  [3] 005_news.txt ¶1 l.1  words 33%\n"
        "      > Kazakhstan trade news, in brief.\n"
        "        bytes 0-32\n"
        "      $31 billion: absent\n"
        "      2023: absent\n"
        "\n"
        "claim: Officials said exports rose\n"
        "verdict: supported — a passage about the claim's subject states every figure of it\n"
        "  figures: none\n"
        "  [1] 003_trade.txt ¶5 l.10  supports · words 100%\n"
        "      Trade Notes\n"
        "      > «Officials» said | «exports» rose.\n"
        "        bytes " + dashed(said.hit.evidence[0].bytes) + "\n"
        "\n"
        "claim: Kazakhstan exports 6 million tons of grain\n"
        "verdict: not found — the corpus does not address this claim\n"
        "  figures: 6 million tons (6000000 ton)\n";
    CHECK(render_claims(Format::Text) == expected);
    CHECK(render_claims(Format::Trec) == expected);

    const auto colored = render_claims(Format::Text, {true});
    CHECK(colored.find("«") == std::string::npos);
    CHECK(colored.find("\033[1;31m$31 billion\033[0m") != std::string::npos);
}

TEST_CASE("Claim text: the contradicted verdict explains itself", "[output]") {
    auto checks = claim_checks();
    checks[0].verdict = ClaimVerdict::Contradicted;
    std::ostringstream out;
    output::write_claim_checks(Format::Text, out, {checks[0]}, {});
    CHECK(split_lines(out.str()).at(1) ==
          "verdict: contradicted — a passage about the claim's subject states another value for the same measure");
}

TEST_CASE("Claim JSON: verdicts, figures, comparisons and byte ranges", "[output]") {
    const auto checks = claim_checks();
    const auto doc = nlohmann::json::parse(render_claims(Format::Json));
    CHECK(doc.at("format_version") == 5);
    CHECK(doc.at("mode") == "check");
    CHECK(doc.at("note") == "evidence retrieval with numeric comparison, not a language model");
    const auto& claims = doc.at("claims");
    REQUIRE(claims.size() == 3);
    CHECK(claims[0].at("claim") == claim_trade);
    CHECK(claims[0].at("verdict") == "supported");
    CHECK(claims[2].at("verdict") == "not found");
    CHECK(claims[2].at("evidence").empty());
    for (const auto& claim : claims) CHECK(claim.at("left_out") == nlohmann::json::array());  // none here

    const auto& q = claims[0].at("quantities");
    REQUIRE(q.size() == 2);
    const auto dollars = find_range(claim_trade, "$31 billion", 0);
    CHECK(q[0] == nlohmann::json{{"text", "$31 billion"}, {"value", 31e9}, {"value_to", nullptr}, {"unit", "usd"},
                                 {"start_byte", dollars.begin}, {"end_byte", dollars.end}, {"line", nullptr}});
    CHECK(q[1].at("value") == 2023);
    CHECK(q[1].at("unit") == "year");

    const auto& evidence = claims[0].at("evidence");
    REQUIRE(evidence.size() == 3);
    CHECK(evidence[0].at("rank") == 1);  // the report's order, not the BM25 rank (2)
    CHECK(evidence[1].at("rank") == 2);
    CHECK(evidence[0].at("citation") == "003_trade.txt ¶5 l.10");
    CHECK(evidence[0].at("supports") == true);
    CHECK(evidence[1].at("supports") == false);
    CHECK(evidence[0].at("word_coverage") == 0.8333);
    CHECK(evidence[0].at("evidence").at(0).at("quote") == trade_sentence);

    const auto& matched = evidence[0].at("comparisons");
    REQUIRE(matched.size() == 2);
    const auto found = find_range(trade_paragraph, "$31 billion", 5000);
    CHECK(matched[0].at("status") == "matched");
    CHECK(matched[0].at("claimed").at("start_byte") == dollars.begin);
    CHECK(matched[0].at("found").at("start_byte") == found.begin);
    CHECK(matched[0].at("found").at("end_byte") == found.end);
    CHECK(matched[0].at("found").at("line") == 10);
    CHECK(matched[1].at("found").at("text") == "2023");

    const auto& differs = evidence[1].at("comparisons");
    const auto other = find_range(old_paragraph, "$24 billion", 400);
    CHECK(differs[0].at("status") == "differs");
    CHECK(differs[0].at("found").at("value") == 24e9);
    CHECK(differs[0].at("found").at("start_byte") == other.begin);
    CHECK(differs[0].at("found").at("end_byte") == other.end);
    CHECK(differs[1].at("status") == "absent");
    CHECK(differs[1].at("found").is_null());

    CHECK(claims[1].at("quantities").empty());
    CHECK(claims[1].at("evidence").at(0).at("comparisons").empty());
    CHECK(checks[0].evidence[0].hit.rank == 2);  // the fixture really has another rank
}

TEST_CASE("Claim JSON Lines: one claim object per line", "[output]") {
    const auto lines = split_lines(render_claims(Format::Jsonl));
    REQUIRE(lines.size() == 3);
    const auto document = nlohmann::json::parse(render_claims(Format::Json));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto line = nlohmann::ordered_json::parse(lines[i]);
        CHECK(line.begin().key() == "type");
        CHECK(line.at("type") == "claim");
        line.erase("type");
        CHECK(nlohmann::json(line) == document.at("claims").at(i));
    }
}

TEST_CASE("Claim CSV: a row per claim, passage and figure (RFC 4180)", "[output]") {
    const auto rows = read_csv(render_claims(Format::Csv));
    // header + 3 passages x 2 figures + 1 passage without figures + 1 claim without evidence
    REQUIRE(rows.size() == 9);
    CHECK(rows[0] == std::vector<std::string>{"claim", "verdict", "rank", "source", "record", "paragraph", "line",
                                              "quote", "start_byte", "end_byte", "claimed", "status", "found",
                                              "found_start_byte", "found_end_byte", "word_coverage", "supports"});
    for (const auto& row : rows) CHECK(row.size() == rows[0].size());

    const auto quote = find_range(trade_paragraph, trade_sentence, 5000);
    const auto found = find_range(trade_paragraph, "$31 billion", 5000);
    CHECK(rows[1] == std::vector<std::string>{claim_trade, "supported", "1", "003_trade.txt", "", "5", "10",
                                              std::string(trade_sentence), std::to_string(quote.begin),
                                              std::to_string(quote.end), "$31 billion", "matched", "$31 billion",
                                              std::to_string(found.begin), std::to_string(found.end), "0.8333",
                                              "true"});
    CHECK(rows[3].at(10) == "$31 billion");
    CHECK(rows[3].at(11) == "differs");
    CHECK(rows[3].at(12) == "$24 billion");
    CHECK(rows[4].at(11) == "absent");
    CHECK(rows[4].at(12).empty());
    CHECK(rows[4].at(13).empty());
    CHECK(rows[7].at(0) == claim_exports);
    CHECK(rows[7].at(10).empty());  // no figures: the figure columns stay empty
    CHECK(rows[7].at(7) == trade_sentence_two);
    CHECK(rows[8] == std::vector<std::string>{claim_grain, "not found", "", "", "", "", "", "", "", "", "", "", "", "",
                                              "", "", ""});
}

TEST_CASE("Claim Markdown: quotes with shared citation numbers and a Sources list", "[output]") {
    const auto md = render_claims(Format::Markdown);
    CAPTURE(md);
    CHECK(md.rfind("# Fact-check report\n\n", 0) == 0);
    CHECK(md.find("not a language model") != std::string::npos);
    CHECK(md.find("\n### China–Kazakhstan trade hit $31 billion in 2023\n\n**Verdict: supported** — ") !=
          std::string::npos);
    CHECK(md.find("\n**Verdict: not found** — the corpus does not address this claim.\n") != std::string::npos);
    CHECK(md.find("\n> As a result, trade reached **$31 billion** in **2023**, a record. [1]\n") != std::string::npos);
    CHECK(md.find("\n> Earlier figures put China–Kazakhstan trade at **$24 billion**, with 12 ports \\| busy from "
                  "2019 to 2021. [2]\n") != std::string::npos);
    CHECK(md.find("\n- $31 billion: matched\n- 2023: matched\n") != std::string::npos);
    // Only the figures the passage states bear on the claim: "2023", absent there, is not listed.
    CHECK(md.find("\n- $31 billion: differs — the source says “$24 billion”\n") != std::string::npos);
    CHECK(md.find("2023: absent") == std::string::npos);
    CHECK(md.find("\n> **Officials** said \\| **exports** rose. [1]\n") != std::string::npos);
    CHECK(md.find("005_news.txt") == std::string::npos);  // neither supports nor differs: not quoted

    const auto sources_at = md.find("\n## Sources\n");
    REQUIRE(sources_at != std::string::npos);
    std::vector<std::size_t> markers;
    std::vector<std::size_t> listed;
    std::vector<std::string> entries;
    for (const auto& line : split_lines(md.substr(0, sources_at))) {
        if (line.rfind("> ", 0) != 0 || line.back() != ']') continue;
        const auto open = line.rfind(" [");
        markers.push_back(std::stoul(line.substr(open + 2, line.size() - open - 3)));
    }
    for (const auto& line : split_lines(md.substr(sources_at))) {
        if (line.rfind("[", 0) != 0) continue;
        listed.push_back(std::stoul(line.substr(1, line.find(']') - 1)));
        entries.push_back(line);
    }
    CHECK(markers == std::vector<std::size_t>{1, 2, 1});  // the trade paragraph cited twice, one number
    CHECK(listed == std::vector<std::size_t>{1, 2});
    const auto one = find_range(trade_paragraph, trade_sentence, 5000);
    const auto two = find_range(trade_paragraph, trade_sentence_two, 5000);
    const auto old = find_range(old_paragraph, old_paragraph, 400);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0] == "[1] *Trade Notes*, Ann Author, Steppe Press, 2024-01-15. `003_trade.txt` ¶5, l.10 (bytes " +
                            std::to_string(one.begin) + "–" + std::to_string(one.end) + ", " +
                            std::to_string(two.begin) + "–" + std::to_string(two.end) + ").");
    CHECK(entries[1] == "[2] *Old Figures*. `004_old.txt` ¶2, l.3 (bytes " + std::to_string(old.begin) + "–" +
                            std::to_string(old.end) + ").");
}

TEST_CASE("Claim Markdown quotes at most three passages per claim", "[output]") {
    auto check = claim_checks()[0];
    for (std::uint32_t i = 0; i < 3; ++i) {
        auto more = check.evidence[1];
        more.hit.passage.ordinal = 10 + i;  // another paragraph, another number
        check.evidence.push_back(more);
    }
    std::ostringstream out;
    output::write_claim_checks(Format::Markdown, out, {check}, {});
    const auto md = out.str();
    CAPTURE(md);
    CHECK(count(md, "\n> ") == 3);
    CHECK(md.find("\n[3] ") != std::string::npos);
    CHECK(md.find("\n[4] ") == std::string::npos);
}

TEST_CASE("Claim CSL-JSON: one item per cited source", "[output]") {
    const auto items = nlohmann::json::parse(render_claims(Format::CslJson));
    REQUIRE(items.size() == 3);  // the trade paragraph serves two claims
    CHECK(items[0].at("custom").at("source") == "003_trade.txt");
    CHECK(items[0].at("title") == "Trade Notes");
    CHECK(items[0].at("custom").at("paragraphs").size() == 1);
    CHECK(items[1].at("custom").at("source") == "004_old.txt");
    CHECK(items[2].at("custom").at("source") == "005_news.txt");
    CHECK(items[2].at("custom").at("paragraphs")[0].at("paragraph") == 1);
}

TEST_CASE("Fact table text: units in the given order, a line per figure, a total", "[output]") {
    const std::string expected =
        "usd (2 figures)\n"
        "  31000000000  “$31 billion”  003_trade.txt ¶5 l.10\n"
        "    > As a result, trade reached «$31 billion» in 2023, a record.\n"
        "  24000000000  “$24 billion”  004_old.txt ¶2 l.3\n"
        "    > Earlier figures put China–Kazakhstan trade at «$24 billion», with 12 ports | busy from 2019 to 2021.\n"
        "year (2 figures)\n"
        "  2023  “2023”  003_trade.txt ¶5 l.10\n"
        "    > As a result, trade reached $31 billion in «2023», a record.\n"
        "  2019-2021  “2019 to 2021”  004_old.txt ¶2 l.3\n"
        "    > Earlier figures put China–Kazakhstan trade at $24 billion, with 12 ports | busy from «2019 to 2021».\n"
        "(count) (1 figure)\n"
        "  12  “12”  004_old.txt ¶2 l.3\n"
        "    > Earlier figures put China–Kazakhstan trade at $24 billion, with «12» ports | busy from 2019 to 2021.\n"
        "5 figures in 3 passages\n";
    CHECK(render_facts(Format::Text) == expected);

    auto stale = fact_table();
    stale.by_unit.resize(1);
    stale.by_unit[0].second.resize(1);
    stale.by_unit[0].second[0].hit.status = SourceStatus::Stale;
    stale.by_unit[0].second[0].hit.evidence.clear();
    stale.passages = 1;
    std::ostringstream out;
    output::write_fact_table(Format::Text, out, stale, {});
    CHECK(out.str() == "usd (1 figure)\n"
                       "  31000000000  “$31 billion”  003_trade.txt ¶5 l.9\n"
                       "    ! the file changed since it was indexed: quote withheld\n"
                       "1 figure in 1 passage\n");
}

TEST_CASE("Fact table JSON and JSON Lines carry each figure with its citation", "[output]") {
    const auto doc = nlohmann::json::parse(render_facts(Format::Json));
    CHECK(doc.at("format_version") == 5);
    CHECK(doc.at("mode") == "facts");
    CHECK(doc.at("query") == "Kazakhstan trade");
    CHECK(doc.at("passages") == 3);
    CHECK(doc.at("left_out") == nlohmann::json::array());
    const auto& units = doc.at("units");
    REQUIRE(units.size() == 3);
    CHECK(units[0].at("unit") == "usd");
    CHECK(units[1].at("unit") == "year");
    CHECK(units[2].at("unit") == "");

    const auto& first = units[0].at("facts").at(0);
    const auto dollars = find_range(trade_paragraph, "$31 billion", 5000);
    const auto quote = find_range(trade_paragraph, trade_sentence, 5000);
    CHECK(first.at("text") == "$31 billion");
    CHECK(first.at("value") == 31e9);
    CHECK(first.at("value_to").is_null());
    CHECK(first.at("start_byte") == dollars.begin);
    CHECK(first.at("end_byte") == dollars.end);
    CHECK(first.at("line") == 10);
    CHECK(first.at("citation") == "003_trade.txt ¶5 l.10");
    CHECK(first.at("source") == "003_trade.txt");
    CHECK(first.at("record").is_null());
    CHECK(first.at("paragraph") == 5);
    // The sentence under the byte-range names every mode uses.
    REQUIRE(first.at("evidence").size() == 1);
    CHECK(first.at("evidence")[0].at("quote") == trade_sentence);
    CHECK(first.at("evidence")[0].at("start_byte") == quote.begin);
    CHECK(first.at("evidence")[0].at("end_byte") == quote.end);
    CHECK(first.at("title") == "Trade Notes");
    CHECK(first.at("authors") == nlohmann::json::array({"Ann Author"}));
    CHECK(first.at("date") == "2024-01-15");
    const auto& range = units[1].at("facts").at(1);
    CHECK(range.at("value") == 2019);
    CHECK(range.at("value_to") == 2021);
    CHECK(range.at("start_byte") == find_range(old_paragraph, "2019 to 2021", 400).begin);

    const auto lines = split_lines(render_facts(Format::Jsonl));
    REQUIRE(lines.size() == 6);
    std::vector<std::string> order;
    for (std::size_t i = 0; i < 5; ++i) {
        const auto line = nlohmann::ordered_json::parse(lines[i]);
        CHECK(line.at("type") == "fact");
        CHECK(std::next(line.begin()).key() == "unit");
        order.push_back(line.at("unit").get<std::string>() + ":" + line.at("text").get<std::string>());
    }
    CHECK(order == std::vector<std::string>{"usd:$31 billion", "usd:$24 billion", "year:2023", "year:2019 to 2021",
                                            ":12"});
    CHECK(nlohmann::json::parse(lines[5]) ==
          nlohmann::json{{"type", "end"}, {"figures", 5}, {"truncated", false}, {"passages", 3}, {"left_out", nlohmann::json::array()}});
}

TEST_CASE("Fact table CSV: a row per figure (RFC 4180)", "[output]") {
    const auto rows = read_csv(render_facts(Format::Csv));
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == std::vector<std::string>{"unit", "value", "value_to", "text", "start_byte", "end_byte", "line",
                                              "source", "record", "paragraph", "quote", "title"});
    const auto dollars = find_range(trade_paragraph, "$31 billion", 5000);
    CHECK(rows[1] == std::vector<std::string>{"usd", "31000000000", "", "$31 billion", std::to_string(dollars.begin),
                                              std::to_string(dollars.end), "10", "003_trade.txt", "", "5",
                                              std::string(trade_sentence), "Trade Notes"});
    CHECK(rows[4].at(1) == "2019");
    CHECK(rows[4].at(2) == "2021");
    CHECK(rows[5].at(0).empty());
    CHECK(rows[5].at(3) == "12");
    CHECK(rows[5].at(10) == old_paragraph);
}

TEST_CASE("Fact table Markdown: a table per unit with escaped cells", "[output]") {
    const auto md = render_facts(Format::Markdown);
    CAPTURE(md);
    std::vector<std::string> headings;
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : split_lines(md)) {
        if (line.rfind("## ", 0) == 0) headings.push_back(line.substr(3));
        if (line.rfind("| ", 0) == 0) rows.push_back(table_cells(line));
    }
    CHECK(headings == std::vector<std::string>{"usd", "year", "(count)"});
    REQUIRE(rows.size() == 8);  // a header row per unit and a row per figure
    for (const auto& row : rows) CHECK(row.size() == 4);
    CHECK(rows[0] == std::vector<std::string>{"Figure", "Value", "Source", "Sentence"});
    CHECK(rows[1] == std::vector<std::string>{"$31 billion", "31000000000", "003\\_trade.txt ¶5 l.10",
                                              "As a result, trade reached **$31 billion** in 2023, a record."});
    CHECK(rows[5].at(1) == "2019-2021");
    CHECK(rows[7].at(3) == "Earlier figures put China–Kazakhstan trade at $24 billion, with **12** ports \\| busy "
                           "from 2019 to 2021.");
    CHECK(md.find("\n5 figures in 3 passages.\n") != std::string::npos);
}

TEST_CASE("Fact table CSL-JSON: one item per cited source", "[output]") {
    const auto items = nlohmann::json::parse(render_facts(Format::CslJson));
    REQUIRE(items.size() == 2);
    CHECK(items[0].at("custom").at("source") == "003_trade.txt");
    CHECK(items[0].at("custom").at("paragraphs")[0].at("paragraph") == 5);
    CHECK(items[1].at("custom").at("source") == "004_old.txt");
}

// ---- shards (issue 8) ------------------------------------------------------------------

TEST_CASE("An unchecked hit (remote shard) is quoted and says it was not checked", "[output]") {
    CitedHit hit = text_hit();
    hit.status = SourceStatus::Unchecked;
    const auto text = render(Format::Text, {hit});
    CHECK(text.find("! not checked against the file") != std::string::npos);
    CHECK(text.find("quote withheld") == std::string::npos);
    CHECK(count(text, "\n   > ") == hit.evidence.size());  // both quotes, as for a fresh hit

    const auto doc = nlohmann::json::parse(render(Format::Json, {hit}));
    CHECK(doc.at("results").at(0).at("status") == "unchecked");
    CHECK(doc.at("results").at(0).at("evidence").size() == hit.evidence.size());

    const auto md = render(Format::Markdown, {hit});
    CHECK(md.rfind("> ", 0) == 0);
    CHECK(md.find("not checked against the file (remote shard)") != std::string::npos);
    CHECK(cite::evidence::quotable(SourceStatus::Unchecked));
    CHECK(cite::evidence::quotable(SourceStatus::Fresh));
    CHECK_FALSE(cite::evidence::quotable(SourceStatus::Stale));
    CHECK_FALSE(cite::evidence::quotable(SourceStatus::Missing));
}

TEST_CASE("Missing shards are named after the summary; mentions are then not exhaustive", "[output]") {
    auto stats = stats_for(1);
    stats.missing_shards = {"tcp://127.0.0.1:9", "idx/shard-2"};
    const auto lines = split_lines(render(Format::Text, {text_hit()}, {}, query_info(), stats));
    REQUIRE(lines.size() >= 2);
    CHECK(lines[lines.size() - 2] == "1 result(s) shown, passages 1-1 of 17 matching");
    CHECK(lines.back() == "partial results: 2 shards could not be searched: tcp://127.0.0.1:9 idx/shard-2");

    const auto doc = nlohmann::json::parse(render(Format::Json, {text_hit()}, {}, query_info(), stats));
    CHECK(doc.at("missing_shards") == nlohmann::json::array({"tcp://127.0.0.1:9", "idx/shard-2"}));
    const auto end = nlohmann::json::parse(split_lines(render(Format::Jsonl, {text_hit()}, {}, query_info(), stats)).back());
    CHECK(end.at("type") == "end");
    CHECK(end.at("missing_shards").size() == 2);
    // Nothing missing: no such key, as before shards existed.
    CHECK_FALSE(nlohmann::json::parse(render(Format::Json, {text_hit()})).contains("missing_shards"));

    output::MentionSummary summary;
    summary.total = 1;
    summary.passages = 1;
    summary.per_file = {{"a.txt", 1}};
    auto partial = mention_stats(0, summary);
    partial.missing_shards = {"tcp://127.0.0.1:9"};
    const auto text = render(Format::Text, {}, {}, mention_query(false), partial);
    CHECK(text == "1 mention in 1 file (1 passage); every occurrence in the shards searched is listed\n"
                  "  a.txt: 1\n"
                  "partial results: 1 shard could not be searched: tcp://127.0.0.1:9\n");
    const auto json = nlohmann::json::parse(render(Format::Json, {}, {}, mention_query(false), partial));
    CHECK(json.at("mentions").at("exhaustive") == false);
    const auto complete = nlohmann::json::parse(render(Format::Json, {}, {}, mention_query(false), mention_stats(0, summary)));
    CHECK(complete.at("mentions").at("exhaustive") == true);
}

// ---- files left out: changed or deleted since indexing ---------------------------------------

namespace {

using cite::evidence::LeftOutSource;

const std::vector<LeftOutSource> left_out_sources = {{"003_trade.txt", SourceStatus::Stale},
                                                    {"dir/gone.txt", SourceStatus::Missing}};

const nlohmann::json left_out_json = nlohmann::json::array(
    {{{"source", "003_trade.txt"}, {"status", "stale"}, {"reason", "changed since it was indexed"}},
     {{"source", "dir/gone.txt"}, {"status", "missing"}, {"reason", "no longer exists or cannot be read"}}});

const std::string left_out_markdown = "Left out of this verdict; re-run the indexer to check against them:\n\n"
                                      "- `003_trade.txt` changed since it was indexed\n"
                                      "- `dir/gone.txt` no longer exists or cannot be read\n";

std::string render_quote_check(Format format, const cite::evidence::QuoteCheck& check) {
    std::ostringstream out;
    output::write_quote_check(format, out, check, {});
    return out.str();
}

}  // namespace

TEST_CASE("Files left out are noted once each, in first-seen order, with their reason", "[output]") {
    std::vector<LeftOutSource> list;
    cite::evidence::note_left_out(list, "003_trade.txt", SourceStatus::Stale);
    cite::evidence::note_left_out(list, "dir/gone.txt", SourceStatus::Missing);
    cite::evidence::note_left_out(list, "003_trade.txt", SourceStatus::Stale);
    CHECK(list == left_out_sources);
    CHECK(std::string(cite::evidence::left_out_reason(SourceStatus::Stale)) == "changed since it was indexed");
    CHECK(std::string(cite::evidence::left_out_reason(SourceStatus::Missing)) == "no longer exists or cannot be read");
    CHECK(output::left_out_to_json({}) == nlohmann::ordered_json::array());
    CHECK(nlohmann::json(output::left_out_to_json(left_out_sources)) == left_out_json);
    CHECK(output::markdown_left_out({}, "this verdict").empty());
    CHECK(output::markdown_left_out({left_out_sources[0]}, "these figures") ==
          "Left out of these figures; re-run the indexer to check against it:\n\n"
          "- `003_trade.txt` changed since it was indexed\n");
}

TEST_CASE("Quote JSON, JSON Lines and Markdown name the files left out of the verdict", "[output]") {
    cite::evidence::QuoteCheck check;
    check.quote = "trade reached $31 billion";
    check.verdict = cite::evidence::QuoteVerdict::NotFound;
    check.left_out = left_out_sources;

    const auto doc = nlohmann::ordered_json::parse(render_quote_check(Format::Json, check));
    CHECK(doc.at("format_version") == 5);
    CHECK(doc.at("verdict") == "not found");
    CHECK(doc.at("matches").empty());
    CHECK(nlohmann::json(doc.at("left_out")) == left_out_json);
    CHECK(std::prev(doc.end()).key() == "left_out");  // last, after the matches
    const auto line = nlohmann::json::parse(render_quote_check(Format::Jsonl, check));
    CHECK(line.at("type") == "quote");
    CHECK(line.at("left_out") == left_out_json);

    const auto md = render_quote_check(Format::Markdown, check);
    CHECK(md == "**not found**: no passage has this wording or anything close to it.\n\n" + left_out_markdown);
    // Text names them on stderr (the searcher), not in the verdict.
    CHECK(render_quote_check(Format::Text, check) == "not found: no passage has this wording or anything close to it\n");

    check.left_out.clear();
    CHECK(nlohmann::json::parse(render_quote_check(Format::Json, check)).at("left_out") == nlohmann::json::array());
    CHECK(render_quote_check(Format::Markdown, check).find("Left out") == std::string::npos);
}

TEST_CASE("Claim JSON and Markdown name the files left out of each verdict", "[output]") {
    auto checks = claim_checks();
    checks[2].left_out = left_out_sources;  // the claim found nowhere else
    std::ostringstream json;
    output::write_claim_checks(Format::Json, json, checks, {});
    const auto claims = nlohmann::json::parse(json.str()).at("claims");
    CHECK(claims[0].at("left_out") == nlohmann::json::array());
    CHECK(claims[2].at("left_out") == left_out_json);
    std::ostringstream jsonl;
    output::write_claim_checks(Format::Jsonl, jsonl, checks, {});
    CHECK(nlohmann::json::parse(split_lines(jsonl.str()).at(2)).at("left_out") == left_out_json);

    std::ostringstream md;
    output::write_claim_checks(Format::Markdown, md, checks, {});
    const auto text = md.str();
    CAPTURE(text);
    const auto heading = text.find("### " + claim_grain);
    const auto note = text.find(left_out_markdown);
    REQUIRE(heading != std::string::npos);
    CHECK(note > heading);  // under the claim it concerns
    CHECK(note < text.find("## Sources"));
    CHECK(count(text, "Left out of") == 1);

    std::ostringstream plain;
    output::write_claim_checks(Format::Text, plain, checks, {});
    CHECK(plain.str().find("Left out") == std::string::npos);  // stderr's job
}

TEST_CASE("Fact table JSON, JSON Lines and Markdown name the files left out", "[output]") {
    auto table = fact_table();
    table.left_out = left_out_sources;
    std::ostringstream json;
    output::write_fact_table(Format::Json, json, table, {});
    const auto doc = nlohmann::ordered_json::parse(json.str());
    CHECK(nlohmann::json(doc.at("left_out")) == left_out_json);
    CHECK(std::prev(doc.end()).key() == "left_out");
    std::ostringstream jsonl;
    output::write_fact_table(Format::Jsonl, jsonl, table, {});
    const auto end = nlohmann::json::parse(split_lines(jsonl.str()).back());
    CHECK(end.at("type") == "end");
    CHECK(end.at("left_out") == left_out_json);
    std::ostringstream md;
    output::write_fact_table(Format::Markdown, md, table, {});
    std::string expected_note = left_out_markdown;
    expected_note.replace(expected_note.find("this verdict"), std::string_view("this verdict").size(), "these figures");
    CHECK(md.str().ends_with("5 figures in 3 passages.\n\n" + expected_note));
}

TEST_CASE("A mention in a changed or missing file keeps its place, without its words", "[output]") {
    // The service withholds the words (evidence::Mention::text); the sinks rely on the status
    // alone, so even words left in a stale hit are never printed.
    for (const SourceStatus status : {SourceStatus::Stale, SourceStatus::Missing}) {
        CAPTURE(cite::evidence::to_string(status));
        auto hit = mention_hits()[1];  // "Middle Corridor", alias Middle Corridor
        hit.status = status;
        hit.evidence.clear();
        const auto mention = *hit.mention;
        REQUIRE(mention.text == "Middle Corridor");
        const auto stats = mention_stats(1);

        const auto text = render(Format::Text, {hit}, {}, mention_query(), stats);
        CHECK(text.rfind("2. " + corridor_source + " ¶3 l." + std::to_string(mention.line) +
                             "  mention (text withheld)  alias Middle Corridor\n", 0) == 0);
        CHECK(text.find("«Middle Corridor»") == std::string::npos);

        const auto doc = nlohmann::json::parse(render(Format::Json, {hit}, {}, mention_query(), stats));
        const auto& m = doc.at("results").at(0).at("mention");
        CHECK(m.at("text").is_null());
        CHECK(m.at("start_byte") == mention.bytes.begin);
        CHECK(m.at("end_byte") == mention.bytes.end);
        CHECK(doc.at("results").at(0).at("status") == cite::evidence::to_string(status));

        const auto rows = read_csv(render(Format::Csv, {hit}, {}, mention_query(), stats));
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].at(17) == cite::evidence::to_string(status));
        CHECK(rows[1].at(18).empty());  // mention_text
        CHECK(rows[1].at(19) == std::to_string(mention.bytes.begin));

        const auto md = render(Format::Markdown, {hit}, {}, mention_query(), stats);
        CHECK(md.find("— mention (text withheld) (alias Middle Corridor), ") != std::string::npos);
        CHECK(md.find("“Middle Corridor”") == std::string::npos);
    }
}

// ---- citations (issue 28): keys, BibTeX/BibLaTeX, RIS, pandoc ------------------------------

namespace {

cite::passage::DocumentMeta meta_of(std::string title, std::vector<std::string> authors, std::string date) {
    cite::passage::DocumentMeta m;
    m.title = std::move(title);
    m.authors = std::move(authors);
    m.date = std::move(date);
    return m;
}

}  // namespace

TEST_CASE("citation_key_base: family-year-word, or two title words without an author", "[output]") {
    using output::citation_key_base;
    CHECK(citation_key_base(meta_of("Kazakhstan leverages middle power status", {"Janusz Bugajski"}, "2024-07-09")) ==
          "bugajski-2024-kazakhstan");
    CHECK(citation_key_base(meta_of("The Strategic Case for Engaging Kazakhstan", {"Meymet Enes Beşer"}, "")) ==
          "beser-strategic");
    CHECK(citation_key_base(meta_of("Kazakhstan’s Balancing Act with Russia", {}, "")) == "kazakhstans-balancing");
    CHECK(citation_key_base(meta_of("Ad sales boost Time Warner profit", {}, "2005")) == "ad-sales-2005");
    // An organisation gives the first word of its name that is not a function word (csl_name).
    CHECK(citation_key_base(meta_of("On the—very—edge", {"The Astana Times"}, "2023-01")) == "astana-2023-very");
    CHECK(citation_key_base(meta_of("On the—very—edge", {"Le Guin, Ursula K."}, "")) == "guin-very");
    CHECK(citation_key_base(meta_of("On the—very—edge", {"Reuters"}, "")) == "reuters-very");
    CHECK(citation_key_base(meta_of("Война и мир", {"Лев Толстой"}, "1869")) == "1869");
    CHECK(citation_key_base(meta_of("", {}, "")) == "source");
    auto given = meta_of("Anything", {"A B"}, "2020");
    given.id = "my-key";
    CHECK(citation_key_base(given) == "my-key");
    // Each word is cut to 20 bytes.
    CHECK(citation_key_base(meta_of("Supercalifragilisticexpialidocious", {"X Y"}, "")) == "y-supercalifragilistic");
}

TEST_CASE("CitationKeys: unique in a corpus, first by path keeps the key, ids pinned", "[output]") {
    const auto same = meta_of("Solar output rose", {"Ana Pérez"}, "2023");
    auto pinned = meta_of("Solar output rose", {"Ana Pérez"}, "2023");
    pinned.id = "perez-2023-solar";  // takes the derived key away from the others
    using Documents = std::vector<std::pair<std::string, cite::passage::DocumentMeta>>;
    output::CitationKeys keys(Documents{{"c.txt", same}, {"a.txt", same}, {"b.txt", same}, {"z.txt", pinned},
                                        {"d.txt", meta_of("Other", {}, "")}});
    CHECK(keys.key("z.txt", pinned) == "perez-2023-solar");
    CHECK(keys.key("a.txt", same) == "perez-2023-solar-b");
    CHECK(keys.key("b.txt", same) == "perez-2023-solar-c");
    CHECK(keys.key("c.txt", same) == "perez-2023-solar-d");
    CHECK(keys.key("d.txt", {}) == "other");
    CHECK(keys.key("new.txt", same) == "perez-2023-solar");  // not listed: its base
    // Beyond z: two letters.
    std::vector<std::pair<std::string, cite::passage::DocumentMeta>> many;
    for (int i = 0; i < 30; ++i) many.emplace_back("f" + std::to_string(100 + i) + ".txt", same);
    output::CitationKeys lots(many);
    CHECK(lots.key("f100.txt", same) == "perez-2023-solar");
    CHECK(lots.key("f124.txt", same) == "perez-2023-solar-y");
    CHECK(lots.key("f125.txt", same) == "perez-2023-solar-z");
    CHECK(lots.key("f126.txt", same) == "perez-2023-solar-ba");
}

TEST_CASE("bibtex_escape makes LaTeX specials literal", "[output]") {
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"Plain words", "Plain words"},
        {"50% & $5 #1 a_b {x}", R"(50\% \& \$5 \#1 a\_b \{x\})"},
        {"a\\b ^ ~", R"(a\textbackslash{}b \textasciicircum{} \textasciitilde{})"},
        {"two\r\n\nlines", "two lines"},
        {"Beşer’s “quote”", "Beşer’s “quote”"},
    }));
    CAPTURE(text);
    CHECK(output::bibtex_escape(text) == expected);
}

TEST_CASE("BibLaTeX and BibTeX entries: one per source, the paragraphs in the annotation", "[output]") {
    auto second_paragraph = text_hit();
    second_paragraph.passage.ordinal = 14;
    const std::vector<CitedHit> hits = {text_hit(), second_paragraph, record_hit()};
    const auto biblatex = render(Format::Biblatex, hits);
    CAPTURE(biblatex);
    CHECK(count(biblatex, "\n@") + (biblatex.rfind('@', 0) == 0) == 2);
    CHECK(biblatex.rfind("@article{yilmaz-2021-solar,\n"
                         "  author = {Yılmaz, Ayşe and Lovelace, Ada},\n"
                         "  title = {{Solar *Notes*}},\n"
                         "  journaltitle = {Wind Weekly},\n"
                         "  publisher = {Kurtuluş Press},\n"
                         "  date = {2021-03-04},\n"
                         "  annotation = {source 003\\_4a6a91b40eaa168d.txt, sha256 " +
                             std::string(64, 'a') + "\npara 12, line " + std::to_string(text_hit().evidence[0].line) +
                             ", bytes ",
                         0) == 0);
    CHECK(biblatex.find("\npara 14, line ") != std::string::npos);
    CHECK(biblatex.find("@misc{reuters-ferry,\n  author = {{Reuters}},\n") != std::string::npos);

    const auto bibtex = render(Format::Bibtex, hits);
    CAPTURE(bibtex);
    CHECK(bibtex.find("  journal = {Wind Weekly},\n") != std::string::npos);
    CHECK(bibtex.find("  year = {2021},\n  month = mar,\n  day = {4},\n") != std::string::npos);
    CHECK(bibtex.find("  annote = {source ") != std::string::npos);
    CHECK(bibtex.find("date = ") == std::string::npos);
}

TEST_CASE("Catalog fields reach CSL-JSON, BibLaTeX and RIS", "[output]") {
    CitedHit hit = text_hit();
    hit.meta.url = "https://example.org/a?b={c}";
    hit.meta.doi = "10.1234/x_y";
    hit.meta.accessed = "2024-01-02";
    hit.meta.language = "en-GB";
    hit.meta.type = "report";
    hit.meta.id = "solar-report";
    const auto item = nlohmann::json::parse(render(Format::CslJson, {hit}))[0];
    CHECK(item.at("id") == "solar-report");
    CHECK(item.at("type") == "report");
    CHECK(item.at("URL") == hit.meta.url);
    CHECK(item.at("DOI") == hit.meta.doi);
    CHECK(item.at("accessed") == nlohmann::json::parse(R"({"date-parts":[[2024,1,2]]})"));
    CHECK(item.at("language") == "en-GB");

    const auto biblatex = render(Format::Biblatex, {hit});
    CHECK(biblatex.rfind("@report{solar-report,\n", 0) == 0);
    CHECK(biblatex.find("  url = {https://example.org/a?b=%7Bc%7D},\n  doi = {10.1234/x_y},\n"
                        "  urldate = {2024-01-02},\n  language = {en-GB},\n") != std::string::npos);

    const auto ris = render(Format::Ris, {hit});
    CAPTURE(ris);
    for (const auto* line : {"TY  - RPRT\r\n", "ID  - solar-report\r\n", "UR  - https://example.org/a?b={c}\r\n",
                             "DO  - 10.1234/x_y\r\n", "Y2  - 2024/01/02\r\n", "LA  - en-GB\r\n",
                             "PY  - 2021\r\n", "DA  - 2021/03/04\r\n", "AU  - Yılmaz, Ayşe\r\n",
                             "AU  - Lovelace, Ada\r\n", "T2  - Wind Weekly\r\n", "PB  - Kurtuluş Press\r\n"}) {
        CAPTURE(line);
        CHECK(ris.find(line) != std::string::npos);
    }
}

TEST_CASE("RIS: TY first, ER last, a note per cited paragraph", "[output]") {
    const auto ris = render(Format::Ris, all_hits());
    CAPTURE(ris);
    CHECK(ris.rfind("TY  - NEWS\r\nID  - yilmaz-2021-solar\r\nTI  - Solar *Notes*\r\n", 0) == 0);
    CHECK(count(ris, "TY  - ") == 4);
    CHECK(count(ris, "ER  - \r\n") == 4);
    CHECK(ris.size() >= 8);
    CHECK(ris.substr(ris.size() - 8) == "ER  - \r\n");
    // text_hit: a source note and a paragraph note, quotes with their bytes.
    const auto hit = text_hit();
    const std::string note = "N1  - para 12, line " + std::to_string(hit.evidence[0].line) + ", bytes " +
                             std::to_string(hit.evidence[0].bytes.begin) + "–" +
                             std::to_string(hit.evidence[0].bytes.end) + ": “";
    CHECK(ris.find(note) != std::string::npos);
    CHECK(ris.find("N1  - source changed.txt, sha256 " + std::string(64, 'c') + "\r\n") != std::string::npos);
    CHECK(ris.find("N1  - para 3, line 7: quote withheld") != std::string::npos);
    CHECK(ris.find("N1  - para 2, bytes ") != std::string::npos);  // a JSONL record: no line
}

TEST_CASE("Pandoc sink: front matter, a citation with its paragraph per hit, bibliography file", "[output]") {
    cite::test::TempDir dir;
    const auto bib = (dir.path() / "refs.json").string();
    output::SinkOptions options;
    options.bibliography = bib;
    auto second_paragraph = text_hit();
    second_paragraph.passage.ordinal = 14;
    const auto md = render(Format::Pandoc, {text_hit(), second_paragraph, withheld_hit(SourceStatus::Missing, 3)},
                           options);
    CAPTURE(md);
    CHECK(md.rfind("---\nbibliography: '" + bib + "'\nreference-section-title: References\n---\n\n> ", 0) == 0);
    CHECK(md.find("hummed.”\n>\n> Then **silence** fell. [@yilmaz-2021-solar, para 12]\n") != std::string::npos);
    CHECK(count(md, "[@yilmaz-2021-solar, para 14]") == 1);
    CHECK(md.find("> *(quote withheld: the file is missing)* [@source, para 3]\n") != std::string::npos);
    CHECK(md.find("<!-- source 003_4a6a91b40eaa168d.txt, sha256 " + std::string(64, 'a') + "; para 12, line " +
                  std::to_string(text_hit().evidence[0].line) + ", bytes ") != std::string::npos);
    std::ifstream in(bib);
    const auto items = nlohmann::json::parse(in);
    REQUIRE(items.size() == 2);
    CHECK(items[0].at("id") == "yilmaz-2021-solar");
    CHECK(items[0].at("custom").at("paragraphs").size() == 2);
    CHECK(items[1].at("id") == "source");
}

TEST_CASE("Pandoc report: claims cite [@key, para N] and leave the list to citeproc", "[output]") {
    cite::test::TempDir dir;
    output::SinkOptions options;
    options.bibliography = (dir.path() / "refs.json").string();
    std::ostringstream out;
    output::write_claim_checks(Format::Pandoc, out, claim_checks(), options);
    const auto md = out.str();
    CAPTURE(md);
    CHECK(md.rfind("---\nbibliography: '", 0) == 0);
    CHECK(md.find("## Sources") == std::string::npos);
    CHECK(md.find(", para 5]") != std::string::npos);
    std::ifstream in(options.bibliography);
    const auto items = nlohmann::json::parse(in);
    // Each source cited in the Markdown once in the bibliography, and no other.
    std::set<std::string> cited;
    for (std::size_t at = md.find("[@"); at != std::string::npos; at = md.find("[@", at + 1))
        cited.insert(md.substr(at + 2, md.find(',', at) - at - 2));
    std::set<std::string> ids;
    for (const auto& item : items) ids.insert(item.at("id").get<std::string>());
    CHECK(ids == cited);
    CHECK(ids.size() == items.size());
}

TEST_CASE("pandoc_escape backslashes @ as well as Markdown", "[output]") {
    CHECK(output::pandoc_escape("mail me@example.org or @someone [x]") == R"(mail me\@example.org or \@someone \[x\])");
    CHECK(output::pandoc_escape("") == "");
}

// URL text fragments (WICG "URL Fragment Text Directives"): the expectations are written by
// hand from the spec's grammar (TextDirectiveExplicitChar: ASCII letters and digits and
// ! $ ' ( ) * + . / : ; = ? @ _ ~; every other byte of the UTF-8 text as %XX).

TEST_CASE("Text directive parts keep only the spec's explicit characters", "[output][link]") {
    using output::percent_encode_text_directive;
    CHECK(percent_encode_text_directive("abcXYZ019") == "abcXYZ019");
    CHECK(percent_encode_text_directive("!$'()*+./:;=?@_~") == "!$'()*+./:;=?@_~");
    // The directive's own syntax: '-' marks prefix/suffix, ',' separates parts, '&' directives.
    CHECK(percent_encode_text_directive("-") == "%2D");
    CHECK(percent_encode_text_directive(",") == "%2C");
    CHECK(percent_encode_text_directive("&") == "%26");
    CHECK(percent_encode_text_directive("self-evident, true & fair") ==
          "self%2Devident%2C%20true%20%26%20fair");
    CHECK(percent_encode_text_directive("#1 %") == "%231%20%25");
    CHECK(percent_encode_text_directive("\"a\"<b>") == "%22a%22%3Cb%3E");
    // Non-ASCII: each byte of the UTF-8 encoding, upper-case hex. é is C3 A9, “ E2 80 9C.
    CHECK(percent_encode_text_directive("café") == "caf%C3%A9");
    CHECK(percent_encode_text_directive("“£5”") == "%E2%80%9C%C2%A35%E2%80%9D");
}

TEST_CASE("A text directive names the quote, its range when long, its context when repeated", "[output][link]") {
    using output::TextDirective;
    using output::text_directive;
    // White space as rendered: runs (a line break among them) collapse to one space.
    CHECK(text_directive("  Solar wind,\n at dawn. ", "", "", false) == TextDirective{"", "Solar wind, at dawn.", "", ""});
    // Context only when the text is not unique in the source.
    CHECK(text_directive("at dawn", "wind blew", "and then", false) == TextDirective{"", "at dawn", "", ""});
    CHECK(text_directive("at dawn", "wind  blew ", " and then", true) == TextDirective{"wind blew", "at dawn", "", "and then"});
    // Over 300 characters: the first five and the last five words.
    std::string long_quote;
    for (int i = 1; i <= 60; ++i) long_quote += "word" + std::to_string(i) + (i < 60 ? " " : ".");
    REQUIRE(long_quote.size() > 300);
    CHECK(text_directive(long_quote, "", "", false) ==
          TextDirective{"", "word1 word2 word3 word4 word5", "word56 word57 word58 word59 word60.", ""});
    // 300 characters exactly is still exact (a 300-character run of 'é' is 600 bytes).
    const std::string accented = [] { std::string s; for (int i = 0; i < 300; ++i) s += "é"; return s; }();
    CHECK(text_directive(accented, "", "", false).start == accented);
    CHECK(text_directive(accented, "", "", false).end.empty());
}

TEST_CASE("Text fragment URLs follow the directive syntax", "[output][link]") {
    using output::TextDirective;
    const TextDirective all{"wind blew", "at dawn, early", "", "and-then"};
    CHECK(output::to_fragment_directive(all) == ":~:text=wind%20blew-,at%20dawn%2C%20early,-and%2Dthen");
    CHECK(output::to_fragment_directive(TextDirective{"", "first words", "last words", ""}) ==
          ":~:text=first%20words,last%20words");
    CHECK(output::with_text_fragment("https://example.org/a?x=1&y=2", TextDirective{"", "Hi", "", ""}) ==
          "https://example.org/a?x=1&y=2#:~:text=Hi");
    // A URL's own fragment stays; the directive follows it (":~:" is the delimiter).
    CHECK(output::with_text_fragment("https://example.org/a#part", TextDirective{"", "Hi", "", ""}) ==
          "https://example.org/a#part:~:text=Hi");
    CHECK(output::with_page("https://example.org/r.pdf", 12) == "https://example.org/r.pdf#page=12");
    CHECK(output::with_page("https://example.org/r.pdf#view=fit", 3) == "https://example.org/r.pdf#page=3");
}

TEST_CASE("Results from a source with a URL link to the quote; JSON carries a TextQuoteSelector", "[output][link]") {
    CitedHit hit = text_hit();
    hit.meta.url = "https://example.org/solar";
    hit.evidence[1].repeated = true;
    const nlohmann::json j = nlohmann::json::parse(output::result_to_json(hit).dump());
    CHECK(j["url"] == "https://example.org/solar");
    for (std::size_t i = 0; i < hit.evidence.size(); ++i) {
        const auto& e = j["evidence"][i];
        CHECK(e["selector"]["type"] == "TextQuoteSelector");
        CHECK(e["selector"]["exact"] == hit.evidence[i].quote);
        CHECK(e["selector"]["prefix"] == hit.evidence[i].prefix);
        CHECK(e["selector"]["suffix"] == hit.evidence[i].suffix);
    }
    // sentence_two "Then silence fell." repeated: the fixture's prefix is the 8 bytes before
    // it, "med.” " (” is E2 80 9D); it has no suffix (the paragraph ends).
    CHECK(j["evidence"][1]["link"] == "https://example.org/solar#:~:text=med.%E2%80%9D-,Then%20silence%20fell.");
    // The first quote holds '"', '—', '#', ',' and a line break: all encoded, the break as a space.
    const std::string first = j["evidence"][0]["link"];
    CHECK(first.rfind("https://example.org/solar#:~:text=%E2%80%9CSolar%20wind%2C%20at%20dawn%2C%20is%20%22fast%22%20%E2%80%94%20the%20%231%20fact.%20The%20panels", 0) == 0);
    // A paged source: the page, for every quote.
    hit.passage.page = 7;
    const nlohmann::json paged = nlohmann::json::parse(output::result_to_json(hit).dump());
    CHECK(paged["evidence"][0]["link"] == "https://example.org/solar#page=7");
    // No URL, no link.
    const nlohmann::json plain = nlohmann::json::parse(output::result_to_json(text_hit()).dump());
    CHECK_FALSE(plain.contains("url"));
    CHECK_FALSE(plain["evidence"][0].contains("link"));
}
