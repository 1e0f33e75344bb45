#include "cite/output/result_sink.hpp"

#include "cite/output/bibtex_sink.hpp"
#include "cite/output/csl_json_sink.hpp"
#include "cite/output/csv_sink.hpp"
#include "cite/output/json_sink.hpp"
#include "cite/output/markdown_sink.hpp"
#include "cite/output/pandoc_sink.hpp"
#include "cite/output/ris_sink.hpp"
#include "cite/output/text_sink.hpp"
#include "cite/output/trec_sink.hpp"

#include <array>
#include <utility>

namespace cite::output {

std::optional<Format> parse_format(std::string_view name) {
    constexpr std::array<std::pair<std::string_view, Format>, 11> names = {{
        {"text", Format::Text},
        {"json", Format::Json},
        {"jsonl", Format::Jsonl},
        {"csv", Format::Csv},
        {"markdown", Format::Markdown},
        {"csl-json", Format::CslJson},
        {"trec", Format::Trec},
        {"pandoc", Format::Pandoc},
        {"bibtex", Format::Bibtex},
        {"biblatex", Format::Biblatex},
        {"ris", Format::Ris},
    }};
    for (const auto& [known, format] : names)
        if (name == known) return format;
    return std::nullopt;
}

bool is_bibliography_format(Format format) {
    return format == Format::CslJson || format == Format::Bibtex || format == Format::Biblatex || format == Format::Ris;
}

std::unique_ptr<ResultSink> make_sink(Format format, std::ostream& out,
                                      const SinkOptions& options) {
    switch (format) {
    case Format::Text: return std::make_unique<TextSink>(out, options);
    case Format::Json: return std::make_unique<JsonSink>(out);
    case Format::Jsonl: return std::make_unique<JsonLinesSink>(out);
    case Format::Csv: return std::make_unique<CsvSink>(out);
    case Format::Markdown: return std::make_unique<MarkdownSink>(out);
    case Format::CslJson: return std::make_unique<CslJsonSink>(out, options);
    case Format::Pandoc: return std::make_unique<PandocSink>(out, options);
    case Format::Bibtex: return std::make_unique<BibtexSink>(out, options, BibDialect::Bibtex);
    case Format::Biblatex: return std::make_unique<BibtexSink>(out, options, BibDialect::Biblatex);
    case Format::Ris: return std::make_unique<RisSink>(out, options);
    case Format::Trec: return std::make_unique<TrecSink>(out);
    }
    return std::make_unique<TextSink>(out, options);  // unreachable: every Format is handled
}

}  // namespace cite::output
