#pragma once
// Markdown with pandoc citations ([@key, para 5]) and a CSL-JSON bibliography written beside
// it: `pandoc --citeproc` turns the pair into HTML, DOCX or PDF with a reference list that
// names each source once and citations that show their paragraph.

#include "cite/output/bibliography.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace cite::output {

/// markdown_escape(), and '@' backslashed too: pandoc reads "@word" in text as a citation.
[[nodiscard]] std::string pandoc_escape(std::string_view text);

/// "[@key, para 5]": the pandoc citation of one paragraph of `source`; "[@key, p. 12]" or
/// "[@key, chap. 3]" when the paragraph has a page or chapter (`locator`: Passage::locator()).
[[nodiscard]] std::string pandoc_citation(const CitedSource& source, std::uint32_t paragraph,
                                          const std::string& locator = {});

/// The YAML metadata block that opens the Markdown: the bibliography file, as given, and
/// "References" as the title of the list citeproc appends.
///
///     ---
///     bibliography: 'refs.json'
///     reference-section-title: References
///     ---
void write_pandoc_front_matter(std::ostream& out, const std::string& bibliography_path);

/// An HTML comment pandoc keeps out of DOCX and PDF but which says what a citation rests
/// on: `<!-- source a.txt, sha256 …; para 5, line 12, bytes 1042–1180 -->`.
[[nodiscard]] std::string pandoc_provenance(const evidence::CitedHit& hit);

/// Writes write_csl_json(bibliography) to `path` (replacing it). Throws cite::Error naming
/// the file when it cannot be written.
void write_bibliography_file(const std::filesystem::path& path, const Bibliography& bibliography);

/// Search results as pandoc Markdown. begin() writes the front matter (SinkOptions::bibliography
/// is the file's path, which must be set); each hit is a block quote of its evidence (matches
/// in bold) whose last line ends with the citation, then its provenance comment:
///
///     > Kazakhstan has **balanced** its ties … [@kazakhstans-balancing, para 5]
///
///     <!-- source 003_4a6a91b40eaa168d.txt, sha256 …; para 5, line 9, bytes 1042–1180 -->
///
/// A changed or missing file gets "> *(quote withheld: …)* [@key, para N]". A mention
/// listing (`--all`) ends with MarkdownSink's count summary. end() writes the bibliography
/// file: one CSL item per source cited.
class PandocSink final : public ResultSink {
  public:
    PandocSink(std::ostream& out, const SinkOptions& options)
        : m_out(out), m_path(options.bibliography), m_keys(options.keys) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  private:
    std::ostream& m_out;
    std::string m_path;
    std::shared_ptr<const CitationKeys> m_keys;
    Bibliography m_bibliography;
};

}  // namespace cite::output
