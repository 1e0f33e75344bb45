#pragma once
// flock() on a database directory for an indexer's whole run.

#include "cite/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace cite::index {

// Held while an indexer writes a database or a shard set: a second indexer fails at once.
// Xapian's own write lock is not enough: a shard set has one per shard, a rollback closes and
// re-opens the database (index_writer.cpp), which frees Xapian's lock for a moment, and a new
// database built by two writers is merged after its shards are closed (shard_set.cpp).
class DirectoryLock {
  public:
    // Locks `dir`; a refusal names `named` if given: the database the user asked for, when
    // `dir` is the folder it is being built in.
    explicit DirectoryLock(const std::filesystem::path& dir, const std::filesystem::path& named = {}) {
        m_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (m_fd < 0) throw IndexError("cannot open the database directory '" + dir.string() + "'");
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            ::close(m_fd);
            if (err == EWOULDBLOCK)
                throw IndexError("database '" + (named.empty() ? dir : named).string() +
                                 "' is locked: another indexer is writing to it");
            throw IndexError("cannot lock the database directory '" + dir.string() + "'");
        }
    }
    ~DirectoryLock() { ::close(m_fd); }  // closing releases the lock
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

  private:
    int m_fd = -1;
};

}  // namespace cite::index
