#include "cite/evidence/evidence.hpp"

#include "cite/evidence/fact_check.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <algorithm>

namespace cite::evidence {

const char* to_string(SourceStatus status) {
    switch (status) {
    case SourceStatus::Fresh: return "fresh";
    case SourceStatus::Stale: return "stale";
    case SourceStatus::Missing: return "missing";
    case SourceStatus::Unchecked: return "unchecked";
    }
    return "unknown";
}

const char* left_out_reason(SourceStatus status) {
    return status == SourceStatus::Stale ? "changed since it was indexed" : "no longer exists or cannot be read";
}

void note_left_out(std::vector<LeftOutSource>& list, const std::string& source, SourceStatus status) {
    const bool known = std::any_of(list.begin(), list.end(), [&](const LeftOutSource& l) { return l.source == source; });
    if (!known) list.push_back({source, status});
}

const char* to_string(QuantityStatus status) {
    switch (status) {
    case QuantityStatus::Matched: return "matched";
    case QuantityStatus::Differs: return "differs";
    case QuantityStatus::Absent: return "absent";
    }
    return "absent";
}

const char* to_string(ClaimVerdict verdict) {
    switch (verdict) {
    case ClaimVerdict::Supported: return "supported";
    case ClaimVerdict::Contradicted: return "contradicted";
    case ClaimVerdict::NotFound: return "not found";
    }
    return "not found";
}

bool unit_wanted(const std::string& unit, const std::vector<std::string>& wanted) {
    if (wanted.empty()) return true;
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return w == unit || (w == "count" && unit.empty()) || (w == "money" && analysis::is_currency(unit));
    });
}

const char* to_string(NotFoundReason reason) {
    switch (reason) {
    case NotFoundReason::None: return "";
    case NotFoundReason::NoSubject: return "no passage about the subject";
    case NotFoundReason::NoMeasure: return "the subject is there with no figure for this measure";
    }
    return "";
}

namespace {

using analysis::ByteRange;

// About this many bytes of context on each side, cut back to whole words (TextQuoteSelector
// prefix/suffix: enough to re-anchor the quote if offsets drift).
constexpr std::size_t context_bytes = 40;

std::string context_before(std::string_view text, std::size_t quote_begin) {
    std::size_t begin = quote_begin > context_bytes ? quote_begin - context_bytes : 0;
    if (begin > 0) {
        // Start at a word boundary: after the first space of the window, if there is one.
        const std::size_t space = text.find(' ', begin);
        begin = space != std::string_view::npos && space < quote_begin ? space + 1 : begin;
        while (begin < quote_begin && !analysis::is_utf8_boundary(text, begin)) ++begin;
    }
    return std::string(text.substr(begin, quote_begin - begin));
}

std::string context_after(std::string_view text, std::size_t quote_end) {
    std::size_t end = std::min(text.size(), quote_end + context_bytes);
    if (end < text.size()) {
        const std::size_t space = text.rfind(' ', end);
        end = space != std::string_view::npos && space > quote_end ? space : end;
        while (end > quote_end && !analysis::is_utf8_boundary(text, end)) --end;
    }
    return std::string(text.substr(quote_end, end - quote_end));
}

// select_evidence over the passage's `sentences`.
std::vector<EvidenceSpan> evidence_in(const passage::Passage& passage, const std::vector<MatchSpan>& matches,
                                      const std::vector<ByteRange>& sentences) {
    const std::string_view text = passage.text;
    if (sentences.empty()) return {};

    // Runs of consecutive sentences that hold a match; a match that crosses a sentence
    // break joins the sentences it touches.
    std::vector<ByteRange> runs;
    if (matches.empty()) {
        runs.push_back(sentences.front());
    } else {
        std::vector<bool> selected(sentences.size(), false);
        for (const MatchSpan& m : matches)
            for (std::size_t i = 0; i < sentences.size(); ++i)
                if (m.bytes.begin < sentences[i].end && m.bytes.end > sentences[i].begin) selected[i] = true;
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            if (!selected[i]) continue;
            if (i > 0 && selected[i - 1]) runs.back().end = sentences[i].end;
            else runs.push_back(sentences[i]);
        }
    }

    const std::size_t base = passage.bytes.begin;
    std::vector<EvidenceSpan> out;
    for (const ByteRange& run : runs) {
        EvidenceSpan span;
        span.bytes = {base + run.begin, base + run.end};
        span.line = passage.line_at(run.begin);
        span.quote = std::string(text.substr(run.begin, run.size()));
        span.prefix = context_before(text, run.begin);
        span.suffix = context_after(text, run.end);
        // Highlights: matches inside the run; overlapping ones merge ("Middle Corridor" and
        // "corridor" give one highlight, matched as the longer one did), and so do ones that
        // matched alike with only white space between them (the words of `Middle Corridor`
        // typed without quotes: one exact highlight of the query's two words).
        for (const MatchSpan& m : matches) {
            if (m.bytes.begin < run.begin || m.bytes.end > run.end) continue;
            if (!span.highlights.empty()) {
                ByteRange& last = span.highlights.back();
                MatchedAs& how = span.matched_as.back();
                const std::size_t last_end = last.end - base;
                if (m.bytes.begin <= last_end) {
                    if (m.bytes.size() > last.size()) how = m.matched_as;
                    last.end = std::max(last.end, base + m.bytes.end);
                    continue;
                }
                const MatchedAs& next = m.matched_as;
                if (analysis::trim_space(text, ByteRange{last_end, m.bytes.begin}).empty() && next.kind == how.kind &&
                    next.alias == how.alias && !next.figure && !how.figure) {
                    if (!next.query_word.empty() && next.query_word != how.query_word)
                        how.query_word += (how.query_word.empty() ? "" : " ") + next.query_word;
                    last.end = base + m.bytes.end;
                    continue;
                }
            }
            span.highlights.push_back({base + m.bytes.begin, base + m.bytes.end});
            span.matched_as.push_back(m.matched_as);
        }
        out.push_back(std::move(span));
    }
    return out;
}

}  // namespace

std::vector<EvidenceSpan> select_evidence(const passage::Passage& passage, const std::vector<MatchSpan>& matches,
                                          analysis::SentenceSplitter& splitter) {
    return evidence_in(passage, matches, splitter.split(passage.text));
}

std::vector<std::vector<EvidenceSpan>> select_evidence_each(const passage::Passage& passage,
                                                            const std::vector<MatchSpan>& matches,
                                                            analysis::SentenceSplitter& splitter) {
    std::vector<std::vector<EvidenceSpan>> out;
    if (matches.empty()) return out;
    const std::vector<ByteRange> sentences = splitter.split(passage.text);
    out.reserve(matches.size());
    for (const MatchSpan& m : matches) out.push_back(evidence_in(passage, {m}, sentences));
    return out;
}

SourceStatus FreshnessChecker::check(const index::FileRecord& file, bool remote) {
    const std::string path = (std::filesystem::path(file.root) / file.source).string();
    // Regression #7: the verdict was cached, but after a re-open at a newer revision the same
    // path carries another sha256, and the old verdict called the new text fresh. The file's
    // hash is what is cached (nullopt: unreadable).
    auto it = m_seen.find(path);
    if (it == m_seen.end()) {
        std::optional<std::string> hash;
        try {
            hash = passage::sha256_hex(passage::read_file_bytes(path));
        } catch (const CorpusError&) {
        }
        it = m_seen.emplace(path, std::move(hash)).first;
    }
    if (!it->second) return remote ? SourceStatus::Unchecked : SourceStatus::Missing;
    return *it->second == file.sha256 ? SourceStatus::Fresh : SourceStatus::Stale;
}

}  // namespace cite::evidence
