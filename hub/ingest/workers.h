// hub/ingest/workers.h: a few long-lived threads that run tasks in order.
//
// Import used to start its helper threads per batch. Each new thread then
// built its own ICU transliterators and started with empty per-thread
// caches (normalized names, address prefixes, allocator caches), so the
// caches did little for the helpers. Threads that live as long as the
// Ingestor keep them.
//
// Private to hub/ingest. Thread-safe.
#ifndef GRIDHUB_HUB_INGEST_WORKERS_H_
#define GRIDHUB_HUB_INGEST_WORKERS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gridhub::hub {

class Workers {
 public:
  // Starts up to `threads` threads (fewer when the system refuses more;
  // size() says how many run).
  explicit Workers(int threads);
  // Runs the tasks still queued, then stops the threads.
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  int size() const { return static_cast<int>(threads_.size()); }

  // Queues `task`; the first idle thread runs it. Tasks must not throw.
  void Post(std::function<void()> task);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Counts tasks down to zero; Wait() returns once every one has called Done().
class TaskGroup {
 public:
  explicit TaskGroup(int tasks) : left_(tasks) {}
  void Done();
  void Wait();

 private:
  std::mutex mu_;
  std::condition_variable done_;
  int left_;
};

// Runs `theirs` on one of `helpers` while this thread runs `mine`, and
// returns once both are done; both run here, `mine` first, when `helpers`
// is null or has no thread. Neither may throw (`theirs` runs on a worker).
void RunAlongside(Workers* helpers, const std::function<void()>& theirs,
                  const std::function<void()>& mine);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_INGEST_WORKERS_H_
