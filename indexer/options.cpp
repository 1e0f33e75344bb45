#include "options.hpp"

#include "cite/cli/common_options.hpp"
#include "cite/cli/version.hpp"
#include "cite/error.hpp"

#include <ostream>

namespace po = boost::program_options;

namespace indexer {

std::optional<IndexConfig> parse_options(int argc, const char* const* argv, std::ostream& out) {
    std::string db;
    std::vector<std::string> inputs;
    std::size_t shards = 0;
    std::vector<std::string> exclude;
    std::string extract;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help and exit")("version", "show the version and exit")(
        "quiet,q", "no progress and no summary; warnings are still printed")(
        "verbose,v", "also list the files of kinds the indexer does not read")(
        "exclude", po::value<std::vector<std::string>>(&exclude)->value_name("GLOB"),
        "leave out files of a corpus directory matching GLOB (repeatable; a GLOB without '/' matches "
        "a file or folder name at any depth); a .citeignore file at a corpus root lists more")(
        "extract", po::value<std::string>(&extract)->value_name("FILE"),
        "print the text FILE is indexed as (a web page's extracted text, a converted legacy "
        "encoding, a plain text file itself), the text passages' byte ranges refer to; no indexing")(
        "extract-metadata", po::value<std::string>()->value_name("FILE"),
        "print FILE's metadata as the indexer reads it (title, authors, date, url, doi...), as JSON");
    cite::cli::add_database_option(visible, db);
    visible.add_options()("shards", po::value<cite::cli::Count>()
                                        ->notifier([&](const cite::cli::Count& n) { shards = n.value; })
                                        ->value_name("N"),
                          "split the corpus across N databases (PATH/shard-K, listed by the stub "
                          "file PATH/XAPIANDB) by a stable hash of each file's path, built in "
                          "parallel; later runs keep the set's N")(
        "merge", "instead of indexing, merge the databases given in place of CORPUS (databases or "
                 "shard sets) into one new compact database at --db, which must not exist")(
        "watch", "after indexing, stay running and index again whenever a file is added, changed, "
                 "moved or removed under CORPUS (inotify), until Ctrl-C or SIGTERM")(
        "poll", po::value<double>()->value_name("SECONDS"),
        "with --watch: look for changes every SECONDS instead of through inotify (network file "
        "systems)");
    po::variables_map vm;
    cite::cli::parse_command_line(argc, argv, visible, "corpus", inputs, vm);
    if (vm.count("help")) {
        out << "Usage: indexer [--db PATH] [--shards N] [--exclude GLOB]... [--quiet] [--watch] CORPUS...\n"
               "       indexer --extract FILE\n"
               "       indexer --merge --db NEW_PATH [--quiet] DATABASE...\n\n"
               "Index CORPUS (a directory of text, Markdown, HTML, PDF, DOCX, ODT and EPUB files,\n"
               "with an optional catalog.json, or a .jsonl file of {\"_id\", \"title\", \"text\"}\n"
               "records) into the database, one passage per paragraph. Re-running re-indexes only\n"
               "changed files and removes passages of files that are gone from every CORPUS given.\n"
               "Files of other kinds are counted and left out (docs/sources.md).\n\n"
            << visible << "\n"
            << cite::cli::exit_status_help(false);
        return std::nullopt;
    }
    if (vm.count("version")) {
        out << cite::cli::version_text("indexer");
        return std::nullopt;
    }
    const bool merge = vm.count("merge") > 0;
    if (vm.count("extract") || vm.count("extract-metadata")) {
        if (!inputs.empty() || merge || (vm.count("extract") && vm.count("extract-metadata")))
            throw cite::UsageError("--extract and --extract-metadata take one FILE and no CORPUS");
        IndexConfig config;
        config.extract = extract;
        if (vm.count("extract-metadata")) config.extract_metadata = vm["extract-metadata"].as<std::string>();
        if (config.extract.empty() && config.extract_metadata.empty()) throw cite::UsageError("--extract needs a FILE");
        return config;
    }
    if (inputs.empty()) throw cite::UsageError(merge ? "no DATABASE given to merge" : "no CORPUS given");
    if (merge && vm.count("shards")) throw cite::UsageError("--merge writes one database: --shards does not apply");
    if (merge && (vm.count("db") == 0 || vm["db"].defaulted()))
        throw cite::UsageError("--merge needs --db NEW_PATH: the database to create");
    if (db.empty()) throw cite::UsageError("--db must not be empty");
    IndexConfig config;
    config.index.db_path = db;
    for (const std::string& input : inputs) config.index.inputs.emplace_back(input);
    config.quiet = vm.count("quiet") > 0;
    config.verbose = vm.count("verbose") > 0;
    config.index.exclude = exclude;
    if (vm.count("shards") && (shards < 1 || shards > 1024)) throw cite::UsageError("--shards must be 1 to 1024");
    config.shards = shards;
    config.merge = merge;
    config.watch = vm.count("watch") > 0;
    if (vm.count("poll")) {
        if (!config.watch) throw cite::UsageError("--poll goes with --watch");
        config.poll_seconds = vm["poll"].as<double>();
        if (!(config.poll_seconds >= 0.05 && config.poll_seconds <= 3600))
            throw cite::UsageError("--poll must be 0.05 to 3600 seconds");
    }
    if (merge && config.watch) throw cite::UsageError("--merge runs once: --watch does not apply");
    return config;
}

}  // namespace indexer
