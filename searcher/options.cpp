#include "options.hpp"

#include "cite/cli/common_options.hpp"
#include "cite/cli/version.hpp"
#include "cite/error.hpp"

#include <cmath>
#include <sstream>

namespace po = boost::program_options;

namespace searcher {
namespace {

constexpr const char* query_help = R"(Query language:
  corridor tons          passages with all words first, then those with some
  "Middle Corridor"      exact phrase (straight or curly quotes)
  a AND b   a OR b   a NOT b   -word   ( ... )
  a NEAR b   a NEAR/5 b  at most 10 (or 5) words between a and b
  title:word  author:"Given Family"  publisher:word   fields from the catalog
  file:003               passages of files whose path contains "003" ('*' globs)
  case:Apple  case:"WHO report"   capitals as written (an acronym of 2-5 capitals,
                         US, WHO, alone: not "us", "who")
  lang:ru                passages in Russian (en, ru, kk, ...: the language shown)
  date:2024  date:2023-01..2024-06  date:..2020  date:2021..
                         documents dated within the range, ends included (dates from
                         the catalog or the page's metadata; undated ones never match)
A word or phrase naming an alias (aliases.conf) matches every alias of its group.
Words are matched as the indexer analysed them: case, diacritics (Beser = Beşer), curly
or straight apostrophes, possessives, thousands separators (274200 = 274,200),
hyphenated and joined forms (multi-vector = multivector), English and Russian stems,
and names across scripts (Tokayev = Токаев = Тоқаев) when the index holds Cyrillic.
)";

// 0.4, not 0.40000000000000002, in --help.
std::string shortest(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

}  // namespace

namespace {

ColorMode parse_color(const std::string& color) {
    if (color == "auto") return ColorMode::Auto;
    if (color == "always") return ColorMode::Always;
    if (color == "never") return ColorMode::Never;
    throw cite::UsageError("--color must be auto, always or never, not '" + color + "'");
}

}  // namespace

cite::rank::Order parse_sort(const std::string& sort) {
    if (sort == "relevance") return cite::rank::Order::Relevance;
    if (sort == "date") return cite::rank::Order::Newest;
    if (sort == "date-asc") return cite::rank::Order::Oldest;
    throw cite::UsageError("--sort must be relevance, date (newest first) or date-asc (oldest first), not '" + sort + "'");
}

namespace {

void check_databases(const std::vector<std::string>& dbs) {
    for (const std::string& db : dbs)
        if (db.empty()) throw cite::UsageError("--db must not be empty");
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

}  // namespace

std::optional<Subcommand> subcommand_named(std::string_view word) {
    if (word == "quote") return Subcommand::Quote;
    if (word == "check") return Subcommand::Check;
    if (word == "facts") return Subcommand::Facts;
    if (word == "report") return Subcommand::Report;
    if (word == "copies") return Subcommand::Copies;
    return std::nullopt;
}

namespace {

// --format pandoc writes its bibliography to a file; nothing else does.
void check_bibliography_option(cite::output::Format format, const std::string& bibliography) {
    const bool pandoc = format == cite::output::Format::Pandoc;
    if (pandoc && bibliography.empty())
        throw cite::UsageError("--format pandoc needs --bibliography FILE, the CSL-JSON file its citations refer to");
    if (!pandoc && !bibliography.empty()) throw cite::UsageError("--bibliography applies to --format pandoc");
}

struct SubcommandSpec {
    const char* name;
    const char* argument;     // as shown in the usage line
    const char* description;  // after the usage line
    const char* exit_status;
    bool all_formats;         // else text, json, jsonl, markdown
    const char* default_format;
};

SubcommandSpec spec_of(Subcommand command) {
    switch (command) {
    case Subcommand::Quote:
        return {"quote", "TEXT...",
                "Verify a quotation: is this wording in the corpus, where, and what was changed?\n"
                "Matches through curly/straight quotes and apostrophes, dashes, NBSP and line breaks,\n"
                "soft hyphens and letter case; \"...\" or \"…\" stands for omitted words within one\n"
                "passage. Verdicts: exact (byte for byte), typographic (same words; differences listed),\n"
                "altered (closest passage, word diff, changed numbers marked), not found.\n",
                "Exit status: 0 exact or typographic, 1 altered or not found, 2 usage error or failure.\n", false,
                "text"};
    case Subcommand::Check:
        return {"check", "CLAIM...",
                "Check a claim's figures against the corpus. Finds the passages that bear on the claim\n"
                "(ranked by its words and figures), compares each figure of the claim with the figures\n"
                "they state (matched, differs, absent) and gives a verdict: supported, contradicted or\n"
                "not found. This is evidence retrieval with numeric comparison, not a language model:\n"
                "it reports what the retrieved passages state, with citations and exact quotes.\n",
                "Exit status: 0 supported, 1 contradicted or not found, 2 usage error or failure.\n", true, "text"};
    case Subcommand::Facts:
        return {"facts", "QUERY...",
                "List every figure stated in the passages matching QUERY (query language as in\n"
                "'searcher --help'), grouped by unit, each with its sentence and citation.\n",
                "Exit status: 0 some figure found, 1 none, 2 usage error or failure.\n", true, "text"};
    case Subcommand::Report:
        return {"report", "CLAIMS_FILE",
                "Check every claim in CLAIMS_FILE (one per line; blank lines and lines starting with\n"
                "'#' are skipped) and write one report: per claim the verdict, the best quotes and\n"
                "numbered citations, then the list of sources. Evidence retrieval with numeric\n"
                "comparison, not a language model.\n",
                "Exit status: 0 report written, 2 usage error or failure.\n", true, "markdown"};
    case Subcommand::Copies:
        return {"copies", "FILE",
                "Show the copies of the story FILE tells (its path relative to the corpus root, or\n"
                "FILE.jsonl#RECORD): the documents grouped with it as copies of one story, each with\n"
                "its estimated similarity (Jaccard of word 5-shingles, MinHash), the canonical copy\n"
                "(earliest date, else corpus order) marked; then documents outside the group that\n"
                "share paragraphs with it word for word. With --all, every group of the index.\n",
                "Exit status: 0 some copy found, 1 none, 2 usage error, unknown FILE or failure.\n", false,
                "text"};
    }
    return spec_of(Subcommand::Quote);
}

}  // namespace

std::optional<SubcommandConfig> parse_subcommand_options(Subcommand command, int argc, const char* const* argv,
                                                         std::ostream& out) {
    const SubcommandSpec spec = spec_of(command);
    SubcommandConfig config;
    config.command = command;
    std::string format;
    std::string color;
    std::vector<std::string> words;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help and exit")(
        "format,f", po::value<std::string>(&format)->default_value(spec.default_format)->value_name("FMT"),
        !spec.all_formats ? "text, json, jsonl or markdown"
        : command == Subcommand::Facts
            ? "text, json, jsonl, csv, markdown, or a bibliography of the sources: csl-json, bibtex, biblatex or ris"
            : "text, json, jsonl, csv, markdown, pandoc (Markdown citing [@key, para N]; needs --bibliography), or a bibliography of the sources: csl-json, bibtex, biblatex or ris")(
        "color", po::value<std::string>(&color)->default_value("auto")->value_name("WHEN"),
        "mark matches with colour: auto (on a terminal), always, never");
    if (command == Subcommand::Check || command == Subcommand::Report)
        visible.add_options()("bibliography", po::value<std::string>(&config.bibliography)->value_name("FILE"),
                              "with --format pandoc: write the sources cited to FILE as CSL-JSON, one item "
                              "each, and name it in the Markdown for pandoc --citeproc");
    if (command == Subcommand::Quote)
        visible.add_options()("case-sensitive", "letter case must match too (by default a case difference is typographic)");
    std::vector<std::string> units;
    if (command == Subcommand::Facts)
        visible.add_options()(
            "limit,n",
            po::value<cite::cli::Count>()->value_name("N")->notifier(
                [&](const cite::cli::Count& n) { config.facts.limit = n.value; }),
            "list at most N figures (in corpus order); the total is still counted")(
            "unit", po::value<std::vector<std::string>>(&units)->value_name("UNIT"),
            "only figures in UNIT, as the output names units: usd, gbp, eur, percent, \"percentage point\", "
            "year, ton, ..., count (bare counts) or money (any currency); repeat for several");
    if (command == Subcommand::Copies) visible.add_options()("all", "list every group of copies instead of FILE's");
    cite::cli::add_search_database_options(visible, config.dbs);
    po::variables_map vm;
    cite::cli::parse_command_line(argc, argv, visible, "argument", words, vm);
    if (vm.count("help")) {
        out << "Usage: searcher " << spec.name << " [OPTIONS] " << spec.argument << "\n\n"
            << spec.description << '\n'
            << visible << '\n'
            << spec.exit_status;
        return std::nullopt;
    }
    // One file: its name was joined with the next argument ("cannot read 'a.txt b.txt'").
    if (command == Subcommand::Report && words.size() > 1)
        throw cite::UsageError("report takes one CLAIMS_FILE; " + std::to_string(words.size()) + " were given");
    config.argument = join_words(words);
    config.all_groups = vm.count("all") > 0;
    if (config.all_groups && !config.argument.empty())
        throw cite::UsageError("copies takes either FILE or --all, not both");
    if (config.argument.empty() && !config.all_groups)
        throw cite::UsageError(std::string("no ") + spec.argument + " given");
    using cite::output::Format;
    const auto parsed = cite::output::parse_format(format);
    const bool allowed = parsed && *parsed != Format::Trec && !(*parsed == Format::Pandoc && command == Subcommand::Facts) &&
                         (spec.all_formats || *parsed == Format::Text || *parsed == Format::Json ||
                          *parsed == Format::Jsonl || *parsed == Format::Markdown) &&
                         (command != Subcommand::Copies || *parsed != Format::Markdown);
    if (!allowed)
        throw cite::UsageError(std::string(spec.name) + " does not write the format '" + format + "'");
    config.format = *parsed;
    check_bibliography_option(config.format, config.bibliography);
    config.color = parse_color(color);
    config.case_sensitive = vm.count("case-sensitive") > 0;
    if (vm.count("limit") && config.facts.limit == 0) throw cite::UsageError("--limit must be at least 1");
    for (const std::string& unit : units) {
        if (unit.empty()) throw cite::UsageError("--unit needs a unit name");
        config.facts.units.push_back(unit);
    }
    config.allow_partial = vm.count("allow-partial") > 0;
    check_databases(config.dbs);
    return config;
}

// False for NaN and infinities too, which Xapian would turn into NaN scores.
bool finite_non_negative(double value) { return value >= 0 && std::isfinite(value); }

// --weighting and the parameters that go with it; a parameter of the other model is refused
// rather than ignored. The title weight, unless given, is the one tuned for the model.
void parse_weighting(const std::string& name, const po::variables_map& vm, cite::rank::RankOptions& ranking) {
    using cite::rank::Weighting;
    if (name == "ineb2") ranking.weighting = Weighting::IneB2;
    else if (name == "bm25") ranking.weighting = Weighting::Bm25;
    else throw cite::UsageError("--weighting must be ineb2 or bm25, not '" + name + "'");
    // Not RankOptions::for_weighting(): the other options are already parsed into `ranking`.
    const auto given = [&](const char* option) { return vm.count(option) > 0 && !vm[option].defaulted(); };
    if (ranking.weighting == Weighting::IneB2 && (given("bm25-k1") || given("bm25-b")))
        throw cite::UsageError("--bm25-k1 and --bm25-b apply to --weighting bm25");
    if (ranking.weighting == Weighting::Bm25 && given("ineb2-c"))
        throw cite::UsageError("--ineb2-c applies to --weighting ineb2");
    if (!finite_non_negative(ranking.bm25.k1) || !finite_non_negative(ranking.bm25.b) || ranking.bm25.b > 1)
        throw cite::UsageError("--bm25-k1 must be a finite number >= 0 and --bm25-b within 0..1");
    if (!(ranking.ineb2_c > 0 && std::isfinite(ranking.ineb2_c)))
        throw cite::UsageError("--ineb2-c must be a finite number > 0");
    if (!given("title-weight")) ranking.title_weight = cite::rank::tuned_title_weight(ranking.weighting);
}

std::optional<SearchConfig> parse_options(int argc, const char* const* argv, std::ostream& out) {
    SearchConfig config;
    std::string format;
    std::string color;
    std::string ranking;
    std::string sort;
    std::string weighting;
    std::size_t proximity_window = 0;
    std::vector<std::string> words;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help and exit")("version", "show the version and exit")(
        "format,f", po::value<std::string>(&format)->default_value("text")->value_name("FMT"),
        "text, json, jsonl, csv, markdown, trec, pandoc (Markdown citing [@key, para N]; needs "
        "--bibliography), or a bibliography of the sources cited: csl-json, bibtex, biblatex or ris")(
        "bibliography", po::value<std::string>(&config.bibliography)->value_name("FILE"),
        "with --format pandoc: write the sources cited to FILE as CSL-JSON, one item each, and "
        "name it in the Markdown for pandoc --citeproc")(
        "limit,n",
        po::value<cite::cli::Count>()
            ->default_value(cite::cli::Count{10}, "10")
            ->notifier([&](const cite::cli::Count& n) { config.request.limit = n.value; })
            ->value_name("N"),
        "show at most N results")(
        "offset",
        po::value<cite::cli::Count>()
            ->default_value(cite::cli::Count{0}, "0")
            ->notifier([&](const cite::cli::Count& n) { config.request.offset = n.value; })
            ->value_name("N"),
        "skip the first N results")(
        "color", po::value<std::string>(&color)->default_value("auto")->value_name("WHEN"),
        "mark matches with colour: auto (on a terminal), always, never")(
        "all", "list every mention (occurrence) of the query in corpus order, then counts per file and\n"
               "alias; exhaustive: --limit and --offset do not apply")(
        "count", "print only the mention counts per file and alias, as --all would")(
        "no-aliases", "do not expand alias groups (corpus/aliases.conf) named in the query")(
        "no-collapse", "show every copy of a passage as its own result (by default copies of one "
                       "story are one result, 'also in N other sources'); no distinct stories in "
                       "--all and --count")(
        "explain", "print the parsed query and exit")(
        "literal", "read the query as plain words: no operators, quotes or fields (pasted text, claims)")(
        "ranking", po::value<std::string>(&ranking)->default_value("all-first")->value_name("MODE"),
        "all-first: passages with every word first; score: by score alone, no tiers")(
        "sort", po::value<std::string>(&sort)->default_value("relevance")->value_name("ORDER"),
        "relevance; date: by the document's date, newest first; date-asc: oldest first (undated "
        "passages last; equal dates by relevance)")(
        "batch", po::value<std::string>(&config.batch_file)->value_name("FILE"),
        "run every query in FILE (lines 'ID<TAB>QUERY', or JSONL {\"_id\", \"text\"}) instead of QUERY")(
        "weighting", po::value<std::string>(&weighting)->default_value("ineb2")->value_name("MODEL"),
        "ineb2 (divergence from randomness) or bm25")(
        "ineb2-c", po::value<double>(&config.request.ranking.ineb2_c)
                       ->default_value(config.request.ranking.ineb2_c, shortest(config.request.ranking.ineb2_c))
                       ->value_name("C"),
        "IneB2 length normalisation (> 0)")(
        "bm25-k1", po::value<double>(&config.request.ranking.bm25.k1)
                       ->default_value(config.request.ranking.bm25.k1, shortest(config.request.ranking.bm25.k1))
                       ->value_name("K1"),
        "BM25 term-frequency saturation")(
        "bm25-b", po::value<double>(&config.request.ranking.bm25.b)
                       ->default_value(config.request.ranking.bm25.b, shortest(config.request.ranking.bm25.b))
                       ->value_name("B"),
        "BM25 length normalisation (0..1)")(

        "title-weight", po::value<double>(&config.request.ranking.title_weight)->value_name("W"),
        ("weight of query words found in the document title (0: off; default " +
         shortest(cite::rank::tuned_title_weight(cite::rank::Weighting::IneB2)) + " with ineb2, " +
         shortest(cite::rank::tuned_title_weight(cite::rank::Weighting::Bm25)) + " with bm25)")
            .c_str())(
        "coverage-weight", po::value<double>(&config.request.ranking.coverage.body)
                               ->default_value(config.request.ranking.coverage.body, shortest(config.request.ranking.coverage.body))
                               ->value_name("W"),
        ("reorder the best " + std::to_string(config.request.ranking.coverage.depth) +
         " candidates by the IDF-weighted share of the query's words they hold (0: off)")
            .c_str())(
        "title-coverage-weight", po::value<double>(&config.request.ranking.coverage.title)
                               ->default_value(config.request.ranking.coverage.title, shortest(config.request.ranking.coverage.title))
                               ->value_name("W"),
        "... and by the share found in their document's title")(
        "stem-only-share", po::value<double>(&config.request.ranking.coverage.stem_only)
                               ->default_value(config.request.ranking.coverage.stem_only,
                                               shortest(config.request.ranking.coverage.stem_only))
                               ->value_name("S"),
        "what a word held only through a stem-mate counts for coverage (0..1; 1: as much as the word itself)")(
        "proximity-weight", po::value<double>(&config.request.ranking.coverage.proximity.weight)
                                ->default_value(config.request.ranking.coverage.proximity.weight,
                                                shortest(config.request.ranking.coverage.proximity.weight))
                                ->value_name("W"),
        "... and by the share of the query's words standing close together (0: off)")(
        "proximity-window", po::value<cite::cli::Count>()
                                ->default_value(cite::cli::Count{config.request.ranking.coverage.proximity.window},
                                                std::to_string(config.request.ranking.coverage.proximity.window))
                                ->notifier([&](const cite::cli::Count& n) { proximity_window = n.value; })
                                ->value_name("N"),
        "words count as close within N consecutive word positions");
    cite::cli::add_search_database_options(visible, config.dbs);
    po::variables_map vm;
    cite::cli::parse_command_line(argc, argv, visible, "query", words, vm);
    if (vm.count("help")) {
        out << "Usage: searcher [OPTIONS] QUERY...\n"
               "       searcher quote [OPTIONS] TEXT...        verify a quotation\n"
               "       searcher check [OPTIONS] CLAIM...       check a claim's figures\n"
               "       searcher facts [OPTIONS] QUERY...       list the figures passages state\n"
               "       searcher report [OPTIONS] CLAIMS_FILE   fact-check report for many claims\n"
               "       searcher copies [OPTIONS] FILE          copies of the story FILE tells\n"
               "       searcher serve [OPTIONS]                HTTP API and web page (docs/serve.md)\n"
               "(each subcommand has its own --help)\n\n"
               "Search the passage index and print ranked passages, each with its source file,\n"
               "paragraph, line and the exact sentences that match, at their byte range in the file.\n\n"
            << visible << '\n'
            << query_help << '\n'
            << cite::cli::exit_status_help(true);
        return std::nullopt;
    }
    if (vm.count("version")) {
        out << cite::cli::version_text("searcher");
        return std::nullopt;
    }
    config.request.query = join_words(words);
    if (config.batch_file.empty() && config.request.query.empty()) throw cite::UsageError("no QUERY given");
    if (!config.batch_file.empty() && !config.request.query.empty())
        throw cite::UsageError("give either QUERY or --batch FILE, not both");
    if (ranking == "all-first") config.request.ranking.all_words_first = true;
    else if (ranking == "score") config.request.ranking.all_words_first = false;
    else throw cite::UsageError("--ranking must be all-first or score, not '" + ranking + "'");
    parse_weighting(weighting, vm, config.request.ranking);
    config.request.ranking.order = parse_sort(sort);
    if (config.request.ranking.order != cite::rank::Order::Relevance && (vm.count("all") || vm.count("count")))
        throw cite::UsageError("--sort applies to ranked results; --all lists mentions in corpus order");
    config.request.literal = vm.count("literal") > 0;
    config.request.use_aliases = vm.count("no-aliases") == 0;
    config.request.collapse_copies = vm.count("no-collapse") == 0;
    if (vm.count("count")) config.request.mode = cite::search::SearchMode::Count;
    else if (vm.count("all")) config.request.mode = cite::search::SearchMode::Mentions;
    const auto parsed_format = cite::output::parse_format(format);
    if (!parsed_format) throw cite::UsageError("unknown --format '" + format + "'");
    config.format = *parsed_format;
    if (!config.batch_file.empty() && config.format != cite::output::Format::Jsonl &&
        config.format != cite::output::Format::Trec && config.format != cite::output::Format::Text)
        throw cite::UsageError("--batch writes text, jsonl or trec");
    check_bibliography_option(config.format, config.bibliography);
    // A TREC run, pandoc citations and a bibliography list results; a count has none to list.
    if (config.request.mode == cite::search::SearchMode::Count &&
        (config.format == cite::output::Format::Trec || config.format == cite::output::Format::Pandoc ||
         cite::output::is_bibliography_format(config.format)))
        throw cite::UsageError("--count writes text, json, jsonl, csv or markdown (use --all to list mentions)");
    config.color = parse_color(color);
    if (config.request.limit == 0) throw cite::UsageError("--limit must be at least 1");
    if (!finite_non_negative(config.request.ranking.title_weight))
        throw cite::UsageError("--title-weight must be a finite number >= 0");
    if (!finite_non_negative(config.request.ranking.coverage.body) ||
        !finite_non_negative(config.request.ranking.coverage.title))
        throw cite::UsageError("--coverage-weight and --title-coverage-weight must be finite numbers >= 0");
    if (!finite_non_negative(config.request.ranking.coverage.proximity.weight))
        throw cite::UsageError("--proximity-weight must be a finite number >= 0");
    if (proximity_window < 2 || proximity_window > 1000)
        throw cite::UsageError("--proximity-window must be within 2..1000");
    config.request.ranking.coverage.proximity.window = static_cast<std::uint32_t>(proximity_window);
    if (!(config.request.ranking.coverage.stem_only >= 0 && config.request.ranking.coverage.stem_only <= 1))
        throw cite::UsageError("--stem-only-share must be within 0..1");
    config.explain = vm.count("explain") > 0;
    config.allow_partial = vm.count("allow-partial") > 0;
    check_databases(config.dbs);
    return config;
}

}  // namespace searcher
