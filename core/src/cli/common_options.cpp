#include "cite/cli/common_options.hpp"

#include "cite/error.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>
#include <system_error>

namespace po = boost::program_options;

namespace cite::cli {

std::string default_db_path() {
    const char* env = std::getenv("CITE_DB");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string("index.db");
}

void add_database_option(po::options_description& options, std::string& db) {
    options.add_options()("db", po::value<std::string>(&db)->default_value(default_db_path())->value_name("PATH"),
                          "database directory ($CITE_DB, else index.db)");
}

void add_search_database_options(po::options_description& options, std::vector<std::string>& dbs) {
    const std::string fallback = default_db_path();
    options.add_options()("db",
                          po::value<std::vector<std::string>>(&dbs)
                              ->composing()
                              ->default_value(std::vector<std::string>{fallback}, fallback)
                              ->value_name("PATH"),
                          "database directory ($CITE_DB, else index.db), stub file listing "
                          "shards, or tcp://HOST:PORT (xapian-tcpsrv); repeat to search several as one")(
        "allow-partial", "search the shards that can be reached when some cannot, naming the missing "
                         "ones (otherwise an unreachable shard is an error)");
}

void parse_command_line(int argc, const char* const* argv, const po::options_description& visible,
                        const char* positional_name, std::vector<std::string>& positional,
                        po::variables_map& vm) {
    po::options_description all;
    all.add(visible).add_options()(positional_name, po::value<std::vector<std::string>>(&positional));
    po::positional_options_description positions;
    positions.add(positional_name, -1);
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positions).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
}

void validate(boost::any& out, const std::vector<std::string>& values, Count* /*tag*/, int /*overload*/) {
    po::validators::check_first_occurrence(out);
    const std::string& text = po::validators::get_single_string(values);
    Count count;
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count.value);
    if (!digits || error != std::errc() || end != text.data() + text.size()) {
        po::error_with_option_name e("'%count%' for option '%canonical_option%' is not a whole number from 0 to " +
                                     std::to_string(std::numeric_limits<std::size_t>::max()));
        e.set_substitute("count", text);
        throw e;
    }
    out = count;
}

std::string exit_status_help(bool searcher) {
    if (searcher)
        return "Exit status: 0 at least one result, 1 nothing matched, 2 usage error or failure.\n";
    return "Exit status: 0 everything indexed and committed, 2 usage error, fatal error,\n"
           "or some file or record skipped (the rest is committed); stopped by SIGINT or\n"
           "SIGTERM: ends by the same signal (130, 143 in a shell), finished files committed.\n";
}

}  // namespace cite::cli
