#include "cite/output/trec_sink.hpp"

#include <iomanip>

namespace cite::output {

void TrecSink::begin(const QueryInfo& query) {
    m_query_id = query.id.empty() ? std::string("1") : query.id;
    m_seen.clear();
    m_rank = 0;
}

void TrecSink::hit(const evidence::CitedHit& hit) {
    const std::string& doc = hit.passage.record.empty() ? hit.passage.source : hit.passage.record;
    if (!m_seen.insert(doc).second) return;
    m_out << m_query_id << " Q0 " << doc << ' ' << ++m_rank << ' ' << std::fixed << std::setprecision(4)
          << hit.score << " cite\n";
}

void TrecSink::end(const SearchStats&) { m_out.flush(); }

}  // namespace cite::output
