#pragma once
// What the indexer stores so that copies of a story can be found: a MinHash signature of each
// source document with its LSH band terms, and a hash term of each paragraph long enough for a
// repeat to be a copy. Grouping those into stories is duplicate_groups.hpp's job (docs/duplicates.md).

#include <xapian.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cite::index {

/// A document is the set of its word shingles: runs of this many consecutive words, across
/// paragraph boundaries. Five words: a changed headline or boilerplate line changes a handful
/// of shingles, while two different stories on one topic share almost none.
inline constexpr std::size_t shingle_words = 5;
/// One-permutation MinHash (Li, Owen and Zhang 2012): each shingle is hashed once and its hash
/// picks one of this many bins, each keeping its smallest value; empty bins are filled by
/// rotation densification (Shrivastava and Li 2014). One hash per shingle, not one per bin, so
/// a whole book costs about what reading it does. The fraction of equal bins estimates the
/// Jaccard similarity of the two shingle sets (standard error sqrt(J(1-J)/128) <= 0.044).
inline constexpr std::size_t minhash_bins = 128;
/// LSH banding: bins_per_band consecutive bins make a band, and two documents that agree on a
/// whole band are compared. With 20 bands of 2 (the first 40 bins), a pair of similarity 0.5
/// becomes a candidate with probability 1 - (1 - 0.5^2)^20 = 0.997, a pair of 0.4 with 0.97,
/// and one of 0.1 with 0.18 (then rejected by the signature comparison, which uses all bins).
/// Each band is an indexed term of its own, nearly always unique to its document: 20 rather
/// than 42 bands of 3 (the same 0.996 at 0.5) cut the index's similarity terms by half
/// (docs/duplicates.md "Cost").
inline constexpr std::size_t bins_per_band = 2;
inline constexpr std::size_t lsh_bands = 20;
static_assert(bins_per_band * lsh_bands <= minhash_bins);
/// Two documents are copies of one story when their estimated Jaccard similarity is at least
/// this. Re-titled copies with a paragraph trimmed or added stay well above it; different
/// stories on one topic stay far below (docs/duplicates.md has the BBC figures).
inline constexpr double same_story_similarity = 0.5;
/// A paragraph of at least this many words that stands word for word in two documents is the
/// same passage (a quoted paragraph, a reprint): shorter ones (headlines, datelines, "Advertisement")
/// repeat by chance.
inline constexpr std::size_t copy_passage_min_words = 12;

/// A document's MinHash signature: the smallest 32-bit shingle hash of each bin.
struct Signature {
    std::array<std::uint32_t, minhash_bins> bins{};
    friend bool operator==(const Signature&, const Signature&) = default;
};

/// Calls `word(hash)` for each word of `text`, in order: a word is a run of ASCII letters and
/// digits (case folded) and non-ASCII characters other than spaces and general punctuation
/// (U+00A0, U+2000-U+206F), so curly and straight quotes and dashes do not make words differ.
/// The hash is a 64-bit hash of the folded bytes.
void for_each_word_hash(std::string_view text, const std::function<void(std::uint64_t)>& word);

/// The signature of a document made of `paragraphs` (in order); nullopt when it has fewer
/// than shingle_words words (nothing to compare).
[[nodiscard]] std::optional<Signature> document_signature(std::span<const std::string_view> paragraphs);

/// Estimated Jaccard similarity of two documents' shingle sets, 0..1: the share of equal bins.
[[nodiscard]] double estimated_similarity(const Signature& a, const Signature& b);

/// Jaccard similarity of two short texts' word-bigram sets, computed exactly (single words
/// when either has fewer than two): how alike two versions of one paragraph are.
[[nodiscard]] double passage_similarity(std::string_view a, std::string_view b);

/// The lsh_bands band terms of a signature (prefix::story_band): documents sharing one are
/// candidates.
[[nodiscard]] std::vector<std::string> band_terms(const Signature& signature);

/// The term (prefix::copy_passage) naming a paragraph's words, case folded and without
/// punctuation; nullopt when it has fewer than copy_passage_min_words words.
[[nodiscard]] std::optional<std::string> copy_passage_term(std::string_view text);

/// Signature as stored in slot::signature: minhash_bins little-endian 32-bit values.
[[nodiscard]] std::string serialize_signature(const Signature& signature);
/// nullopt for a value serialize_signature could not have written (an empty slot among them).
[[nodiscard]] std::optional<Signature> parse_signature(std::string_view value);

/// Adds to a passage's Xapian document its copy_passage_term, and for the first passage of a
/// document (`signature` given) the signature (slot::signature) and its band terms.
void add_similarity_terms(Xapian::Document& doc, std::string_view passage_text, const Signature* signature);

}  // namespace cite::index
