#pragma once
// Per-passage analysis work (finding matches, choosing evidence sentences) shared between the
// calling thread and one helper thread. Re-analysing the passages of a page or of an
// exhaustive listing is about half of a search's time, and each passage is independent; the
// index itself is only read on the calling thread (a Xapian database is not thread-safe).

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/sentence_splitter.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace cite::search {

/// The analysis objects of one thread (neither is thread-safe).
struct AnalysisTools {
    analysis::Analyzer& analyzer;
    analysis::SentenceSplitter& sentences;
};

class AnalysisPool {
  public:
    using Work = std::function<void(std::size_t index, AnalysisTools& tools)>;

    /// Items analysed before the helper thread is started: building its analyzer and
    /// sentence rules costs ~0.5 ms, more than one page of ten passages saves, so a single
    /// search from the command line never starts it; a batch of queries or one exhaustive
    /// listing does.
    static constexpr std::size_t default_start_after = 32;

    /// `tools` are the calling thread's. No helper on a machine with one core.
    explicit AnalysisPool(AnalysisTools tools, std::size_t start_after = default_start_after);
    ~AnalysisPool();
    AnalysisPool(const AnalysisPool&) = delete;
    AnalysisPool& operator=(const AnalysisPool&) = delete;

    /// Calls work(i, tools) once for every i in [0, n), on this thread and, once it is
    /// ready, the helper, each with its own tools; returns when all calls have returned.
    /// Calls share nothing through the pool; whatever `work` writes must be per index. The
    /// first exception a call throws is rethrown here (later indexes may then not run).
    ///
    /// `meanwhile`, if given, runs on this thread once the helper has the job and before this
    /// thread joins in: reading the next batch of passages from the index while the helper
    /// analyses this one. It must not touch what `work` uses. If it throws, the job is
    /// stopped and the exception rethrown once the helper has left it.
    void for_each(std::size_t n, const Work& work, const std::function<void()>& meanwhile = {});

    /// True once the helper thread has built its tools and takes part in for_each.
    [[nodiscard]] bool helping() const { return m_helper_ready.load(std::memory_order_acquire); }

  private:
    struct Job;
    void helper_main();
    static void run(Job& job, AnalysisTools& tools);

    AnalysisTools m_tools;
    std::size_t m_start_after;
    std::size_t m_items = 0;

    std::mutex m_mutex;
    std::condition_variable m_wake;  // the helper: a job, or stop
    std::condition_variable m_idle;  // the caller: the helper left the job
    Job* m_job = nullptr;            // the job open to the helper, if any
    std::uint64_t m_job_id = 0;
    bool m_helper_busy = false;
    bool m_stop = false;
    std::atomic<bool> m_helper_ready{false};
    std::thread m_helper;
};

}  // namespace cite::search
