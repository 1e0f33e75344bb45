#pragma once
// Finding corpus files in a directory tree and reading JSON Lines documents.

#include "cite/passage/catalog.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cite::passage {

struct CorpusFile {
    std::filesystem::path path;  ///< as found on disk
    std::string source;          ///< relative to the corpus root, '/'-separated
};

struct CorpusListing {
    std::vector<CorpusFile> files;      ///< sorted by source (byte order): deterministic
    std::vector<std::string> warnings;  ///< entries that could not be listed
};

/// True for the file names indexed from a directory: *.txt, *.md, *.markdown (any case).
[[nodiscard]] bool is_corpus_file_name(std::string_view file_name);

/// True for README, README.md, readme.txt...: at a corpus root these document the corpus.
[[nodiscard]] bool is_readme_name(std::string_view file_name);

/// Every file below `root` (of any kind: a reader is chosen for each later, source_reader.hpp),
/// except README*, catalog.json and aliases.conf directly in `root`. Hidden entries (".name") are skipped and symbolic links to
/// directories are not followed (no loops). Throws CorpusError when `root` is not a
/// readable directory.
[[nodiscard]] CorpusListing list_corpus_directory(const std::filesystem::path& root);

/// One line of a JSON Lines corpus: {"_id": ..., "text": ..., "title": ...}.
struct JsonlRecord {
    std::string id;     ///< "_id" (a string, or a number written as decimal)
    std::string text;   ///< "text"
    DocumentMeta meta;  ///< "title", "authors"/"author", "publisher", "date", ...
    std::size_t line = 0;  ///< 1-based line in the file
};

/// Parses `bytes` line by line. Good records go to `on_record`; a bad line (invalid JSON,
/// no "_id" or "text", invalid UTF-8, duplicate id) goes to `on_error` with its line number
/// and a message, and the rest is still read.
void read_jsonl(std::string_view bytes, const std::function<void(JsonlRecord&&)>& on_record,
                const std::function<void(std::size_t line, const std::string& message)>& on_error);

}  // namespace cite::passage
