#pragma once
// The passage model: one paragraph of one source document, with everything a citation needs.

#include "cite/analysis/byte_range.hpp"

#include <cstdint>
#include <string>

namespace cite::passage {

/// A paragraph of a corpus file or of a JSON Lines record.
/// Offsets are 0-based UTF-8 byte offsets, half-open; paragraph and line numbers are 1-based.
struct Passage {
    std::string source;          ///< path relative to the corpus root, '/'-separated
    std::string record;          ///< JSONL record id ("_id"); empty for text files
    std::uint32_t ordinal = 0;   ///< paragraph number within the file or record, from 1
    std::uint32_t line = 0;      ///< line of the paragraph's first byte; 0 for JSONL records
    analysis::ByteRange bytes;   ///< in the file (text files) or in the record's "text" (JSONL)
    std::string text;            ///< exactly the bytes at `bytes`
    // Paged sources (PDF): the physical page the whole passage is on (a passage never crosses
    // a page break), from 1, and its label when it is not the number ("xii"); 0 and empty
    // elsewhere. `{}`: passages built before pages existed need not name them.
    std::uint32_t page{};
    std::string page_label{};
    // Sources in chapters (EPUB): the spine item the whole passage comes from (a passage never
    // crosses a chapter: each is its own XHTML document), from 1 in spine order, and its title
    // from the table of contents, else its first heading; 0 and empty elsewhere.
    std::uint32_t chapter{};
    std::string chapter_title{};

    friend bool operator==(const Passage&, const Passage&) = default;

    /// The document this passage belongs to: `source`, or `source#record` for JSONL.
    [[nodiscard]] std::string document_key() const {
        return record.empty() ? source : source + "#" + record;
    }

    /// The page as the document numbers it: its label, else its physical number; empty for
    /// a source without pages.
    [[nodiscard]] std::string page_name() const {
        if (page == 0) return {};
        return page_label.empty() ? std::to_string(page) : page_label;
    }

    /// How a citation names the page: "p. 12" (or "p. xii" by its label); empty without pages.
    [[nodiscard]] std::string page_locator() const { return page == 0 ? std::string() : "p. " + page_name(); }

    /// How a citation names the chapter: "chap. 3" (pandoc's locator term); empty without one.
    [[nodiscard]] std::string chapter_locator() const {
        return chapter == 0 ? std::string() : "chap. " + std::to_string(chapter);
    }

    /// The locator a citation gives besides the paragraph: the page, else the chapter; empty
    /// for a source that has neither.
    [[nodiscard]] std::string locator() const { return page != 0 ? page_locator() : chapter_locator(); }

    /// 1-based file line of byte `offset_in_text` of `text`; 0 for JSONL records (no lines).
    [[nodiscard]] std::uint32_t line_at(std::size_t offset_in_text) const {
        if (line == 0) return 0;
        std::uint32_t n = line;
        for (std::size_t i = 0; i < offset_in_text && i < text.size(); ++i)
            if (text[i] == '\n') ++n;
        return n;
    }
};

}  // namespace cite::passage
