#include "cite/search/search_service.hpp"

#include "cite/error.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/query/query_builder.hpp"
#include "cite/query/query_parser.hpp"

#include <chrono>

namespace cite::search {

SearchService::SearchService(const std::filesystem::path& db_path) : m_reader(db_path) {}

std::string SearchService::explain(const std::string& query) {
    return query::to_string(query::parse_query(query, m_analyzer));
}

SearchService::Page SearchService::search_once(const SearchRequest& request, bool with_evidence) {
    const query::Node parsed = request.literal ? query::parse_literal(request.query, m_analyzer)
                                               : query::parse_query(request.query, m_analyzer);
    const query::CompiledQuery compiled = query::build_query(parsed, m_reader.database());
    evidence::MatchFinder matcher(m_analyzer);

    rank::Verifier verify = [&](const Xapian::Document& doc) {
        const passage::Passage p = m_reader.passage(doc);
        return matcher.find(parsed, p, m_reader.document(p.document_key())).has_value();
    };
    const rank::RankedPage ranked = rank::rank(m_reader.database(), compiled, request.offset, request.limit,
                                               request.ranking, compiled.needs_verification ? &verify : nullptr);
    Page page;
    page.total = ranked.total_matches;
    page.exact = ranked.total_exact;
    std::size_t rank = request.offset;
    for (const rank::RankedHit& r : ranked.hits) {
        evidence::CitedHit hit;
        hit.rank = ++rank;
        hit.score = r.score;
        hit.passage = m_reader.passage(r.document);
        hit.meta = m_reader.document(hit.passage.document_key());
        const auto file = m_reader.file(hit.passage.source);
        hit.sha256 = file ? file->sha256 : std::string{};
        hit.status = file ? m_freshness.check(*file) : evidence::SourceStatus::Missing;
        if (with_evidence && hit.status == evidence::SourceStatus::Fresh) {
            const auto spans = matcher.find(parsed, hit.passage, hit.meta);
            hit.evidence = evidence::select_evidence(hit.passage, spans.value_or(std::vector<evidence::MatchSpan>{}),
                                                     m_sentences);
        }
        page.hits.push_back(std::move(hit));
    }
    return page;
}

output::SearchStats SearchService::run(const SearchRequest& request, output::ResultSink& sink) {
    const auto start = std::chrono::steady_clock::now();
    Page page;
    // Everything is read before anything is printed, so a retry never prints twice.
    for (int attempt = 0;; ++attempt) {
        try {
            page = search_once(request, sink.wants_evidence());
            break;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == 4) throw IndexError("the index kept changing while searching; try again");
            m_reader.reopen();
        } catch (const Xapian::Error& e) {
            throw IndexError("searching '" + m_reader.path().string() + "': " + e.get_description());
        }
    }
    sink.begin({request.query, m_reader.path().string(), request.offset, request.limit, request.id});
    for (const evidence::CitedHit& hit : page.hits) sink.hit(hit);
    output::SearchStats stats;
    stats.results = page.hits.size();
    stats.total_matches = page.total;
    stats.total_exact = page.exact;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    sink.end(stats);
    return stats;
}

}  // namespace cite::search
