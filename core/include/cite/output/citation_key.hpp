#pragma once
// Citation keys: one readable, stable name per source document, unique in a corpus, by which
// pandoc, BibTeX, BibLaTeX, RIS and CSL-JSON output cite it.

#include "cite/passage/catalog.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cite::output {

/// The key a document would have on its own (before making keys unique in a corpus):
/// `meta.id` when set; otherwise, lower-case ASCII parts joined by '-': with an author,
/// family-year-word; without, word-word-year, where
///   - family is the first author's family name (output::csl_name: the last word; a one-word
///     name, such as an organisation's, is the name itself);
///   - year is the year of `meta.date`, left out when it has none;
///   - words are the first words of the title that are not function words ("the", "of").
/// Words are folded to ASCII (Beşer -> beser, Kazakhstan’s -> kazakhstans) and cut to 20
/// bytes; parts with no ASCII letter or digit left are dropped. "source" when nothing is left.
///   {authors ["Janusz Bugajski"], date "2024-07-09", title "Kazakhstan leverages middle…"}
///     -> "bugajski-2024-kazakhstan"
///   {no author, date "2005", title "Ad sales boost Time Warner profit"} -> "ad-sales-2005"
[[nodiscard]] std::string citation_key_base(const passage::DocumentMeta& meta);

/// The keys of every document of a corpus: each document's citation_key_base, made unique.
/// Documents given an `id` keep it; where several documents share a key, the first by document
/// key (path, then JSONL record) keeps it and the others get "-b", "-c", … "-z", "-ba", …
/// (skipping any key already taken). A key therefore changes only when a document with the
/// same base is added to the corpus before it or removed; an `id` in the catalog pins it.
class CitationKeys {
  public:
    CitationKeys() = default;
    /// `documents`: (document key, metadata) of every document of the corpus, in any order.
    explicit CitationKeys(std::vector<std::pair<std::string, passage::DocumentMeta>> documents);

    /// The key of the document `document_key`, or citation_key_base(meta) for a document the
    /// corpus did not list (a test without an index, a file indexed after this table was made).
    [[nodiscard]] std::string key(const std::string& document_key, const passage::DocumentMeta& meta) const;
    [[nodiscard]] std::size_t size() const { return m_keys.size(); }

  private:
    std::map<std::string, std::string, std::less<>> m_keys;  ///< document key -> citation key
};

}  // namespace cite::output
