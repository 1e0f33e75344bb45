#pragma once
// Sentence boundaries (ICU, English rules) with common abbreviations kept inside sentences,
// for choosing the evidence quoted from a passage.

#include "cite/analysis/byte_range.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace cite::analysis {

class SentenceSplitter {
  public:
    SentenceSplitter();
    ~SentenceSplitter();
    SentenceSplitter(const SentenceSplitter&) = delete;
    SentenceSplitter& operator=(const SentenceSplitter&) = delete;

    /// Sentences of `text` (valid UTF-8) as byte ranges with surrounding white space
    /// (including NBSP) trimmed; white-space-only stretches give no sentence. Abbreviations
    /// such as "Jan.", "U.S.", "Dr." do not end a sentence, nor does a line break (inside a
    /// paragraph, a hard wrap). Throws AnalysisError.
    [[nodiscard]] std::vector<ByteRange> split(std::string_view text);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cite::analysis
