#pragma once
// The outcome of verifying a quotation against the corpus (`searcher quote`).

#include "cite/evidence/evidence.hpp"
#include "cite/evidence/quote_alignment.hpp"

#include <string>
#include <vector>

namespace cite::evidence {

enum class QuoteVerdict {
    Exact,        ///< the wording is in the source byte for byte
    Typographic,  ///< the same words in the same order, with other typography
    Altered,      ///< the closest passage differs in some words
    NotFound,     ///< no passage has the wording or anything close to it
};

[[nodiscard]] const char* to_string(QuoteVerdict verdict);

/// One place where the quote (or, for Altered, the closest wording) stands.
struct QuoteMatch {
    CitedHit hit;                               ///< citation, metadata, content hash, status
    analysis::ByteRange bytes;                  ///< the source's wording, file offsets
    std::uint32_t line = 0;                     ///< 1-based line of bytes.begin; 0 for JSONL
    std::string source_text;                    ///< the bytes at `bytes`
    std::vector<analysis::ByteRange> parts;     ///< one per part between ellipses
    std::vector<Difference> differences;        ///< Typographic: what differs (file offsets)
    double similarity = 1.0;                    ///< 1 for Exact and Typographic
    std::vector<DiffOp> diff;                   ///< Altered: quote -> source (file offsets)
    /// A quote across a paragraph break: the next paragraph, into which it runs on, cited
    /// (parts then holds one range in each; `hit` is the first paragraph's). Empty otherwise.
    std::vector<CitedHit> continued;
};

struct QuoteCheck {
    std::string quote;  ///< as given
    QuoteVerdict verdict = QuoteVerdict::NotFound;
    /// Exact/Typographic: every place (exact ones first, then corpus order); Altered: the
    /// closest; NotFound: none. Only passages of files that still hold what was indexed (or
    /// Unchecked ones, from a remote shard): never Stale or Missing.
    std::vector<QuoteMatch> matches;
    /// Files whose passages held the quote (or came close enough to be the closest) but were
    /// left out of the verdict because the file changed or is gone.
    std::vector<LeftOutSource> left_out;
};

}  // namespace cite::evidence
