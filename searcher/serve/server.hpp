#pragma once
// `searcher serve`: the HTTP server (cpp-httplib) in front of serve::Api and the web page.

#include "api.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace searcher::serve {

struct ServeConfig {
    std::vector<std::string> dbs;
    bool allow_partial = false;
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string token;     ///< required as a bearer header or cookie; empty: none
    bool no_auth = false;  ///< --no-auth: serve a non-loopback address without a token
    std::size_t threads = 8;        ///< requests searched at once: database handles
    std::size_t connections = 128;  ///< connections served at once, a thread each
    std::size_t queue = 64;  ///< connections waiting for a thread before accept() waits
    Limits limits;
};

/// The checked configuration, or nullopt when --help was printed to `out`. argv[0] is
/// "serve". Throws cite::UsageError (e.g. a non-loopback --listen without --token).
std::optional<ServeConfig> parse_serve_options(int argc, const char* const* argv, std::ostream& out);

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight. Returns the exit
/// code. Prints "searcher: serving http://HOST:PORT/" on stderr once listening.
int run_server(const ServeConfig& config);

}  // namespace searcher::serve
