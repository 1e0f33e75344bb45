#pragma once
// BibTeX and BibLaTeX export (LaTeX, Zotero, JabRef, pandoc read them): one entry per cited
// source. Neither format has a field for where in a source a citation points, so each cited
// paragraph, with its line, byte ranges and exact quotes, goes into the annotation field.

#include "cite/output/bibliography.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace cite::output {

enum class BibDialect { Bibtex, Biblatex };

/// Text made safe inside a braced BibTeX field: \ { } # $ % & ^ _ ~ become LaTeX commands
/// (\{ \% \textbackslash{} …); CR/LF runs become one space. UTF-8 is kept as it is (biber,
/// pandoc and bibtexu read it).
[[nodiscard]] std::string bibtex_escape(std::string_view text);

/// One entry per source, in bibliography order, separated by blank lines:
///
///     @article{bugajski-2024-kazakhstan,
///       author = {Bugajski, Janusz},
///       title = {{Kazakhstan leverages middle power status with West, China, Russia}},
///       journaltitle = {Fakti},          BibTeX: journal
///       publisher = {Fakti},
///       date = {2024-07-09},             BibTeX: year = {2024}, month = jul, day = {9}
///       url = {https://…}, doi = {10.…}, urldate = {2025-01-02}, language = {en},
///       annotation = {source 002_963a1b5bd11c85ad.txt, sha256 …                 BibTeX: annote
///     para 5, line 12, bytes 1042–1180: “…”}
///     }
///
/// The title is in double braces so that styles and pandoc keep its capitals as written.
/// Authors are "Family, Given" joined by " and "; an organisation (one-word or literal name)
/// is braced whole. Entry types from csl_type(): article-* with a container -> article,
/// report -> report (BibTeX techreport, publisher as institution), book, chapter ->
/// incollection (container as booktitle), paper-conference -> inproceedings, thesis (BibTeX
/// phdthesis), webpage or a URL without a container -> online (BibTeX misc with howpublished
/// \url{…}), anything else misc.
void write_bibtex(std::ostream& out, const Bibliography& bibliography, BibDialect dialect);

/// Writes at end() write_bibtex() of every source cited by the hits.
class BibtexSink final : public BibliographySink {
  public:
    BibtexSink(std::ostream& out, const SinkOptions& options, BibDialect dialect)
        : BibliographySink(out, options), m_dialect(dialect) {}

  protected:
    void write(std::ostream& out, const Bibliography& bibliography) override {
        write_bibtex(out, bibliography, m_dialect);
    }

  private:
    BibDialect m_dialect;
};

}  // namespace cite::output
