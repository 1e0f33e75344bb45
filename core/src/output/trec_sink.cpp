#include "cite/output/trec_sink.hpp"

#include <iomanip>

namespace cite::output {

void TrecSink::begin(const QueryInfo& query) {
    m_query_id = query.id.empty() ? std::string("1") : query.id;
    m_seen.clear();
}

void TrecSink::hit(const evidence::CitedHit& hit) {
    const std::string& doc = hit.passage.record.empty() ? hit.passage.source : hit.passage.record;
    if (!m_seen.insert(doc).second) return;
    // A document's rank is its best passage's on this page, which counts --offset (ranks
    // skip where a document's other passages stood; an earlier page's documents are unknown).
    m_out << m_query_id << " Q0 " << doc << ' ' << hit.rank << ' ' << std::fixed << std::setprecision(4)
          << hit.score << " cite\n";
}

void TrecSink::end(const SearchStats&) { m_out.flush(); }

}  // namespace cite::output
