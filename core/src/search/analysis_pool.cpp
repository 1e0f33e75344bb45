#include "cite/search/analysis_pool.hpp"

#include <cstdint>
#include <exception>
#include <memory>
#include <system_error>

namespace cite::search {

struct AnalysisPool::Job {
    std::size_t n = 0;
    const Work* work = nullptr;
    std::atomic<std::size_t> next{0};  // the next index to take: items are taken one by one
    std::mutex error_mutex;
    std::exception_ptr error;
};

AnalysisPool::AnalysisPool(AnalysisTools tools, std::size_t start_after)
    : m_tools(tools), m_start_after(start_after) {}

AnalysisPool::~AnalysisPool() {
    if (!m_helper.joinable()) return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_helper.join();
}

void AnalysisPool::run(Job& job, AnalysisTools& tools) {
    for (std::size_t i; (i = job.next.fetch_add(1, std::memory_order_relaxed)) < job.n;) {
        try {
            (*job.work)(i, tools);
        } catch (...) {
            std::lock_guard lock(job.error_mutex);
            if (!job.error) job.error = std::current_exception();
            job.next.store(job.n, std::memory_order_relaxed);  // no new items on either thread
        }
    }
}

void AnalysisPool::for_each(std::size_t n, const Work& work, const std::function<void()>& meanwhile) {
    m_items += n;
    if (!m_helper.joinable() && m_items > m_start_after && std::thread::hardware_concurrency() > 1) {
        try {
            m_helper = std::thread(&AnalysisPool::helper_main, this);
        } catch (const std::system_error&) {
            m_start_after = SIZE_MAX;  // no thread to be had: this one does the work, as on one core
        }
    }

    Job job;
    job.n = n;
    job.work = &work;
    const bool shared = m_helper.joinable() && n > 0;
    if (shared) {
        {
            std::lock_guard lock(m_mutex);
            m_job = &job;
            ++m_job_id;
        }
        m_wake.notify_one();
    }
    // On every way out, the job (on this stack) is closed to the helper and the items it
    // took are waited for.
    struct Close {
        AnalysisPool& pool;
        bool open;
        void operator()() {
            if (!open) return;
            open = false;
            std::unique_lock lock(pool.m_mutex);
            pool.m_job = nullptr;
            pool.m_idle.wait(lock, [&] { return !pool.m_helper_busy; });
        }
        ~Close() { (*this)(); }
    } close{*this, shared};
    if (meanwhile) {
        try {
            meanwhile();
        } catch (...) {
            job.next.store(n, std::memory_order_relaxed);
            throw;
        }
    }
    run(job, m_tools);
    close();  // the helper's items are done: job.error is final
    if (job.error) std::rethrow_exception(job.error);
}

void AnalysisPool::helper_main() {
    // Built here, not in the caller: the caller goes on alone until the helper is ready.
    std::unique_ptr<analysis::Analyzer> analyzer;
    std::unique_ptr<analysis::SentenceSplitter> sentences;
    try {
        analyzer = std::make_unique<analysis::Analyzer>();
        sentences = std::make_unique<analysis::SentenceSplitter>();
    } catch (...) {
        return;  // (ICU data missing, memory) the caller does all the work, as on one core
    }
    AnalysisTools tools{*analyzer, *sentences};
    m_helper_ready.store(true, std::memory_order_release);

    std::uint64_t done_id = 0;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stop || (m_job && m_job_id != done_id); });
        if (m_stop) return;
        Job* job = m_job;
        done_id = m_job_id;
        m_helper_busy = true;
        lock.unlock();
        run(*job, tools);
        lock.lock();
        m_helper_busy = false;
        m_idle.notify_one();
    }
}

}  // namespace cite::search
