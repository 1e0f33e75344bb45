#include "xapian_check.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

#include <sys/wait.h>

namespace cite::test {

namespace {

// A path as one word for the shell: single-quoted, with its own single quotes escaped.
std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string xapian_check_failure(const std::filesystem::path& db) {
    const std::string command = shell_quote(CITE_XAPIAN_CHECK) + " " + shell_quote(db.string()) + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    std::string output;
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) output.append(buffer.data(), n);
    const int status = pclose(pipe);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    const std::string how = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                            : WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                                  : "failed (wait status " + std::to_string(status) + ")";
    return "xapian-check " + how + ":\n" + output;
}

}  // namespace cite::test
