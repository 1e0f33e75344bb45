#pragma once
// Resolving the indexer's inputs into the files to read: corpus directories (walked, with
// their catalog.json and aliases.conf) and JSON Lines files. Reads no file's content.

#include "cite/passage/alias_file.hpp"
#include "cite/passage/catalog.hpp"

#include <filesystem>
#include <functional>
#include <string_view>
#include <memory>
#include <string>
#include <vector>

namespace cite::passage {

/// One input file, as found while resolving the inputs.
struct InputFile {
    std::filesystem::path path;        ///< as found on disk
    std::string source;                ///< how it is cited: relative to its root, '/'-separated
    std::string root;                  ///< absolute corpus root (a JSONL file: its folder)
    bool jsonl = false;                ///< a .jsonl input, read by jsonl_reader()
    const Catalog* catalog = nullptr;  ///< owned by CorpusInputs::catalogs
};

/// A file found but not to be read, and why (e.g. a path that is not UTF-8).
struct RejectedInput {
    std::filesystem::path path;
    std::string reason;
};

struct CorpusInputs {
    std::vector<InputFile> files;  ///< per input in order; a directory's sorted by source
    std::vector<RejectedInput> rejected;
    std::vector<AliasGroup> aliases;                  ///< of every input's aliases.conf
    std::vector<std::unique_ptr<Catalog>> catalogs;  ///< of every input's catalog.json
    /// Directories (or parts) that could not be listed: (directory, message).
    std::vector<std::pair<std::string, std::string>> listing_warnings;
};

/// Walks `inputs` (each a directory or a .jsonl file). A file whose source is not UTF-8, or
/// has the same source as an earlier one, is rejected. `include` (when set) keeps a file by its
/// source; the others are left out silently (another shard's files). Throws CorpusError when an
/// input is neither a directory nor a .jsonl file, or its catalog or alias file is unusable.
/// Files of a directory whose source matches one of `exclude` (glob patterns, fnmatch(3)) or
/// a pattern of the directory's `.citeignore` are left out as if absent: a pattern without a
/// '/' matches a file or directory name at any depth, one with a '/' the path from the root.
[[nodiscard]] CorpusInputs resolve_corpus_inputs(const std::vector<std::filesystem::path>& inputs,
                                                 const std::function<bool(std::string_view)>& include,
                                                 const std::vector<std::string>& exclude = {});

/// The name of the file of exclude patterns at a corpus root: one glob a line, '#' comments.
inline constexpr const char* ignore_file_name = ".citeignore";

/// True when `source` ('/'-separated, relative to its root) matches one of `patterns`.
[[nodiscard]] bool is_excluded(std::string_view source, const std::vector<std::string>& patterns);

}  // namespace cite::passage
