#pragma once
// What --version prints: the program's version, the commit it was built from, and the
// versions of the Xapian and ICU libraries it runs with (not only those it was built against).

#include <string>
#include <string_view>

namespace cite::cli {

/// "PROGRAM VERSION (commit C)\nXapian X.Y.Z, ICU N.M\n"; the commit is "unknown" when the
/// build did not come from a git checkout.
[[nodiscard]] std::string version_text(std::string_view program);

}  // namespace cite::cli
