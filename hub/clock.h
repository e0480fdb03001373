// hub/clock.h: the time seam. Everything in hub/ that stamps a time asks a
// Clock, so tests can run with a fixed, deterministic one.
// Thread-safety: implementations must be safe to call from any thread.
#ifndef GRIDHUB_HUB_CLOCK_H_
#define GRIDHUB_HUB_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gridhub::hub {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that returns what the test sets. TEST_ only.
class TEST_ManualClock final : public Clock {
 public:
  explicit TEST_ManualClock(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_CLOCK_H_
