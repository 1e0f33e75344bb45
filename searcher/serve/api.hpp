#pragma once
// The HTTP API's answers, apart from HTTP itself: each endpoint takes the request's parameters
// (and body) and returns status, content type and body. The CLI's units make them: the same
// SearchService calls and the same output writers as `searcher`, so an endpoint's JSON is the
// CLI's JSON for the same request (docs/serve.md).

#include "cite/search/search_service.hpp"

#include <cstddef>
#include <map>
#include <memory>
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
    /// A request still searching after this long is stopped and answered 503 (--request-timeout).
    double request_seconds = 30;
};

class Api {
  public:
    /// Searches run on at most `handles` database handles at once (--threads); a request
    /// waits, in arrival order, for one to be free.
    Api(std::vector<std::string> databases, bool allow_partial, Limits limits, std::size_t handles);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    /// GET /api/<endpoint>: search, mentions, count, quote, check, facts, sources, passage,
    /// text, version, health. `body` is the request body (report's claims).
    [[nodiscard]] Reply handle(std::string_view endpoint, const Params& params, const std::string& body) const;

    /// Opens the first database handle, so that a bad --db fails at start.
    void open_first_handle() const;

  private:
    class HandlePool;
    [[nodiscard]] Reply handle_with(cite::search::SearchService& service, std::string_view endpoint,
                                    const Params& params, const std::string& body) const;

    std::vector<std::string> m_databases;
    bool m_allow_partial;
    Limits m_limits;
    std::unique_ptr<HandlePool> m_pool;
};

}  // namespace searcher::serve
