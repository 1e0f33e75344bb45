#include "cite/cli/version.hpp"

#include "cite_commit.hpp"

#include <unicode/uversion.h>
#include <xapian.h>

namespace cite::cli {

std::string version_text(std::string_view program) {
    UVersionInfo icu{};
    u_getVersion(icu);
    char icu_text[U_MAX_VERSION_STRING_LENGTH] = {};
    u_versionToString(icu, icu_text);
    std::string out(program);
    out += " " CITE_VERSION " (commit " CITE_COMMIT ")\nXapian ";
    out += Xapian::version_string();
    out += ", ICU ";
    out += icu_text;
    out += '\n';
    return out;
}

}  // namespace cite::cli
