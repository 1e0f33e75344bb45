#include "cite/search/search_service.hpp"

#include "cite/error.hpp"
#include "cite/analysis/language.hpp"
#include "cite/index/duplicate_groups.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/similarity.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/search/copy_collapse.hpp"
#include "cite/search/index_count.hpp"
#include "cite/search/mention_phrase.hpp"
#include "cite/search/unmatched_words.hpp"
#include "cite/query/alias_expander.hpp"
#include "cite/query/query_parser.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

namespace cite::search {

SearchService::SearchService(const std::filesystem::path& db_path) : m_reader(db_path) {}

SearchService::SearchService(const std::vector<std::string>& databases, const index::OpenOptions& options)
    : m_reader(databases, options) {}

std::vector<std::string> SearchService::missing_shards() const {
    std::vector<std::string> names;
    for (const index::MissingShard& m : m_reader.missing()) names.push_back(m.name);
    return names;
}

query::Node SearchService::parse(const SearchRequest& request, std::string* phrase) {
    query::Node parsed = request.literal ? query::parse_literal(request.query, m_analyzer)
                                         : query::parse_query(request.query, m_analyzer);
    // Mentions are of one thing: an unquoted run of words is one name (docs/searching.md).
    if (request.mode != SearchMode::Ranked) {
        std::string read = read_run_as_phrase(parsed, request.query, m_analyzer);
        if (phrase) *phrase = std::move(read);
    }
    if (request.use_aliases) query::expand_aliases(parsed, query::AliasTable(m_reader.aliases(), m_analyzer));
    // Across scripts only when the index holds Cyrillic passages: an English-only index
    // ranks exactly as it did before transliteration keys.
    if (m_reader.database().term_exists(std::string(index::prefix::script) + "Cyrl")) query::enable_transliteration(parsed);
    return parsed;
}

void SearchService::check_deadline() const {
    if (m_deadline && std::chrono::steady_clock::now() > *m_deadline)
        throw TimeLimitError("the request ran past its time limit");
}

double SearchService::seconds_left() const {
    if (!m_deadline) return 0;
    // Never 0 (no limit) once the deadline is near: the smallest limit Xapian takes.
    return std::max(1e-3, std::chrono::duration<double>(*m_deadline - std::chrono::steady_clock::now()).count());
}

std::string SearchService::explain(const SearchRequest& request) { return query::to_string(parse(request)); }

evidence::CitedHit SearchService::cite(const passage::Passage& passage, std::size_t rank, double score) {
    evidence::CitedHit hit;
    hit.rank = rank;
    hit.score = score;
    hit.passage = passage;
    hit.meta = m_reader.document(passage.document_key());
    hit.language = analysis::identify_language(passage.text);
    const auto file = m_reader.file(passage.source);
    hit.sha256 = file ? file->sha256 : std::string{};
    if (file) {
        hit.layer_sha256 = file->layer_sha256;
        hit.extractor = file->extractor;
    }
    hit.status = file ? m_freshness.check(*file, m_reader.is_remote(passage.source)) : evidence::SourceStatus::Missing;
    return hit;
}

namespace {

std::vector<std::string> transliterated_words(const passage::Passage& passage, const std::vector<evidence::MatchSpan>& spans) {
    std::vector<std::string> words;
    for (const evidence::MatchSpan& s : spans) {
        if (!s.transliterated || s.bytes.end > passage.text.size()) continue;
        std::string word = passage.text.substr(s.bytes.begin, s.bytes.size());
        if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(std::move(word));
    }
    return words;
}

// Drops spans lying inside a longer one, so `corridor OR "Middle Corridor"` counts the
// words "Middle Corridor" once. Spans arrive sorted by start.
std::vector<evidence::MatchSpan> outermost(std::vector<evidence::MatchSpan> spans) {
    std::vector<evidence::MatchSpan> out;
    for (evidence::MatchSpan& s : spans) {
        if (!out.empty() && s.bytes.begin >= out.back().bytes.begin && s.bytes.end <= out.back().bytes.end) continue;
        while (!out.empty() && out.back().bytes.begin >= s.bytes.begin && out.back().bytes.end <= s.bytes.end)
            out.pop_back();
        out.push_back(std::move(s));
    }
    return out;
}

// Where each content word stands in `text`: tokens whose stem is the word's (or whose term is
// the word, for a word not stemmed).
std::vector<std::vector<std::uint32_t>> word_positions(analysis::Analyzer& analyzer, std::string_view text,
                                                       const std::vector<query::ContentWord>& words) {
    std::vector<std::vector<std::uint32_t>> out(words.size());
    for (const analysis::Token& t : analyzer.analyze(text)) {
        if (t.kind == analysis::TokenKind::Compound) continue;  // its parts are there
        for (std::size_t k = 0; k < words.size(); ++k) {
            const query::ContentWord& w = words[k];
            if (w.stem.empty() ? query::token_has_term(t, w.term) : t.stem == w.stem) out[k].push_back(t.position);
        }
    }
    return out;
}

}  // namespace

void SearchService::add_story_count(const SearchRequest& request, const query::CompiledQuery& compiled,
                                    output::MentionSummary& summary) {
    // count_in_index counts postings without reading passages; the documents behind them come
    // from the passages Xapian matches, which for its plain words and phrases are exactly
    // those it counted.
    std::vector<std::pair<std::string, std::string>> documents;
    Xapian::MSet mset = index::all_matches_in_corpus_order(m_reader.database(), compiled.all, seconds_left());
    check_deadline();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const passage::Passage p = m_reader.passage(it.get_document());
        if (documents.empty() || documents.back().first != p.source || documents.back().second != p.record)
            documents.emplace_back(p.source, p.record);
    }
    summary.documents = documents.size();
    if (!request.collapse_copies) return;
    index::DuplicateFinder finder(m_reader);
    summary.stories = count_stories(documents, finder);
}

void SearchService::collect_mentions(const SearchRequest& request, const query::Node& parsed,
                                     const query::CompiledQuery& compiled, bool with_evidence, Page& page) {
    const Xapian::Database& db = m_reader.database();
    // --count of a plain word or phrase needs no passage read and analysed again (index_count.hpp).
    if (request.mode == SearchMode::Count && !m_reader.has_remote_shard()) {
        if (auto summary = count_in_index(db, parsed)) {
            add_story_count(request, compiled, *summary);
            page.total = summary->passages;
            page.mentions = std::move(*summary);
            return;
        }
    }
    Xapian::MSet mset = index::all_matches_in_corpus_order(db, compiled.all, seconds_left());  // no scores
    check_deadline();
    index::prefetch(mset);  // remote shards: all documents in one round trip

    output::MentionSummary summary;
    std::map<std::string, std::size_t> per_alias;
    for (const std::string& name : query::alias_names(parsed)) {
        per_alias.emplace(name, 0);
        summary.per_alias.emplace_back(name, 0);
    }
    const bool listing = request.mode == SearchMode::Mentions;
    const bool fields_only = !has_body_condition(parsed);
    summary.fields_only = fields_only;
    std::vector<std::pair<std::string, std::string>> documents;  // holding a mention, corpus order
    // One candidate passage: read here, matched (and its evidence chosen) in the pool.
    struct Candidate {
        passage::Passage passage;
        passage::DocumentMeta meta;
        std::optional<std::vector<evidence::MatchSpan>> spans;
        std::vector<std::vector<evidence::EvidenceSpan>> evidence;  // per span, when listing
    };
    // A chunk at a time, the next read from the index while the pool analyses this one: a
    // listing of most of the corpus never holds all its passages.
    constexpr Xapian::doccount chunk = 256;
    auto read_chunk = [&](Xapian::doccount first, std::vector<Candidate>& out) {
        out.clear();
        for (Xapian::doccount i = first; i < std::min<Xapian::doccount>(first + chunk, mset.size()); ++i) {
            Candidate& c = out.emplace_back();
            c.passage = m_reader.passage(mset[i].get_document());
            c.meta = m_reader.document(c.passage.document_key());
        }
    };
    std::vector<Candidate> current;
    std::vector<Candidate> next;
    read_chunk(0, current);
    for (Xapian::doccount first = 0; first < mset.size(); first += chunk) {
        check_deadline();
        const auto analyse = [&](std::size_t i, AnalysisTools& tools) {
            Candidate& c = current[i];
            auto found = evidence::MatchFinder(tools.analyzer).find(parsed, c.passage, c.meta);
            // Xapian's candidates are confirmed here: NEAR over phrases is only approximate there.
            if (!found) return;
            // A query of catalog fields only: the passage as a whole is the mention.
            if (found->empty() && fields_only)
                found->push_back({analysis::ByteRange{0, c.passage.text.size()}, 0, 0, {}});
            if (found->empty()) return;
            c.spans = outermost(std::move(*found));
            if (!listing || !with_evidence) return;
            c.evidence = evidence::select_evidence_each(c.passage, *c.spans, tools.sentences);
        };
        m_pool.for_each(current.size(), analyse, [&] {
            if (first + chunk < mset.size()) read_chunk(first + chunk, next);
        });
        for (Candidate& c : current) {
            if (!c.spans) continue;
            const passage::Passage& passage = c.passage;
            // Only a confirmed passage's file is checked (hashed once per run) and cited.
            evidence::CitedHit cited;
            if (listing) cited = cite(passage, 0, 0.0);
            // A file that changed or is gone: the mention keeps its place, marked by the status,
            // but its words are withheld with the quote, as in ranked search.
            const bool holds_indexed = evidence::quotable(cited.status);
            const bool quotable = with_evidence && holds_indexed;
            ++summary.passages;
            if (documents.empty() || documents.back().first != passage.source ||
                documents.back().second != passage.record)
                documents.emplace_back(passage.source, passage.record);
            if (summary.per_file.empty() || summary.per_file.back().first != passage.source)
                summary.per_file.emplace_back(passage.source, 0);
            for (std::size_t k = 0; k < c.spans->size(); ++k) {
                const evidence::MatchSpan& span = (*c.spans)[k];
                ++summary.total;
                ++summary.per_file.back().second;
                if (!span.alias.empty()) ++per_alias[span.alias];
                if (!listing) continue;
                evidence::CitedHit hit = cited;
                hit.rank = summary.total;
                evidence::Mention mention;
                mention.bytes = {passage.bytes.begin + span.bytes.begin, passage.bytes.begin + span.bytes.end};
                mention.line = passage.line_at(span.bytes.begin);
                if (holds_indexed) mention.text = passage.text.substr(span.bytes.begin, span.bytes.size());
                mention.alias = span.alias;
                hit.mention = std::move(mention);
                if (quotable) hit.evidence = std::move(c.evidence[k]);
                page.hits.push_back(std::move(hit));
            }
        }
        std::swap(current, next);
    }
    for (auto& [name, count] : summary.per_alias) count = per_alias[name];
    summary.documents = documents.size();
    if (request.collapse_copies) {
        index::DuplicateFinder finder(m_reader);
        summary.stories = count_stories(documents, finder);
    }
    page.total = summary.passages;
    page.mentions = std::move(summary);
}

SearchService::Page SearchService::search_once(const SearchRequest& request, bool with_evidence) {
    std::string phrase;
    const query::Node parsed = parse(request, &phrase);
    const query::CompiledQuery compiled = query::build_query(parsed, m_reader.database());
    Page page;
    page.empty_index = m_reader.database().get_doccount() == 0;
    if (!page.empty_index) page.unmatched = unmatched_words(parsed, m_reader.database());
    if (request.mode != SearchMode::Ranked) {
        collect_mentions(request, parsed, compiled, with_evidence, page);
        if (page.mentions) page.mentions->phrase = phrase;
        mark_repeated_quotes(page.hits);
        return page;
    }
    evidence::MatchFinder matcher(m_analyzer);
    rank::Verifier verify = [&](const Xapian::Document& doc) {
        const passage::Passage p = m_reader.passage(doc);
        return matcher.find(parsed, p, m_reader.document(p.document_key())).has_value();
    };
    rank::RankOptions ranking = request.ranking;
    ranking.remote = m_reader.has_remote_shard();
    ranking.time_limit = seconds_left();
    // Proximity re-reads a candidate's words; collapsing ranks a widening window, meeting the
    // same candidates again, so what was read is kept for the request (the words are the query's).
    // Keyed by the passage, not the docid: a shard's Document gives its docid in that shard.
    std::unordered_map<std::string, std::vector<std::vector<std::uint32_t>>> positions_read;
    const rank::WordPositions positions = [&](const Xapian::Document& doc, const std::vector<query::ContentWord>& words) {
        const passage::Passage p = m_reader.passage(doc);
        auto [it, inserted] = positions_read.try_emplace(index::unique_term(p));
        if (inserted) it->second = word_positions(m_analyzer, p.text, words);
        return it->second;
    };
    const rank::Verifier* verifier = compiled.needs_verification ? &verify : nullptr;
    if (request.collapse_copies) {
        rank_collapsed(request, compiled, ranking, verifier, &positions, page);
    } else {
        const rank::RankedPage ranked =
            rank::rank(m_reader.database(), compiled, request.offset, request.limit, ranking, verifier, &positions);
        page.total = ranked.total_matches;
        page.exact = ranked.total_exact;
        std::size_t rank = request.offset;
        for (const rank::RankedHit& r : ranked.hits)
            page.hits.push_back(cite(m_reader.passage(r.document), ++rank, r.score));
    }
    check_deadline();
    if (!with_evidence) return page;
    m_pool.for_each(page.hits.size(), [&](std::size_t i, AnalysisTools& tools) {
        evidence::CitedHit& hit = page.hits[i];
        if (!evidence::quotable(hit.status)) return;
        const auto spans = evidence::MatchFinder(tools.analyzer).find(parsed, hit.passage, hit.meta);
        hit.evidence = evidence::select_evidence(hit.passage, spans.value_or(std::vector<evidence::MatchSpan>{}),
                                                 tools.sentences);
        if (spans) hit.transliterated = transliterated_words(hit.passage, *spans);
    });
    mark_repeated_quotes(page.hits);
    return page;
}

void SearchService::mark_repeated_quotes(std::vector<evidence::CitedHit>& hits) {
    // Only a link needs it (output/source_link.hpp), and only a source with a URL gets one;
    // a PDF's link names the page instead. Each document's passages are read once.
    const Xapian::Database& db = m_reader.database();
    std::map<std::string, std::vector<std::string>> texts;  // document key -> its passages' texts
    for (evidence::CitedHit& hit : hits) {
        if (hit.meta.url.empty() || hit.passage.page != 0 || hit.evidence.empty()) continue;
        auto [it, inserted] = texts.try_emplace(hit.passage.document_key());
        if (inserted) {
            const std::string term = index::source_term(hit.passage.source);
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
                passage::Passage own = m_reader.passage(db.get_document(*p));
                if (own.record == hit.passage.record) it->second.push_back(std::move(own.text));
            }
        }
        for (evidence::EvidenceSpan& span : hit.evidence) {
            if (span.quote.empty()) continue;
            std::size_t seen = 0;
            for (const std::string& text : it->second)
                for (auto at = text.find(span.quote); at != std::string::npos && seen < 2;
                     at = text.find(span.quote, at + 1))
                    ++seen;
            span.repeated = seen > 1;
        }
    }
}

void SearchService::rank_collapsed(const SearchRequest& request, const query::CompiledQuery& compiled,
                                   const rank::RankOptions& ranking, const rank::Verifier* verifier,
                                   const rank::WordPositions* positions, Page& page) {
    // Copies fold into one result, so a page needs more passages than results: rank a window
    // from the top, collapse it, and widen it until it holds the page or the whole ranking.
    index::DuplicateFinder finder(m_reader);
    const std::size_t wanted = request.offset + request.limit;
    for (std::size_t window = 2 * wanted + 10;; window *= 4) {
        const rank::RankedPage ranked = rank::rank(m_reader.database(), compiled, 0, window, ranking, verifier, positions);
        check_deadline();
        std::vector<RankedPassage> passages;
        passages.reserve(ranked.hits.size());
        for (const rank::RankedHit& r : ranked.hits) passages.push_back({m_reader.passage(r.document), r.score});
        std::vector<CollapsedHit> collapsed = collapse_copies(passages, finder, m_reader);
        if (collapsed.size() < wanted && ranked.hits.size() == window) continue;  // more may follow
        page.total = ranked.total_matches;
        page.exact = ranked.total_exact;
        for (std::size_t i = request.offset; i < std::min(wanted, collapsed.size()); ++i) {
            evidence::CitedHit hit = cite(collapsed[i].passage, i + 1, collapsed[i].score);
            hit.copies = std::move(collapsed[i].copies);
            hit.also_in = collapsed[i].also_in;
            page.hits.push_back(std::move(hit));
        }
        return;
    }
}

// Runs `work` against the index; if an indexer commits meanwhile and Xapian reports the
// revision gone, re-opens the latest revision and runs it again from the start. Everything
// is read before anything is printed, so a retry never prints twice.
template <typename F>
auto SearchService::on_consistent_snapshot(F&& work) {
    for (int attempt = 0;; ++attempt) {
        try {
            return work();
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == 4) throw IndexError("the index kept changing while searching; try again");
            m_reader.reopen();
        } catch (const Xapian::NetworkError& e) {
            // A remote shard went away since it was opened: name it, or (--allow-partial)
            // leave it out and run again on the others.
            if (attempt == 4 || !m_reader.drop_unreachable_shards())
                throw IndexError("searching '" + m_reader.name() + "': " + e.get_description());
        } catch (const Xapian::Error& e) {
            throw IndexError("searching '" + m_reader.name() + "': " + e.get_description());
        }
    }
}

evidence::QuoteCheck SearchService::verify_quote(const std::string& quote, bool case_sensitive) {
    auto checked = on_consistent_snapshot([&] { return verify_quote_once(quote, case_sensitive); });
    check_deadline();
    return checked;
}

evidence::ClaimCheck SearchService::check_claim(const std::string& claim) {
    auto checked = on_consistent_snapshot([&] { return check_claim_once(claim); });
    check_deadline();
    return checked;
}

evidence::FactTable SearchService::list_facts(const std::string& query, const evidence::FactOptions& options) {
    auto table = on_consistent_snapshot([&] { return list_facts_once(query, options); });
    check_deadline();
    return table;
}

output::CopiesReport SearchService::copies(const std::optional<std::string>& document) {
    return on_consistent_snapshot([&] { return copies_once(document); });
}

namespace {

output::CopyMember copy_member(const index::GroupMember& m, const index::GroupMember* compared_with,
                               bool canonical) {
    output::CopyMember out{m.source, m.record, m.title, m.date, canonical, std::nullopt};
    if (compared_with && compared_with->signature && m.signature)
        out.similarity = index::estimated_similarity(*compared_with->signature, *m.signature);
    return out;
}

}  // namespace

output::CopiesReport SearchService::copies_once(const std::optional<std::string>& document) {
    index::DuplicateFinder finder(m_reader);
    output::CopiesReport report;
    report.threshold = index::same_story_similarity;
    report.document = document;
    if (!document) {
        for (const index::StoryGroup& g : finder.all_groups()) {
            std::vector<output::CopyMember> members;
            for (const index::GroupMember& m : g.members)
                members.push_back(copy_member(m, &g.canonical(), &m == &g.members.front()));
            report.groups.push_back(std::move(members));
        }
        return report;
    }
    // A source path, or a JSONL file's record as `file.jsonl#id`.
    std::string source = *document;
    std::string record;
    if (!m_reader.file(source)) {
        const auto hash = document->rfind('#');
        if (hash != std::string::npos && m_reader.file(document->substr(0, hash))) {
            source = document->substr(0, hash);
            record = document->substr(hash + 1);
        }
    }
    passage::Passage first;
    first.source = source;
    first.record = record;
    first.ordinal = 1;
    const Xapian::Database& db = m_reader.database();
    if (!db.term_exists(index::unique_term(first)))
        throw IndexError("'" + *document + "' is not a document of the index '" + m_reader.name() +
                         "' (give its path relative to the corpus root, or FILE.jsonl#RECORD)");
    const index::StoryGroup& group = finder.group(source, record);
    const index::GroupMember* asked = group.find(first.document_key());
    if (group.members.size() >= 2) {
        std::vector<output::CopyMember> members;
        for (const index::GroupMember& m : group.members)
            members.push_back(copy_member(m, asked, &m == &group.members.front()));
        report.groups.push_back(std::move(members));
    }
    for (auto& [member, similarity] : finder.near_misses(source, record)) {
        if (group.find(member.key())) continue;  // linked through another copy
        output::CopyMember m = copy_member(member, nullptr, false);
        m.similarity = similarity;
        report.near.push_back(std::move(m));
    }
    // Paragraphs it shares word for word with documents outside its group (a volume and the
    // whole book, a quoted press release).
    std::map<std::string, std::pair<passage::Passage, std::size_t>> shared;
    const std::string term = index::source_term(source);
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        const passage::Passage own = m_reader.passage(db.get_document(*it));
        if (own.record != record) continue;
        std::set<std::string> counted_here;
        for (const Xapian::docid id : finder.passage_copies(own.text)) {
            passage::Passage other = m_reader.passage(db.get_document(id));
            const std::string key = other.document_key();
            if (key == own.document_key() || group.find(key) || !counted_here.insert(key).second) continue;
            auto& entry = shared[key];
            entry.first = std::move(other);
            ++entry.second;
        }
    }
    for (const auto& [key, entry] : shared)
        report.shared.push_back(output::SharedPassages{entry.first.source, entry.first.record,
                                                       m_reader.document(key).title, entry.second});
    std::stable_sort(report.shared.begin(), report.shared.end(),
                     [](const output::SharedPassages& a, const output::SharedPassages& b) { return a.passages > b.passages; });
    return report;
}

output::SearchStats SearchService::run(const SearchRequest& request, output::ResultSink& sink) {
    const auto start = std::chrono::steady_clock::now();
    const Page page = on_consistent_snapshot(
        [&] { return search_once(request, sink.wants_evidence() && request.mode != SearchMode::Count); });
    check_deadline();
    output::QueryInfo info{request.query, m_reader.name(), request.offset, request.limit, request.id};
    info.exhaustive = request.mode != SearchMode::Ranked;
    info.count_only = request.mode == SearchMode::Count;
    sink.begin(info);
    for (const evidence::CitedHit& hit : page.hits) sink.hit(hit);
    output::SearchStats stats;
    stats.results = page.hits.size();
    stats.total_matches = page.total;
    stats.total_exact = page.exact;
    stats.mentions = page.mentions;
    stats.missing_shards = missing_shards();
    stats.unmatched = page.unmatched;
    stats.empty_index = page.empty_index;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    sink.end(stats);
    return stats;
}

}  // namespace cite::search
