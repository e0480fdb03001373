#include "hub/ingest/workers.h"

#include <system_error>
#include <utility>

namespace gridhub::hub {

Workers::Workers(int threads) {
  for (int i = 0; i < threads; ++i) {
    try {
      threads_.emplace_back([this] { Run(); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: work with those started
    }
  }
}

Workers::~Workers() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void Workers::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void Workers::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void TaskGroup::Done() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--left_ == 0) done_.notify_all();
}

void TaskGroup::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [this] { return left_ <= 0; });
}

void RunAlongside(Workers* helpers, const std::function<void()>& theirs,
                  const std::function<void()>& mine) {
  if (helpers == nullptr || helpers->size() == 0) {
    mine();
    theirs();
    return;
  }
  TaskGroup other(1);
  helpers->Post([&] {
    theirs();
    other.Done();
  });
  mine();
  other.Wait();
}

}  // namespace gridhub::hub
