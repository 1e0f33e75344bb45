#pragma once
// The error hierarchy of the library and the exit codes shared by both front ends.
// Library code throws these; only the front ends print and choose an exit code.

#include <stdexcept>
#include <string>

namespace cite {

/// Base of every deliberate error the library throws.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A corpus file cannot be read or is not usable text (bad UTF-8, binary data).
class CorpusError : public Error {
  public:
    using Error::Error;
};

/// ICU reported a failure while analysing text.
class AnalysisError : public Error {
  public:
    using Error::Error;
};

/// The database cannot be opened, written, or has an incompatible schema.
class IndexError : public Error {
  public:
    using Error::Error;
};

/// A query that cannot be parsed or run; `position` is a 0-based byte offset into the query.
class QueryError : public Error {
  public:
    QueryError(const std::string& message, std::size_t position)
        : Error(message), m_position(position) {}
    [[nodiscard]] std::size_t position() const noexcept { return m_position; }

  private:
    std::size_t m_position;
};

/// Work stopped because it ran past its deadline (search::SearchService::set_deadline: an HTTP
/// request's time limit).
class TimeLimitError : public Error {
  public:
    using Error::Error;
};

/// A relevance-judgment (qrels) or run file that cannot be read or parsed (eval module).
class EvalError : public Error {
  public:
    using Error::Error;
};

/// Bad command-line usage; thrown only by the CLI layer.
class UsageError : public Error {
  public:
    using Error::Error;
};

// Exit codes, grep's convention. Front ends return nothing else.
inline constexpr int exit_ok = 0;        ///< success; searcher: at least one result
inline constexpr int exit_no_match = 1;  ///< searcher only: ran fine, nothing matched
inline constexpr int exit_error = 2;     ///< usage error, failure, or (indexer) a skipped file

}  // namespace cite
