#pragma once
// Output of `searcher copies`: the group of copies of one story a document belongs to, with
// how alike each copy is, and documents sharing paragraphs word for word; or every group.
//
// JSON (format_version as json_sink.hpp, "mode": "copies"); jsonl is the same object on one
// line with "type": "copies" first:
//   {"format_version": 5, "mode": "copies", "document": "a.txt" | null (--all),
//    "threshold": 0.5,
//    "groups": [{"members": [{"source", "record", "title", "date", "canonical",
//                             "similarity"}]}],       canonical copy first
//    "shared_passages": [{"source", "record", "title", "passages"}],
//    "near": [{"source", "record", "title", "date", "canonical", "similarity"}]}
// similarity: estimated Jaccard similarity of word 5-shingles with the document asked about
// (with --all: with the group's canonical copy), or null for a document too short to have a
// signature. shared_passages (only for one document): documents outside its group holding
// at least one of its paragraphs word for word, with how many; most first. near (only for
// one document): documents compared with it but below the threshold, most alike first.

#include "cite/output/result_sink.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cite::output {

struct CopyMember {
    std::string source;
    std::string record;  ///< empty for text files
    std::string title;
    std::string date;
    bool canonical = false;
    std::optional<double> similarity;
};

struct SharedPassages {
    std::string source;
    std::string record;
    std::string title;
    std::size_t passages = 0;
};

struct CopiesReport {
    std::optional<std::string> document;  ///< the document asked about; nullopt: every group
    double threshold = 0;
    std::vector<std::vector<CopyMember>> groups;
    std::vector<SharedPassages> shared;
    /// Only for one document: documents compared with it (a shared LSH band) but below the
    /// threshold, most alike first; `canonical` is false.
    std::vector<CopyMember> near;
};

/// Writes `report` in `format` (Text, Json or Jsonl; the caller rejects others).
void write_copies_report(Format format, std::ostream& out, const CopiesReport& report);

}  // namespace cite::output
