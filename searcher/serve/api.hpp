#pragma once
// The HTTP API's answers, apart from HTTP itself: each endpoint takes the request's parameters
// (and body) and returns status, content type and body. The CLI's units make them: the same
// SearchService calls and the same output writers as `searcher`, so an endpoint's JSON is the
// CLI's JSON for the same request (docs/serve.md).

#include "cite/search/search_service.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace searcher::serve {

/// A request's parameters: query string and form fields, a name may repeat (as httplib::Params).
using Params = std::multimap<std::string, std::string>;

struct Reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

/// Limits on what one request may ask (HTTP-level limits are the server's).
struct Limits {
    std::size_t max_query_bytes = 2000;   ///< q, claim, quote
    std::size_t max_results = 100;        ///< limit= of search and facts
    std::size_t max_claims = 200;         ///< lines of a report body
    std::size_t max_source_bytes = 32U << 20U;  ///< /api/text serves files up to this size
};

class Api {
  public:
    Api(std::vector<std::string> databases, bool allow_partial, Limits limits);

    /// GET /api/<endpoint>: search, mentions, count, quote, check, facts, sources, passage,
    /// text, version, health. `body` is the request body (report's claims).
    [[nodiscard]] Reply handle(std::string_view endpoint, const Params& params, const std::string& body) const;

    /// Opens this thread's database handle if it has none, so that a bad --db fails at start.
    void open_for_this_thread() const;

  private:
    cite::search::SearchService& service() const;

    std::vector<std::string> m_databases;
    bool m_allow_partial;
    Limits m_limits;
};

}  // namespace searcher::serve
