#pragma once
// A fresh directory per test, removed afterwards unless CITE_KEEP_TEMP is set (for debugging).

#include <filesystem>
#include <string>
#include <string_view>

namespace cite::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    /// Writes `bytes` to path()/relative, creating parent directories; returns the full path.
    std::filesystem::path write(const std::string& relative, std::string_view bytes) const;

  private:
    std::filesystem::path m_path;
};

}  // namespace cite::test
