#pragma once
// Xapian's own consistency check of a database, as a test expectation.

#include <filesystem>
#include <string>

namespace cite::test {

/// Runs xapian-check on `db` (every B-tree, and every block either in use or on the free
/// list, never both): "" if the database passes, else what xapian-check printed. The tool runs
/// as a separate process because Xapian 1.4's checker itself trips AddressSanitizer (a
/// mismatched delete inside libxapian), which would abort sanitizer builds of the tests.
[[nodiscard]] std::string xapian_check_failure(const std::filesystem::path& db);

}  // namespace cite::test
