#pragma once
// Turns a passage and its document's metadata into the Xapian document the index stores.

#include "cite/analysis/analyzer.hpp"
#include "cite/passage/catalog.hpp"
#include "cite/passage/passage.hpp"

#include <xapian.h>

namespace cite::index {

/// Terms: every token's term with its position, Z+stem for stemmable tokens (no
/// positions, like Xapian's STEM_SOME), the field words of title, authors and publisher under
/// their prefixes (positional, and stemmed), and the boolean Q and P terms. Data: the
/// serialised passage. Throws AnalysisError.
[[nodiscard]] Xapian::Document build_document(const passage::Passage& passage,
                                              const passage::DocumentMeta& meta,
                                              analysis::Analyzer& analyzer);

/// Adds `text`'s tokens under `field_prefix` (positional, plus Z<prefix><stem>), their
/// positions shifted by `position_offset`. Returns the last position used.
std::uint32_t add_field_terms(Xapian::Document& doc, std::string_view field_prefix,
                              std::string_view text, analysis::Analyzer& analyzer,
                              std::uint32_t position_offset = 0);

}  // namespace cite::index
