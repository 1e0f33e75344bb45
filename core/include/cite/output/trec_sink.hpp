#pragma once
// TREC run format for evaluation tools (trec_eval and our own evaluator):
//     QUERY_ID Q0 DOCUMENT_ID RANK SCORE cite
// one line per document: a document's best passage stands for it, later ones are dropped.
// DOCUMENT_ID is the JSONL record id, or the source path for text files.

#include "cite/output/result_sink.hpp"

#include <ostream>
#include <set>
#include <string>

namespace cite::output {

class TrecSink final : public ResultSink {
  public:
    explicit TrecSink(std::ostream& out) : m_out(out) {}

    void begin(const QueryInfo& query) override;
    void hit(const evidence::CitedHit& hit) override;
    void end(const SearchStats& stats) override;
    [[nodiscard]] bool wants_evidence() const override { return false; }

  private:
    std::ostream& m_out;
    std::string m_query_id;
    std::set<std::string> m_seen;
};

}  // namespace cite::output
