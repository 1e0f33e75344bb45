#include "api.hpp"

#include "options.hpp"

#include "cite/cli/version.hpp"
#include "cite/error.hpp"
#include "cite/index/schema.hpp"
#include "cite/output/fact_report.hpp"
#include "cite/output/json_sink.hpp"
#include "cite/output/quote_report.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/search/citation_keys.hpp"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace searcher::serve {
namespace {

using cite::output::Format;
using ordered_json = nlohmann::ordered_json;

// A request the API refuses: its HTTP status and the message of the JSON error.
class Refused : public std::runtime_error {
  public:
    Refused(int status, const std::string& message) : std::runtime_error(message), m_status(status) {}
    [[nodiscard]] int status() const { return m_status; }

  private:
    int m_status;
};

Reply json_reply(const ordered_json& j, int status = 200) {
    return {status, "application/json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

Reply error_reply(int status, const std::string& message, std::optional<std::size_t> position = std::nullopt) {
    ordered_json j{{"error", message}};
    if (position) j["position"] = *position;
    return json_reply(j, status);
}

std::optional<std::string> param(const Params& params, const std::string& name) {
    const auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
}

// Query text (q, quote, claim): required, non-empty, at most the limit.
std::string text_param(const Params& params, const std::string& name, std::size_t max_bytes) {
    const auto value = param(params, name);
    if (!value || value->empty()) throw Refused(400, "missing parameter '" + name + "'");
    if (value->size() > max_bytes)
        throw Refused(413, "'" + name + "' is longer than " + std::to_string(max_bytes) + " bytes");
    return *value;
}

// A count: decimal digits only (as the CLI's --limit), within [low, high].
std::size_t count_param(const Params& params, const std::string& name, std::size_t fallback, std::size_t low,
                        std::size_t high) {
    const auto value = param(params, name);
    if (!value) return fallback;
    if (value->empty() || value->size() > 9 ||
        !std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Refused(400, "'" + name + "' must be a number");
    const std::size_t n = std::stoul(*value);
    if (n < low || n > high)
        throw Refused(400, "'" + name + "' must be within " + std::to_string(low) + ".." + std::to_string(high));
    return n;
}

bool flag_param(const Params& params, const std::string& name) {
    const auto value = param(params, name);
    return value && (*value == "1" || *value == "true" || value->empty());
}

// format=: the formats the CLI writes for that kind of result (json by default).
Format format_param(const Params& params, std::initializer_list<Format> allowed) {
    const std::string name = param(params, "format").value_or("json");
    const auto format = cite::output::parse_format(name);
    if (!format || std::find(allowed.begin(), allowed.end(), *format) == allowed.end())
        throw Refused(400, "this endpoint does not write the format '" + name + "'");
    return *format;
}

std::string content_type(Format format) {
    switch (format) {
    case Format::Json: return "application/json";
    case Format::Jsonl: return "application/x-ndjson";
    case Format::Csv: return "text/csv; charset=utf-8";
    case Format::Markdown: return "text/markdown; charset=utf-8";
    case Format::CslJson: return "application/vnd.citationstyles.csl+json";
    case Format::Bibtex:
    case Format::Biblatex: return "application/x-bibtex; charset=utf-8";
    case Format::Ris: return "application/x-research-info-systems; charset=utf-8";
    default: return "text/plain; charset=utf-8";
    }
}

// Filters become query-language fields, so the CLI gives the same answer for
// `(Q) file:S author:"A" publisher:"P" title:"T"` (docs/serve.md).
std::string filtered_query(const Params& params, const std::string& query) {
    std::string out;
    const auto add = [&](const char* name, const char* field, bool quoted) {
        const auto value = param(params, name);
        if (!value || value->empty()) return;
        const bool date = std::string_view(field) == "date";
        const bool plain = std::all_of(value->begin(), value->end(), [&](char c) {
            const auto u = static_cast<unsigned char>(c);
            if (date) return (c >= '0' && c <= '9') || c == '-' || c == '.';
            return u >= 0x80U || std::isalnum(u) != 0 || c == '.' || c == '-' || c == '_' ||
                   (quoted ? c == ' ' || c == '\'' : c == '/' || c == '*');
        });
        if (!plain) throw Refused(400, std::string("the filter '") + name + "' holds a character it cannot");
        out += std::string(" ") + field + ":" + (quoted ? "\"" + *value + "\"" : *value);
    };
    add("source", "file", false);
    add("author", "author", true);
    add("publisher", "publisher", true);
    add("title", "title", true);
    add("date", "date", false);
    return out.empty() ? query : "(" + query + ")" + out;
}

// Runs `run` on the query with the request's filters (filtered_query). The query is parsed
// alone first, so that an error in it is placed in `q` (the filters wrap it in parentheses);
// an error after that is the filters'.
template <typename F>
auto with_filters(cite::search::SearchService& service, const Params& params, const std::string& query, F&& run) {
    const std::string filtered = filtered_query(params, query);
    if (filtered == query) return run(filtered);
    cite::search::SearchRequest alone;
    alone.query = query;
    alone.literal = flag_param(params, "literal");
    (void)service.explain(alone);
    try {
        return run(filtered);
    } catch (const cite::QueryError& e) {
        throw Refused(400, std::string("a filter is wrong: ") + e.what());
    }
}

cite::output::SinkOptions sink_options(Format format, const cite::search::SearchService& service) {
    cite::output::SinkOptions options;
    if (cite::output::is_bibliography_format(format)) options.keys = cite::search::corpus_citation_keys(service.reader());
    return options;
}

constexpr auto result_formats = {Format::Json, Format::Jsonl, Format::Csv, Format::Markdown, Format::CslJson,
                                 Format::Text};
// Ranked search also writes the bibliography of its page (the web page's "Copy BibTeX").
constexpr auto search_formats = {Format::Json,     Format::Jsonl,  Format::Csv,      Format::Markdown,
                                 Format::CslJson,  Format::Text,   Format::Bibtex,   Format::Biblatex,
                                 Format::Ris};

Reply search(cite::search::SearchService& service, const Params& params, cite::search::SearchMode mode,
             const Limits& limits) {
    cite::search::SearchRequest request;
    request.mode = mode;
    const std::string query = text_param(params, "q", limits.max_query_bytes);
    request.literal = flag_param(params, "literal");
    request.use_aliases = !flag_param(params, "no_aliases");
    request.limit = count_param(params, "limit", 10, 1, limits.max_results);
    request.offset = count_param(params, "offset", 0, 0, 1000000);
    if (const auto sort = param(params, "sort")) {
        try {
            request.ranking.order = parse_sort(*sort);
        } catch (const cite::UsageError&) {
            throw Refused(400, "'sort' must be relevance, date (newest first) or date-asc (oldest first)");
        }
        if (request.ranking.order != cite::rank::Order::Relevance && mode != cite::search::SearchMode::Ranked)
            throw Refused(400, "'sort' applies to search; mentions are listed in corpus order");
    }
    const Format format = mode == cite::search::SearchMode::Count
                              ? format_param(params, {Format::Json, Format::Jsonl, Format::Csv, Format::Markdown,
                                                      Format::Text})
                              : format_param(params, mode == cite::search::SearchMode::Ranked ? search_formats
                                                                                            : result_formats);
    std::ostringstream out;
    const auto sink = cite::output::make_sink(format, out, sink_options(format, service));
    with_filters(service, params, query, [&](const std::string& filtered) {
        request.query = filtered;
        (void)service.run(request, *sink);
    });
    return {200, content_type(format), out.str()};
}

Reply quote(cite::search::SearchService& service, const Params& params, const Limits& limits) {
    const Format format = format_param(params, {Format::Json, Format::Jsonl, Format::Markdown, Format::Text});
    const auto check = service.verify_quote(text_param(params, "q", limits.max_query_bytes),
                                            flag_param(params, "case_sensitive"));
    std::ostringstream out;
    cite::output::write_quote_check(format, out, check, sink_options(format, service));
    return {200, content_type(format), out.str()};
}

Reply check(cite::search::SearchService& service, const Params& params, const Limits& limits) {
    const Format format = format_param(params, result_formats);
    const auto checked = service.check_claim(text_param(params, "claim", limits.max_query_bytes));
    std::ostringstream out;
    cite::output::write_claim_checks(format, out, {checked}, sink_options(format, service));
    return {200, content_type(format), out.str()};
}

Reply facts(cite::search::SearchService& service, const Params& params, const Limits& limits) {
    const Format format = format_param(params, result_formats);
    cite::evidence::FactOptions options;
    options.limit = count_param(params, "limit", 0, 0, limits.max_results);
    for (auto [it, end] = params.equal_range("unit"); it != end; ++it)
        if (!it->second.empty()) options.units.push_back(it->second);
    const auto table = with_filters(service, params, text_param(params, "q", limits.max_query_bytes),
                                    [&](const std::string& filtered) { return service.list_facts(filtered, options); });
    std::ostringstream out;
    cite::output::write_fact_table(format, out, table, sink_options(format, service));
    return {200, content_type(format), out.str()};
}

// The claims of a report body: one per line as in a claims file (blank lines and '#' lines
// skipped), or a JSON array of strings, or {"claims": [...]}.
std::vector<std::string> claims_of(const std::string& body, const Limits& limits) {
    std::vector<std::string> claims;
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (body[first] == '[' || body[first] == '{')) {
        const auto j = nlohmann::json::parse(body, nullptr, false);
        const auto& list = j.is_object() && j.contains("claims") ? j["claims"] : j;
        if (!list.is_array()) throw Refused(400, "the body is neither claims, one per line, nor a JSON list of them");
        for (const auto& c : list) {
            if (!c.is_string()) throw Refused(400, "every claim must be a string");
            claims.push_back(c.get<std::string>());
        }
    } else {
        try {
            cite::passage::check_text(body);
        } catch (const std::exception& e) {
            throw Refused(400, std::string("the body is not UTF-8 text: ") + e.what());
        }
        cite::passage::for_each_line(body, [&](std::size_t, std::string_view line) {
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            const auto start = line.find_first_not_of(" \t");
            if (start == std::string_view::npos || line[start] == '#') return;
            claims.emplace_back(line.substr(start));
        });
    }
    claims.erase(std::remove_if(claims.begin(), claims.end(), [](const std::string& c) { return c.empty(); }),
                 claims.end());
    if (claims.empty()) throw Refused(400, "the body holds no claim");
    if (claims.size() > limits.max_claims)
        throw Refused(413, "more than " + std::to_string(limits.max_claims) + " claims");
    for (const auto& c : claims)
        if (c.size() > limits.max_query_bytes)
            throw Refused(413, "a claim is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
    return claims;
}

Reply report(cite::search::SearchService& service, const Params& params, const std::string& body,
             const Limits& limits) {
    const Format format = format_param(params, result_formats);
    std::vector<cite::evidence::ClaimCheck> checks;
    for (const std::string& claim : claims_of(body, limits)) checks.push_back(service.check_claim(claim));
    std::ostringstream out;
    cite::output::write_claim_checks(format, out, checks, sink_options(format, service));
    return {200, content_type(format), out.str()};
}

ordered_json meta_json(const cite::passage::DocumentMeta& meta) {
    nlohmann::json j;
    to_json(j, meta);
    return ordered_json::parse(j.dump());
}

Reply sources(const cite::index::IndexReader& reader) {
    ordered_json list = ordered_json::array();
    for (const auto& file : reader.files())
        list.push_back({{"id", file.source},
                        {"kind", file.kind},
                        {"bytes", file.bytes},
                        {"sha256", file.sha256},
                        {"passages", file.passages},
                        {"documents", file.documents},
                        {"meta", meta_json(reader.document(file.source))}});
    return json_reply({{"format_version", cite::output::json_format_version},
                       {"mode", "sources"},
                       {"db", reader.name()},
                       {"passages", reader.passage_count()},
                       {"sources", list}});
}

// An indexed source, by its id (the path relative to its corpus root, as the index records
// it): never a path the server would open without the index naming it.
cite::index::FileRecord indexed_source(const cite::index::IndexReader& reader, const Params& params) {
    const auto id = param(params, "source");
    if (!id || id->empty()) throw Refused(400, "missing parameter 'source'");
    auto file = reader.file(*id);
    if (!file) throw Refused(404, "no indexed source '" + *id + "'");
    return *file;
}

// Every passage of a source, in corpus order (one record's, for JSONL).
std::vector<cite::passage::Passage> passages_of(const cite::index::IndexReader& reader, const std::string& source,
                                                const std::string& record) {
    const Xapian::MSet mset = cite::index::all_matches_in_corpus_order(
        reader.database(), Xapian::Query(cite::index::source_term(source)));
    std::vector<cite::passage::Passage> out;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto p = reader.passage(it.get_document());
        if (p.record == record) out.push_back(std::move(p));
    }
    return out;
}

ordered_json passage_json(const cite::passage::Passage& p) {
    return {{"ordinal", p.ordinal}, {"line", p.line}, {"start_byte", p.bytes.begin}, {"end_byte", p.bytes.end}};
}

Reply passage(const cite::index::IndexReader& reader, const Params& params) {
    const auto file = indexed_source(reader, params);
    const std::string record = param(params, "record").value_or("");
    const std::size_t ordinal = count_param(params, "ordinal", 1, 1, 100000000);
    const std::size_t context = count_param(params, "context", 1, 0, 20);
    const auto all = passages_of(reader, file.source, record);
    const auto at = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.ordinal == ordinal; });
    if (at == all.end()) throw Refused(404, "'" + file.source + "' has no paragraph " + std::to_string(ordinal));
    const auto index = static_cast<std::size_t>(at - all.begin());
    ordered_json list = ordered_json::array();
    for (std::size_t i = index > context ? index - context : 0; i < all.size() && i <= index + context; ++i) {
        auto j = passage_json(all[i]);
        j["text"] = all[i].text;
        j["requested"] = i == index;
        list.push_back(std::move(j));
    }
    ordered_json j{{"format_version", cite::output::json_format_version}, {"mode", "passage"}, {"source", file.source}};
    if (!record.empty()) j["record"] = record;
    j["meta"] = meta_json(reader.document(at->document_key()));
    j["passages"] = list;
    return json_reply(j);
}

Reply text(const cite::index::IndexReader& reader, const Params& params, const Limits& limits) {
    const auto file = indexed_source(reader, params);
    // Byte ranges refer to the file's own bytes only for plain text; JSONL records and
    // extracted text layers are shown passage by passage (/api/passage).
    if (file.kind != "text" || !file.layer_sha256.empty())
        throw Refused(422, "'" + file.source + "' is a " + file.kind + " source: its text is shown by passage");
    if (file.bytes > limits.max_source_bytes) throw Refused(413, "'" + file.source + "' is too large to show whole");
    std::string bytes;
    try {
        bytes = cite::passage::read_file_bytes(std::filesystem::path(file.root) / file.source);
    } catch (const std::exception&) {
        throw Refused(410, "'" + file.source + "' is gone or unreadable since it was indexed");
    }
    if (cite::passage::sha256_hex(bytes) != file.sha256)
        throw Refused(409, "'" + file.source + "' changed since it was indexed; re-run the indexer");
    ordered_json list = ordered_json::array();
    for (const auto& p : passages_of(reader, file.source, "")) list.push_back(passage_json(p));
    return json_reply({{"format_version", cite::output::json_format_version},
                       {"mode", "text"},
                       {"source", file.source},
                       {"sha256", file.sha256},
                       {"meta", meta_json(reader.document(file.source))},
                       {"text", bytes},
                       {"passages", list}});
}

// Column of byte `position` in `query`, from 1 (as the CLI's error message counts).
std::size_t column_of(const std::string& query, std::size_t position) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < position && i < query.size(); ++i)
        if ((static_cast<unsigned char>(query[i]) & 0xC0U) != 0x80U) ++column;
    return column + 1;
}

}  // namespace

// Database handles, one request at a time each: a Xapian database is not thread-safe, so a
// request borrows a SearchService of its own, moved to the latest revision first. Connections
// have threads of their own (server.cpp); a request waits here, in arrival order, for one of
// `size` handles, opened as they are first needed.
class Api::HandlePool {
  public:
    HandlePool(const Api& api, std::size_t size) : m_api(api), m_size(size) {}

    class Lease {
      public:
        Lease(HandlePool& pool, std::unique_ptr<cite::search::SearchService> service)
            : m_pool(pool), m_service(std::move(service)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { m_pool.give_back(std::move(m_service)); }
        cite::search::SearchService& operator*() const { return *m_service; }

      private:
        HandlePool& m_pool;
        std::unique_ptr<cite::search::SearchService> m_service;
    };

    Lease borrow() {
        std::unique_lock lock(m_mutex);
        const std::uint64_t ticket = m_next_ticket++;
        m_changed.wait(lock, [&] { return ticket == m_turn && (!m_free.empty() || m_opened < m_size); });
        ++m_turn;
        std::unique_ptr<cite::search::SearchService> service;
        if (!m_free.empty()) {
            service = std::move(m_free.back());
            m_free.pop_back();
        } else {
            ++m_opened;
        }
        lock.unlock();
        m_changed.notify_all();  // the next ticket may go
        try {
            if (service) service->refresh();
            else service = std::make_unique<cite::search::SearchService>(m_api.m_databases,
                                                                        cite::index::OpenOptions{m_api.m_allow_partial});
        } catch (...) {
            give_back(std::move(service));
            throw;
        }
        return Lease(*this, std::move(service));
    }

  private:
    // A handle that could not be opened is not kept: the next request opens one again.
    void give_back(std::unique_ptr<cite::search::SearchService> service) {
        {
            const std::lock_guard lock(m_mutex);
            if (service) m_free.push_back(std::move(service));
            else --m_opened;
        }
        m_changed.notify_all();
    }

    const Api& m_api;
    const std::size_t m_size;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::unique_ptr<cite::search::SearchService>> m_free;
    std::size_t m_opened = 0;
    std::uint64_t m_next_ticket = 0;
    std::uint64_t m_turn = 0;
};

Api::Api(std::vector<std::string> databases, bool allow_partial, Limits limits, std::size_t handles)
    : m_databases(std::move(databases)), m_allow_partial(allow_partial), m_limits(limits),
      m_pool(std::make_unique<HandlePool>(*this, std::max<std::size_t>(handles, 1))) {}

Api::~Api() = default;

void Api::open_first_handle() const { (void)m_pool->borrow(); }

Reply Api::handle(std::string_view endpoint, const Params& params, const std::string& body) const {
    if (endpoint == "version")
        return json_reply({{"format_version", cite::output::json_format_version},
                           {"version", cite::cli::version_text("searcher")}});
    try {
        const auto lease = m_pool->borrow();
        // The time limit counts from when the request has a handle: waiting for one is the
        // server's load, which the client's own timeout bounds.
        (*lease).set_deadline(std::chrono::steady_clock::now() +
                              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(m_limits.request_seconds)));
        return handle_with(*lease, endpoint, params, body);
    } catch (const cite::IndexError& e) {
        return error_reply(503, e.what());
    } catch (const std::exception& e) {
        return error_reply(500, e.what());
    }
}

Reply Api::handle_with(cite::search::SearchService& svc, std::string_view endpoint, const Params& params,
                       const std::string& body) const {
    using cite::search::SearchMode;
    try {
        if (endpoint == "health")
            return json_reply({{"status", "ok"}, {"passages", svc.reader().passage_count()},
                               {"missing_shards", svc.missing_shards()}});
        if (endpoint == "search") return search(svc, params, SearchMode::Ranked, m_limits);
        if (endpoint == "mentions") return search(svc, params, SearchMode::Mentions, m_limits);
        if (endpoint == "count") return search(svc, params, SearchMode::Count, m_limits);
        if (endpoint == "quote") return quote(svc, params, m_limits);
        if (endpoint == "check") return check(svc, params, m_limits);
        if (endpoint == "facts") return facts(svc, params, m_limits);
        if (endpoint == "report") return report(svc, params, body, m_limits);
        // These read the index directly; a commit in between is retried on the new revision.
        for (int attempt = 0;; ++attempt) {
            try {
                if (endpoint == "sources") return sources(svc.reader());
                if (endpoint == "passage") return passage(svc.reader(), params);
                if (endpoint == "text") return text(svc.reader(), params, m_limits);
                break;
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt == 4) throw cite::IndexError("the index kept changing; try again");
                svc.refresh();
            }
        }
        return error_reply(404, "no endpoint /api/" + std::string(endpoint));
    } catch (const Refused& e) {
        return error_reply(e.status(), e.what());
    } catch (const cite::QueryError& e) {
        const std::string query = param(params, "q").value_or(param(params, "claim").value_or(""));
        return error_reply(400, e.what(), column_of(query, e.position()));
    } catch (const cite::IndexError& e) {
        return error_reply(503, e.what());
    } catch (const cite::TimeLimitError&) {
        std::ostringstream seconds;
        seconds << m_limits.request_seconds;
        ordered_json j{{"error", "the request took longer than the server's limit of " + seconds.str() +
                                     " s per request (searcher serve --request-timeout); narrow the query"},
                       {"time_limit_seconds", m_limits.request_seconds}};
        return json_reply(j, 503);
    } catch (const std::exception& e) {
        return error_reply(500, e.what());
    } catch (const Xapian::Error& e) {
        return error_reply(500, e.get_description());
    }
}

}  // namespace searcher::serve
