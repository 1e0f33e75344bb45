#include "test_paths.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cite::test {

std::filesystem::path source_dir() { return CITE_SOURCE_DIR; }
std::filesystem::path shipped_corpus() { return source_dir() / "corpus"; }
std::filesystem::path fixture_corpus() { return std::filesystem::path(CITE_TEST_DATA_DIR) / "corpus"; }

std::string read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

}  // namespace cite::test
