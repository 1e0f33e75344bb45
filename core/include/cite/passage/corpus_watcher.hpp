#pragma once
// Waits for changes under corpus inputs (directories, or single JSONL files), for a growing
// archive kept current by `indexer --watch`. It only says *that* something changed: the
// indexer then runs its normal incremental pass, with its per-file transactions and messages.
// Linux inotify where the kernel offers it; else (or when asked) polling a listing of sizes
// and modification times.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cite::passage {

struct WatchOptions {
    /// A change is reported once nothing more has changed for this long (an editor's save, a
    /// copy of many files, `git pull`: one indexing run, not one per event).
    std::chrono::milliseconds quiet{300};
    /// Poll instead of inotify (network file systems, where inotify sees only local changes).
    bool force_polling = false;
    /// How often a poll lists the inputs.
    std::chrono::milliseconds poll_interval{1000};
};

class CorpusWatcher {
  public:
    /// Starts watching `inputs` (as given to the indexer). Hidden files and folders (a name
    /// starting with '.', as the corpus walk skips them: editors' swap and temporary files)
    /// are ignored. Throws CorpusError when an input does not exist.
    CorpusWatcher(std::vector<std::filesystem::path> inputs, WatchOptions options);
    ~CorpusWatcher();
    CorpusWatcher(const CorpusWatcher&) = delete;
    CorpusWatcher& operator=(const CorpusWatcher&) = delete;

    /// Blocks until something under the inputs was added, written and closed, moved, or
    /// removed, and then stayed quiet for WatchOptions::quiet; true then. False when `stop`
    /// returned true (it is asked at least every 100 ms).
    bool wait(const std::function<bool()>& stop);

    /// "inotify", or "polling every N ms" with the reason inotify is not used.
    [[nodiscard]] const std::string& mechanism() const { return m_mechanism; }

  private:
    struct Stamp {
        std::uintmax_t size = 0;
        std::int64_t mtime_ns = 0;
        bool operator==(const Stamp&) const = default;
    };
    using Listing = std::map<std::string, Stamp>;

    bool start_inotify(std::string& why_not);
    void watch_tree(const std::filesystem::path& directory);
    bool drain_events();  // true when a relevant change was read
    bool wait_inotify(const std::function<bool()>& stop);
    bool wait_polling(const std::function<bool()>& stop);
    [[nodiscard]] Listing list() const;
    [[nodiscard]] bool relevant_name(int watch, const std::string& name) const;

    std::vector<std::filesystem::path> m_inputs;
    WatchOptions m_options;
    std::string m_mechanism;
    int m_fd = -1;
    /// inotify watch descriptor -> the directory it watches, and the one file of it that
    /// matters when the input was a single file (empty: every file).
    std::unordered_map<int, std::pair<std::filesystem::path, std::string>> m_watches;
    Listing m_listing;  // polling: the last listing
};

}  // namespace cite::passage
