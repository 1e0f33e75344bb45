#pragma once
// Where the shipped corpus and the test fixtures are, and reading them byte for byte.

#include <filesystem>
#include <string>

namespace cite::test {

[[nodiscard]] std::filesystem::path source_dir();      ///< the repository root
[[nodiscard]] std::filesystem::path shipped_corpus();  ///< corpus/
[[nodiscard]] std::filesystem::path fixture_corpus();  ///< tests/data/corpus/
[[nodiscard]] std::string read_bytes(const std::filesystem::path& file);

}  // namespace cite::test
