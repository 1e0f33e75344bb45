#pragma once
// The sources a piece of output cites, each once, with its citation key and every paragraph
// cited in it: what the bibliography formats (CSL-JSON, BibTeX/BibLaTeX, RIS) and pandoc
// Markdown write. In CSL terms a source is an item and a paragraph is a citation's locator.

#include "cite/evidence/evidence.hpp"
#include "cite/output/citation_key.hpp"
#include "cite/output/result_sink.hpp"

#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace cite::output {

/// One cited paragraph of a source: the locator, and what was quoted from it.
struct CitedParagraph {
    std::uint32_t paragraph = 0;  ///< 1-based; the citation's locator
    std::uint32_t line = 0;       ///< citation_line() of the first hit citing it; 0 for JSONL records
    std::uint32_t page = 0;       ///< paged sources (PDF): the paragraph's page; 0 otherwise
    std::string page_label;       ///< its label when not the number
    std::uint32_t chapter = 0;    ///< sources in chapters (EPUB): the paragraph's chapter; 0 otherwise
    std::string chapter_title;    ///< its title; empty when it has none
    /// Every distinct span quoted from the paragraph, first-seen order (none when the file
    /// changed or is missing: evidence::quotable).
    std::vector<evidence::EvidenceSpan> quotes;
};

/// One source document, cited once however many of its paragraphs are.
struct CitedSource {
    std::string key;       ///< citation key, unique in the output
    std::string document;  ///< Passage::document_key(): `source` or `source#record`
    std::string source;    ///< file path relative to the corpus root
    std::string record;    ///< JSONL record id; empty for text files
    std::string sha256;    ///< of the file when indexed
    passage::DocumentMeta meta;
    std::vector<CitedParagraph> paragraphs;  ///< first-cited order
};

/// Sources in order of first citation. Keys come from `keys` (the corpus's table, made by the
/// searcher from the index) when given, else from citation_key_base(); either way a key already
/// used by another source of this bibliography gets a "-b", "-c", … suffix.
class Bibliography {
  public:
    explicit Bibliography(std::shared_ptr<const CitationKeys> keys = nullptr) : m_keys(std::move(keys)) {}

    /// Records that `hit` is cited; returns its source (valid until the next cite()).
    const CitedSource& cite(const evidence::CitedHit& hit);
    [[nodiscard]] const std::vector<CitedSource>& sources() const { return m_sources; }
    [[nodiscard]] bool empty() const { return m_sources.empty(); }

  private:
    std::shared_ptr<const CitationKeys> m_keys;
    std::vector<CitedSource> m_sources;
    std::map<std::string, std::size_t> m_index;  ///< document -> m_sources position
    std::set<std::string> m_used_keys;
};

/// The CSL item type of a source: the catalog's `type` when given; else "article-newspaper"
/// when a container title is known, "webpage" when only a URL is, "article" otherwise.
[[nodiscard]] std::string csl_type(const passage::DocumentMeta& meta);

/// "para 5", "paras 5, 9": the pandoc/CSL locator of a paragraph list.
[[nodiscard]] std::string paragraph_locator(const std::vector<std::uint32_t>& paragraphs);

/// One line per cited paragraph, for formats whose entries have no locator field (BibTeX
/// `annote`, RIS `N1`): `para 5, line 12, bytes 1042–1180: “quote”` (several quotes each
/// with their bytes; `line` left out for JSONL records; "quote withheld" when there is none).
[[nodiscard]] std::vector<std::string> paragraph_notes(const CitedSource& source);

/// Writes `bibliography` in `format`: CslJson, Bibtex, Biblatex or Ris. Other formats are a
/// precondition failure.
void write_bibliography(Format format, std::ostream& out, const Bibliography& bibliography);

/// A sink that collects the sources of every hit and writes them at end() with `write`: the
/// base of the CSL-JSON, BibTeX/BibLaTeX and RIS sinks. A mention listing (`--all`) cites each
/// mention's paragraph; nothing more is written (no counts).
class BibliographySink : public ResultSink {
  public:
    BibliographySink(std::ostream& out, const SinkOptions& options) : m_out(out), m_keys(options.keys) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;

  protected:
    virtual void write(std::ostream& out, const Bibliography& bibliography) = 0;

  private:
    std::ostream& m_out;
    std::shared_ptr<const CitationKeys> m_keys;
    Bibliography m_bibliography;
};

}  // namespace cite::output
