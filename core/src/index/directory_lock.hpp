#pragma once
// flock() on a database directory for an indexer's whole run.

#include "cite/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace cite::index {

// Why this process cannot write the database in `dir`, "" if it can: the directory (new
// files), or Xapian's lock file in it (flintlock, which Xapian opens for writing to lock).
// Xapian reports both as a DatabaseLockError, as if another writer held the database.
inline std::string unwritable_reason(const std::filesystem::path& dir) {
    for (const std::filesystem::path& path : {dir, dir / "flintlock"})
        if (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0 && errno != ENOENT) return std::strerror(errno);
    return {};
}

// The error for a database at `dir` whose write lock could not be had, naming `named`: not
// writable, if it is not; else locked by another writer.
inline IndexError lock_error(const std::filesystem::path& dir, const std::filesystem::path& named) {
    if (const std::string why = unwritable_reason(dir); !why.empty())
        return IndexError("database '" + named.string() + "' is not writable: " + why);
    return IndexError("database '" + named.string() + "' is locked: another indexer is writing to it");
}

// Held while an indexer writes a database or a shard set: a second indexer fails at once.
// Xapian's own write lock is not enough: a shard set has one per shard, a rollback closes and
// re-opens the database (index_writer.cpp), which frees Xapian's lock for a moment, and a new
// database built by two writers is merged after its shards are closed (shard_set.cpp).
class DirectoryLock {
  public:
    // Locks `dir`; a refusal names `named` if given: the database the user asked for, when
    // `dir` is the folder it is being built in. A directory this process cannot write is
    // refused as such (flock needs only read access), not taken for a locked one later.
    explicit DirectoryLock(const std::filesystem::path& dir, const std::filesystem::path& named = {}) {
        const std::filesystem::path& shown = named.empty() ? dir : named;
        m_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (m_fd < 0)
            throw IndexError("cannot open the database directory '" + dir.string() + "': " + std::strerror(errno));
        if (const std::string why = unwritable_reason(dir); !why.empty()) {
            ::close(m_fd);
            throw IndexError("database '" + shown.string() + "' is not writable: " + why);
        }
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            ::close(m_fd);
            if (err == EWOULDBLOCK)
                throw IndexError("database '" + shown.string() + "' is locked: another indexer is writing to it");
            throw IndexError("cannot lock the database directory '" + dir.string() + "': " + std::strerror(err));
        }
    }
    ~DirectoryLock() { ::close(m_fd); }  // closing releases the lock
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

  private:
    int m_fd = -1;
};

}  // namespace cite::index
