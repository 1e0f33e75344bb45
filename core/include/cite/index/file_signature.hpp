#pragma once
// What must change for a file to be re-indexed: its content, its metadata, and the versions
// of everything that turned it into terms (schema, analyzer, and for a derived text layer the
// extractor). Stored in FileRecord::signature as "schema=3;analyzer=7;sha256=...;meta=..."
// (";extractor=html-1" for a source with a derived text layer).

#include <string>
#include <string_view>

namespace cite::index {

struct FileSignature {
    int schema = 0;    ///< 0: not named
    int analyzer = 0;  ///< 0: not named
    std::string sha256;       ///< of the file's bytes
    std::string meta_sha256;  ///< of its documents' metadata records
    std::string extractor;    ///< SourceContent::extractor; empty for text read as is

    friend bool operator==(const FileSignature&, const FileSignature&) = default;

    /// The signature of a file indexed now: the current schema and analyzer versions.
    [[nodiscard]] static FileSignature current(std::string sha256, std::string_view meta_json,
                                               std::string extractor);
    /// The stored form. Equal signatures give equal strings.
    [[nodiscard]] std::string to_string() const;
    /// Reads a stored form; fields it does not name stay empty or 0 (never throws).
    [[nodiscard]] static FileSignature parse(std::string_view stored);
};

}  // namespace cite::index
