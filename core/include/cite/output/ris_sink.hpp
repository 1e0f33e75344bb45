#pragma once
// RIS export (Zotero, EndNote, Mendeley import it): one record per cited source. RIS has no
// field for where in a source a citation points, so each cited paragraph, with its line,
// byte ranges and exact quotes, is a note (N1).

#include "cite/output/bibliography.hpp"

#include <ostream>

namespace cite::output {

/// One record per source, each line `TAG  - value` (two spaces, hyphen, space), CRLF line
/// endings as the RIS specification asks, a blank line between records:
///
///     TY  - NEWS
///     ID  - bugajski-2024-kazakhstan
///     TI  - Kazakhstan leverages middle power status with West, China, Russia
///     AU  - Bugajski, Janusz                one per author; an organisation as written
///     T2  - Fakti                           container (journal, site, book)
///     PB  - Fakti
///     PY  - 2024                            and DA  - 2024/07/09 (YYYY/MM/DD, parts known)
///     UR  - https://…   DO  - 10.…   Y2  - 2025/01/02 (accessed)   LA  - en
///     N1  - source 002_963a1b5bd11c85ad.txt, sha256 …
///     N1  - para 5, line 12, bytes 1042–1180: “…”      one per cited paragraph
///     ER  -
///
/// Types from csl_type(): article-newspaper NEWS, article-magazine MGZN, article-journal JOUR,
/// report RPRT, book BOOK, chapter CHAP, paper-conference CPAPER, thesis THES, dataset DATA,
/// webpage ELEC, anything else GEN. Values are on one line (line breaks become spaces).
void write_ris(std::ostream& out, const Bibliography& bibliography);

/// Writes at end() write_ris() of every source cited by the hits.
class RisSink final : public BibliographySink {
  public:
    RisSink(std::ostream& out, const SinkOptions& options) : BibliographySink(out, options) {}

  protected:
    void write(std::ostream& out, const Bibliography& bibliography) override { write_ris(out, bibliography); }
};

}  // namespace cite::output
