#pragma once
// CSL-JSON (Citation Style Language items) for reference managers such as Zotero and for
// citeproc/pandoc: one item per cited paragraph, so each can be cited with its locator.

#include "cite/output/result_sink.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cite::output {

/// Writes at end() a pretty JSON array (2-space indent), `[]` when there are no hits, with
/// one item per distinct id, in the order of first citation (in exhaustive mode several
/// mentions in one paragraph cite one item). Item:
///
///     {"id": "dir/file.txt#p12", "type": "article", "title": "…",
///      "author": [{"family": "Lovelace", "given": "Ada"}], "issued": {"date-parts": [[2021, 3]]},
///      "publisher": "…", "container-title": "…", "locator": "12", "label": "paragraph"}
///
/// id is `source#pN`, or `source#record#pN` for JSONL records. type is "article-newspaper"
/// when a container title is known, else "article". Unknown fields, blank author names and
/// dates csl_date_parts cannot read are left out.
class CslJsonSink final : public ResultSink {
  public:
    explicit CslJsonSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    nlohmann::ordered_json m_items = nlohmann::ordered_json::array();
    std::set<std::string> m_ids;  ///< ids of m_items
};

/// The item described above for the paragraph of `hit`, "id" first. Shared by the sink and
/// the fact-check report, which de-duplicate by id themselves.
[[nodiscard]] nlohmann::ordered_json csl_item(const evidence::CitedHit& hit);

/// A CSL name: {"family": last word, "given": the words before it}, or {"literal": name}
/// for a one-word name (an organisation, a pseudonym). Words are split on ASCII white space;
/// "Ursula K. Le Guin" gives family "Guin": names are not parsed any further.
[[nodiscard]] nlohmann::ordered_json csl_name(std::string_view name);

/// The date parts of "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month 1–12, day 1–31), or nullopt
/// for anything else, including an empty string.
[[nodiscard]] std::optional<std::vector<int>> csl_date_parts(std::string_view date);

}  // namespace cite::output
