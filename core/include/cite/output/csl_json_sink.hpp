#pragma once
// CSL-JSON (Citation Style Language items) for reference managers such as Zotero and for
// citeproc/pandoc: one item per cited source. A paragraph is a citation's locator, not an
// item: pandoc cites it as [@key, para 5] (pandoc_sink.hpp).

#include "cite/output/bibliography.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cite::output {

/// The CSL item of a source, valid against CSL 1.0.2's csl-data.json schema (vendored as
/// tests/data/csl-data.json), fields in this order, unknown ones left out:
///
///     {"id": "bugajski-2024-kazakhstan", "citation-key": "bugajski-2024-kazakhstan",
///      "type": "article-newspaper", "title": "…",
///      "author": [{"family": "Bugajski", "given": "Janusz"}], "issued": {"date-parts": [[2024, 7, 9]]},
///      "container-title": "Fakti", "publisher": "Fakti", "URL": "https://…", "DOI": "10.…",
///      "accessed": {"date-parts": [[2025, 1, 2]]}, "language": "en",
///      "custom": {"source": "002_963a1b5bd11c85ad.txt", "record": "…" (JSONL only),
///                 "sha256": "…", "paragraphs": [{"paragraph": 5, "line": 12,
///                     "quotes": [{"quote": "…", "start_byte": 1042, "end_byte": 1180, "line": 12}]}]}}
///
/// type is csl_type(); "line" is left out for JSONL records. Blank author names and dates
/// csl_date_parts cannot read are left out. `custom` (CSL's place for data it has no variable
/// for) keeps what a citation was built from: the file, its hash, each cited paragraph and
/// the exact quotes at their byte ranges.
[[nodiscard]] nlohmann::ordered_json csl_item(const CitedSource& source);

/// A JSON array (2-space indent) of csl_item() per source, `[]` when there is none.
void write_csl_json(std::ostream& out, const Bibliography& bibliography);

/// Writes at end() write_csl_json() of every source cited by the hits.
class CslJsonSink final : public BibliographySink {
  public:
    CslJsonSink(std::ostream& out, const SinkOptions& options) : BibliographySink(out, options) {}

  protected:
    void write(std::ostream& out, const Bibliography& bibliography) override { write_csl_json(out, bibliography); }
};

/// A CSL name. {"literal": name} for an organisation: a one-word name (Reuters), a name
/// beginning "The", holding an acronym (BBC, IEA) or a word such as Agency, News, Times,
/// Ministry, Institute (the list is in the source). {"family", "given"} for a person: split
/// at a comma when the name is written "Family, Given" ("Le Guin, Ursula K."), else the last
/// word is the family name ("Ursula K. Le Guin" gives "Guin": names are not parsed further).
/// Words are split on ASCII white space.
[[nodiscard]] nlohmann::ordered_json csl_name(std::string_view name);

/// The date parts of "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month 1–12, day 1–31), or nullopt
/// for anything else, including an empty string.
[[nodiscard]] std::optional<std::vector<int>> csl_date_parts(std::string_view date);

}  // namespace cite::output
