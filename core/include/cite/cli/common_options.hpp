#pragma once
// Command-line pieces both front ends share: the --db option and its default, help layout.

#include <boost/program_options.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace cite::cli {

/// The database both tools use when --db is not given: $CITE_DB if set, else "index.db" in
/// the current directory (the README's main command runs from the repository root).
[[nodiscard]] std::string default_db_path();

/// Adds --db PATH, storing into `db`.
void add_database_option(boost::program_options::options_description& options, std::string& db);

/// The searcher's databases: --db PATH, repeatable (several searched as one; each a database
/// directory, a stub file, or tcp://HOST:PORT), and --allow-partial.
void add_search_database_options(boost::program_options::options_description& options,
                                 std::vector<std::string>& dbs);

/// Parses argv into `vm`: the `visible` options, and every positional argument into
/// `positional` (a hidden option named `positional_name`). Boost errors become UsageError.
void parse_command_line(int argc, const char* const* argv,
                        const boost::program_options::options_description& visible,
                        const char* positional_name, std::vector<std::string>& positional,
                        boost::program_options::variables_map& vm);

/// A count given on the command line (--limit, --offset, --shards): decimal digits only.
/// Boost reads "-1" into an unsigned type as its largest value, so "-n -1" meant no limit.
struct Count {
    std::size_t value = 0;
};

/// Boost.Program_options' hook for Count (found by argument-dependent lookup).
void validate(boost::any& out, const std::vector<std::string>& values, Count* /*tag*/, int /*overload*/);

/// The exit-status table, as shown at the end of every --help.
[[nodiscard]] std::string exit_status_help(bool searcher);

}  // namespace cite::cli
