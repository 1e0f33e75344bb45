#include "cite/passage/corpus_watcher.hpp"

#include "cite/error.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

namespace cite::passage {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds stop_check{100};

// Written and closed, moved in or out, removed: a file that is only opened, or still being
// written (IN_MODIFY), is no change yet. IN_CREATE is there for new folders, watched at once.
constexpr std::uint32_t event_mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |
                                     IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW;

bool hidden(const std::string& name) { return !name.empty() && name.front() == '.'; }

std::int64_t mtime_ns(const fs::directory_entry& entry, std::error_code& error) {
    const auto time = entry.last_write_time(error);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

}  // namespace

CorpusWatcher::CorpusWatcher(std::vector<fs::path> inputs, WatchOptions options)
    : m_inputs(std::move(inputs)), m_options(options) {
    for (const fs::path& input : m_inputs) {
        std::error_code error;
        if (!fs::exists(input, error)) throw CorpusError(input.string() + ": no such file or directory to watch");
    }
    std::string why_not = "polling asked for";
    if (m_options.force_polling || !start_inotify(why_not)) {
        m_mechanism = "polling every " + std::to_string(m_options.poll_interval.count()) + " ms (" + why_not + ")";
        m_listing = list();
    } else {
        m_mechanism = "inotify";
    }
}

CorpusWatcher::~CorpusWatcher() {
    if (m_fd >= 0) ::close(m_fd);
}

bool CorpusWatcher::start_inotify(std::string& why_not) {
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0) {
        why_not = std::string("inotify: ") + std::strerror(errno);
        return false;
    }
    try {
        for (const fs::path& input : m_inputs) {
            if (fs::is_directory(input)) {
                watch_tree(input);
            } else {
                // A single file (a JSONL corpus): its folder, and only that name in it, so that
                // an editor's rename-over save is seen.
                const fs::path parent = input.has_parent_path() ? input.parent_path() : fs::path(".");
                const int watch = ::inotify_add_watch(m_fd, parent.c_str(), event_mask);
                if (watch < 0) throw std::system_error(errno, std::generic_category(), parent.string());
                m_watches[watch] = {parent, input.filename().string()};
            }
        }
    } catch (const std::system_error& e) {
        // ENOSPC: the per-user limit of watches (fs.inotify.max_user_watches) is reached.
        why_not = std::string("inotify: ") + e.what();
        ::close(m_fd);
        m_fd = -1;
        m_watches.clear();
        return false;
    }
    return true;
}

void CorpusWatcher::watch_tree(const fs::path& directory) {
    const int watch = ::inotify_add_watch(m_fd, directory.c_str(), event_mask);
    if (watch < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return;  // gone again already
        throw std::system_error(errno, std::generic_category(), directory.string());
    }
    m_watches[watch] = {directory, {}};
    std::error_code error;
    for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (!hidden(name) && it->is_directory(error) && !it->is_symlink(error)) watch_tree(it->path());
    }
}

bool CorpusWatcher::relevant_name(int watch, const std::string& name) const {
    const auto it = m_watches.find(watch);
    if (it == m_watches.end()) return false;
    if (!it->second.second.empty()) return name == it->second.second;
    return !hidden(name);
}

bool CorpusWatcher::drain_events() {
    alignas(inotify_event) std::array<char, 64 * 1024> buffer{};
    bool changed = false;
    for (;;) {
        const ssize_t length = ::read(m_fd, buffer.data(), buffer.size());
        if (length <= 0) break;  // EAGAIN: nothing more for now
        for (ssize_t at = 0; at < length;) {
            inotify_event event{};
            std::memcpy(&event, buffer.data() + at, sizeof event);
            const std::string name = event.len ? std::string(buffer.data() + at + sizeof event) : std::string();
            at += static_cast<ssize_t>(sizeof event + event.len);
            if (event.mask & IN_Q_OVERFLOW) {  // events were lost: the indexer's pass finds out
                changed = true;
                continue;
            }
            if (event.mask & IN_IGNORED) {  // the folder went away
                m_watches.erase(event.wd);
                continue;
            }
            if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
                changed = true;
                continue;
            }
            if (!relevant_name(event.wd, name)) continue;
            if (event.mask & IN_ISDIR) {
                // A folder made or moved in: watch it and what it already holds; one moved out
                // or removed takes its files with it. Either way the corpus changed, unless the
                // folder is new and still empty (its files will come with events of their own).
                if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
                    const fs::path path = m_watches[event.wd].first / name;
                    watch_tree(path);
                    std::error_code error;
                    if ((event.mask & IN_MOVED_TO) || !fs::is_empty(path, error)) changed = true;
                } else {
                    changed = true;
                }
                continue;
            }
            if (event.mask & IN_CREATE) continue;  // a file being written: its IN_CLOSE_WRITE will come
            changed = true;
        }
    }
    return changed;
}

bool CorpusWatcher::wait_inotify(const std::function<bool()>& stop) {
    bool changed = false;
    Clock::time_point last_change{};
    for (;;) {
        if (stop && stop()) return false;
        pollfd descriptor{m_fd, POLLIN, 0};
        auto timeout = stop_check;
        if (changed) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                m_options.quiet - (Clock::now() - last_change));
            if (left <= std::chrono::milliseconds::zero()) return true;
            timeout = std::min(timeout, left);
        }
        const int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
        if (ready > 0 && drain_events()) {
            changed = true;
            last_change = Clock::now();
        }
    }
}

CorpusWatcher::Listing CorpusWatcher::list() const {
    Listing listing;
    for (const fs::path& input : m_inputs) {
        std::error_code error;
        if (!fs::is_directory(input, error)) {
            const fs::directory_entry entry(input, error);
            if (!error) listing[input.string()] = {entry.file_size(error), mtime_ns(entry, error)};
            continue;
        }
        fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, error), end;
        for (; !error && it != end; it.increment(error)) {
            if (hidden(it->path().filename().string())) {
                if (it->is_directory(error)) it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file(error)) continue;
            listing[it->path().string()] = {it->file_size(error), mtime_ns(*it, error)};
        }
    }
    return listing;
}

bool CorpusWatcher::wait_polling(const std::function<bool()>& stop) {
    auto sleep = [&](std::chrono::milliseconds total) {
        for (auto slept = std::chrono::milliseconds::zero(); slept < total; slept += stop_check) {
            if (stop && stop()) return false;
            std::this_thread::sleep_for(std::min(stop_check, total - slept));
        }
        return !(stop && stop());
    };
    for (;;) {
        if (!sleep(m_options.poll_interval)) return false;
        Listing now = list();
        if (now == m_listing) continue;
        // Changed: wait until two listings a quiet period apart agree.
        for (;;) {
            m_listing = std::move(now);
            if (!sleep(m_options.quiet)) return false;
            now = list();
            if (now == m_listing) return true;
        }
    }
}

bool CorpusWatcher::wait(const std::function<bool()>& stop) {
    return m_fd >= 0 ? wait_inotify(stop) : wait_polling(stop);
}

}  // namespace cite::passage
