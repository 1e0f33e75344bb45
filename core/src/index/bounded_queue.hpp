#pragma once
// A single-producer, single-consumer hand-off whose capacity is a cost (e.g. bytes of text in
// flight) rather than an item count, so a producer running ahead cannot hold a whole corpus
// in memory. Internal to the index module.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace cite::index {

template <typename T>
class BoundedQueue {
  public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

    /// Waits for room; an item costing more than the capacity still goes in once the queue is
    /// empty. False, and the item dropped, when the queue was closed.
    bool push(T item, std::size_t cost) {
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [&] { return m_closed || m_cost == 0 || m_cost + cost <= m_capacity; });
        if (m_closed) return false;
        m_items.emplace_back(std::move(item), cost);
        m_cost += cost;
        m_ready.notify_one();
        return true;
    }

    /// The next item, waiting for one; nothing once the queue is finished and drained, or
    /// closed.
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return m_closed || m_finished || !m_items.empty(); });
        if (m_closed || m_items.empty()) return std::nullopt;
        auto [item, cost] = std::move(m_items.front());
        m_items.pop_front();
        m_cost -= cost;
        m_room.notify_one();
        return std::move(item);
    }

    /// The producer is done: pop() drains what is queued, then returns nothing.
    void finish() {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_ready.notify_all();
    }

    /// The consumer gives up: queued items are dropped and push() returns false from now on.
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_cost = 0;
        m_room.notify_all();
        m_ready.notify_all();
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_room;
    std::condition_variable m_ready;
    std::deque<std::pair<T, std::size_t>> m_items;
    std::size_t m_capacity;
    std::size_t m_cost = 0;
    bool m_finished = false;
    bool m_closed = false;
};

}  // namespace cite::index
