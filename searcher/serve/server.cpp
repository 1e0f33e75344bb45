#include "server.hpp"

#include "serve/web_assets.hpp"

#include "cite/cli/common_options.hpp"
#include "cite/error.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

namespace po = boost::program_options;

namespace searcher::serve {
namespace {

constexpr const char* serve_description =
    "Serve the index over HTTP: a JSON API under /api/ (search, mentions, count, quote, check,\n"
    "facts, report, sources, passage, text, version, health; described at /api/openapi.json)\n"
    "and a web page at / for the same, on the same code as the command line. Read-only.\n"
    "A --listen address other than loopback needs --token (sent as 'Authorization: Bearer\n"
    "TOKEN', or kept in a cookie after opening /login?token=TOKEN once) unless --no-auth.\n"
    "SIGINT or SIGTERM finishes the requests in flight and stops.\n";

bool is_loopback(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr address{};
    return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24U) == 127U;
}

// HOST:PORT, [IPv6]:PORT, or :PORT (loopback).
void parse_listen(const std::string& listen, ServeConfig& config) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw cite::UsageError("--listen must be HOST:PORT, not '" + listen + "'");
    std::string host = listen.substr(0, colon);
    const std::string port = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535)
        throw cite::UsageError("--listen: the port must be a number within 0..65535, not '" + port + "'");
    config.host = host.empty() ? "127.0.0.1" : host;
    config.port = std::stoi(port);
}

// Compares without stopping at the first difference, so timing says nothing of the token.
bool same_token(const std::string& given, const std::string& token) {
    unsigned char diff = given.size() == token.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ token[i % token.size()]);
    return diff == 0;
}

std::string cookie_token(const httplib::Request& request) {
    const std::string cookies = request.get_header_value("Cookie");
    const std::string name = "cite_token=";
    for (std::size_t pos = 0; pos < cookies.size();) {
        const std::size_t start = cookies.find_first_not_of(' ', pos);
        if (start == std::string::npos) break;
        const std::size_t end = std::min(cookies.find(';', start), cookies.size());
        if (cookies.compare(start, name.size(), name) == 0) return cookies.substr(start + name.size(), end - start - name.size());
        pos = end + 1;
    }
    return {};
}

bool authorised(const httplib::Request& request, const std::string& token) {
    if (token.empty()) return true;
    const std::string header = request.get_header_value("Authorization");
    const std::string bearer = "Bearer ";
    if (header.compare(0, bearer.size(), bearer) == 0 && same_token(header.substr(bearer.size()), token)) return true;
    const std::string cookie = cookie_token(request);
    return !cookie.empty() && same_token(cookie, token);
}

std::string_view content_type_of(std::string_view path) {
    if (path.ends_with(".html")) return "text/html; charset=utf-8";
    if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (path.ends_with(".css")) return "text/css; charset=utf-8";
    return "application/json";
}

// httplib's ThreadPool queues without bound. This one holds at most `capacity` accepted
// connections waiting for a worker; when it is full, the accepting thread waits, so further
// clients wait in the kernel's listen backlog instead of in memory.
class BoundedPool : public httplib::TaskQueue {
  public:
    BoundedPool(std::size_t threads, std::size_t capacity) : m_capacity(capacity) {
        for (std::size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { work(); });
    }
    BoundedPool(const BoundedPool&) = delete;
    BoundedPool& operator=(const BoundedPool&) = delete;
    ~BoundedPool() override = default;

    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_jobs.size() < m_capacity; });
        m_jobs.push_back(std::move(fn));
        m_not_empty.notify_one();
    }

    // Runs what is queued, then joins the workers.
    void shutdown() override {
        {
            const std::lock_guard lock(m_mutex);
            m_shutdown = true;
        }
        m_not_empty.notify_all();
        for (auto& t : m_threads) t.join();
    }

  private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_not_empty.wait(lock, [&] { return m_shutdown || !m_jobs.empty(); });
                if (m_jobs.empty()) return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
                m_not_full.notify_one();
            }
            job();
        }
    }

    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_not_empty;
    std::condition_variable m_not_full;
    std::deque<std::function<void()>> m_jobs;
    bool m_shutdown = false;
    std::vector<std::thread> m_threads;
};

// Every answer: a strict Content-Security-Policy (scripts and styles only from this server,
// no inline script, no framing), no MIME sniffing, no referrer.
const httplib::Headers security_headers{
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-store"},
};

void set_error(httplib::Response& response, int status, const std::string& message) {
    response.status = status;
    response.set_content(nlohmann::json{{"error", message}}.dump() + "\n", "application/json");
}

}  // namespace

std::optional<ServeConfig> parse_serve_options(int argc, const char* const* argv, std::ostream& out) {
    ServeConfig config;
    std::string listen;
    std::vector<std::string> positional;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help and exit")(
        "listen", po::value<std::string>(&listen)->default_value("127.0.0.1:8080")->value_name("HOST:PORT"),
        "address to serve on; port 0 picks a free one")(
        "token", po::value<std::string>(&config.token)->value_name("TOKEN"),
        "require TOKEN with every request (bearer header or login cookie)")(
        "no-auth", "serve an address other than loopback without a token")(
        "threads", po::value<cite::cli::Count>()->default_value(cite::cli::Count{8}, "8")->value_name("N")->notifier(
                       [&](const cite::cli::Count& n) { config.threads = n.value; }),
        "requests searched in parallel, each on its own database handle; more wait their turn")(
        "connections", po::value<cite::cli::Count>()->default_value(cite::cli::Count{128}, "128")->value_name("N")->notifier(
                           [&](const cite::cli::Count& n) { config.connections = n.value; }),
        "connections served at once (a light thread each, waiting for the client or a handle); "
        "more wait to be accepted")(
        "request-timeout", po::value<double>(&config.limits.request_seconds)->default_value(30, "30")->value_name("SECONDS"),
        "stop a request still searching after SECONDS and answer 503 with a JSON error");
    cite::cli::add_search_database_options(visible, config.dbs);
    po::variables_map vm;
    cite::cli::parse_command_line(argc, argv, visible, "argument", positional, vm);
    if (vm.count("help")) {
        out << "Usage: searcher serve [OPTIONS]\n\n"
            << serve_description << '\n'
            << visible << '\n'
            << "Exit status: 0 stopped by SIGINT or SIGTERM, 2 usage error or failure.\n";
        return std::nullopt;
    }
    if (!positional.empty()) throw cite::UsageError("serve takes no argument, not '" + positional.front() + "'");
    parse_listen(listen, config);
    config.no_auth = vm.count("no-auth") > 0;
    if (config.threads == 0 || config.threads > 256) throw cite::UsageError("--threads must be within 1..256");
    if (config.connections == 0 || config.connections > 4096)
        throw cite::UsageError("--connections must be within 1..4096");
    if (!(config.limits.request_seconds > 0 && config.limits.request_seconds <= 86400))
        throw cite::UsageError("--request-timeout must be a number of seconds within 0..86400 (more than 0)");
    if (!is_loopback(config.host) && config.token.empty() && !config.no_auth)
        throw cite::UsageError("--listen " + listen + " is not a loopback address: give --token TOKEN (or --no-auth)");
    if (vm.count("token") && config.token.empty()) throw cite::UsageError("--token must not be empty");
    config.allow_partial = vm.count("allow-partial") > 0;
    for (const std::string& db : config.dbs)
        if (db.empty()) throw cite::UsageError("--db must not be empty");
    return config;
}

int run_server(const ServeConfig& config) {
    // SIGINT and SIGTERM are taken by one thread (sigwait); every other thread (the workers,
    // and the analysis thread of each SearchService, the first one opened just below) is
    // created after this and inherits the blocked mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    const Api api(config.dbs, config.allow_partial, config.limits, config.threads);
    api.open_first_handle();  // a missing or unreadable index fails now, not at the first request

    httplib::Server server;
    // Explicit limits: a request body up to 1 MiB (report's claims), 10 s to read a request
    // or write an answer, keep-alive for 5 s and 100 requests, `connections` threads with at
    // most `queue` accepted connections waiting for one. A connection's thread holds a
    // database handle only while it searches (Api), so an idle keep-alive connection keeps no
    // search waiting. (With one thread per handle and 3 requests per connection, 64 wrk
    // clients queued behind 8 threads, reconnecting every 3 requests: p99 about 1 s, and under
    // load a few waits past wrk's 2 s timeout.)
    server.set_payload_max_length(1U << 20U);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    server.set_keep_alive_timeout(5);
    server.set_keep_alive_max_count(100);
    // Headers and body are written separately: without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK hold every answer back by about 40 ms.
    server.set_tcp_nodelay(true);
    const std::size_t threads = config.connections;
    const std::size_t queue = config.queue;
    server.new_task_queue = [threads, queue] { return new BoundedPool(threads, queue); };
    server.set_default_headers(security_headers);

    const std::string token = config.token;
    server.set_pre_routing_handler([token](const httplib::Request& request, httplib::Response& response) {
        if (request.path == "/login" || authorised(request, token)) return httplib::Server::HandlerResponse::Unhandled;
        set_error(response, 401, "a token is required: 'Authorization: Bearer TOKEN' or open /login?token=TOKEN");
        response.set_header("WWW-Authenticate", "Bearer");
        return httplib::Server::HandlerResponse::Handled;
    });
    server.Get("/login", [token](const httplib::Request& request, httplib::Response& response) {
        if (token.empty() || !same_token(request.get_param_value("token"), token)) {
            set_error(response, 401, "wrong or missing token");
            return;
        }
        response.set_header("Set-Cookie", "cite_token=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        response.set_redirect("/");
    });
    for (const WebAsset& asset : web_assets()) {
        const std::string path = asset.path == "/openapi.json" ? "/api/openapi.json" : std::string(asset.path);
        const std::string type(content_type_of(asset.path));
        const std::string body(asset.body);
        const auto serve = [type, body](const httplib::Request&, httplib::Response& response) {
            response.set_content(body, type.c_str());
        };
        server.Get(path, serve);
        if (asset.path == "/index.html") server.Get("/", serve);
    }
    // No icon: an empty answer rather than a 404 in every browser's console.
    server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
    const auto answer = [&api](std::string_view endpoint, const httplib::Request& request,
                               httplib::Response& response) {
        const Params params(request.params.begin(), request.params.end());
        Reply reply = api.handle(endpoint, params, request.body);
        response.status = reply.status;
        response.set_content(std::move(reply.body), reply.content_type.c_str());
    };
    server.Get(R"(/api/([a-z]+))", [&answer](const httplib::Request& request, httplib::Response& response) {
        if (request.matches[1] == "report") return set_error(response, 405, "POST the claims to /api/report");
        answer(request.matches[1].str(), request, response);
    });
    server.Post("/api/report", [&answer](const httplib::Request& request, httplib::Response& response) {
        answer("report", request, response);
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
        if (response.body.empty()) set_error(response, response.status, "no such page");
    });

    // Port 0: a free port, named in the line below (tests read it).
    const int port = config.port == 0 ? server.bind_to_any_port(config.host)
                                      : (server.bind_to_port(config.host, config.port) ? config.port : -1);
    if (port < 0) {
        std::cerr << "searcher: cannot listen on " << config.host << ':' << config.port << '\n';
        return cite::exit_error;
    }
    std::thread stopper([&server, stop_signals] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        server.stop();
    });
    std::cerr << "searcher: serving http://" << config.host << ':' << port << "/" << std::endl;
    const bool ok = server.listen_after_bind();
    if (stopper.joinable()) {
        // listen ended without a signal (an error): wake the stopper so it can be joined.
        if (!ok) pthread_kill(stopper.native_handle(), SIGTERM);
        stopper.join();
    }
    std::cerr << "searcher: stopped\n";
    return ok ? cite::exit_ok : cite::exit_error;
}

}  // namespace searcher::serve
