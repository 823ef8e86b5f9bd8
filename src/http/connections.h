#pragma once
// The listener's open connections: how many, which are idle, which one to
// close to make room for a new one (--web.max-connections), and all of them
// for Stop. Thread-safe: the acceptors and every connection's strand call in.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace cc::http {

// What the registry needs of a connection, whatever its stream. A connection
// reports when it starts and stops waiting for a request.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual boost::asio::any_io_executor executor() = 0;
  // Called on the connection's strand: one waiting for a request is closed
  // (true); one in the middle of a request finishes it first (false).
  virtual bool CloseIfIdle() = 0;

  // `served`: it has answered a request and waits for the next (keep-alive),
  // rather than for its first.
  void MarkIdle(bool served);
  void MarkBusy() { idle_since_.store(0); }

 private:
  friend class ConnectionRegistry;
  // steady_clock ticks since the connection began to wait; 0 while busy.
  std::atomic<std::int64_t> idle_since_{0};
  std::atomic<bool> served_{false};
  std::atomic<bool> shed_{false};  // chosen to make room; not chosen twice
};

class ConnectionRegistry {
 public:
  // `max_open`: connections open at once, 0 for no limit.
  explicit ConnectionRegistry(std::size_t max_open) : max_open_(max_open) {}

  // Registers a new connection. Past the limit, returns the idle connection to
  // close for it (keep-alive ones first, then those that never sent a byte;
  // the longest idle of its kind), or sets `refuse` when every connection is
  // in the middle of a request.
  std::shared_ptr<Connection> Add(const std::shared_ptr<Connection>& c, bool& refuse);
  // A connection ended (its count is released).
  void Closed() { open_.fetch_sub(1); }
  // The idle connection to close when the process is out of descriptors, or
  // null.
  std::shared_ptr<Connection> PickIdle();
  // Every live connection, forgotten by the registry (Stop).
  std::vector<std::shared_ptr<Connection>> TakeAll();

  std::size_t open() const { return open_.load(); }

  // Closes `c` on its strand if it is still idle then; if it is not, it may
  // be chosen again later.
  static void Shed(const std::shared_ptr<Connection>& c);

 private:
  std::shared_ptr<Connection> PickIdleLocked();

  const std::size_t max_open_;
  std::atomic<std::size_t> open_{0};
  std::mutex mu_;
  std::vector<std::weak_ptr<Connection>> all_;
  std::size_t prune_at_ = 64;
};

// Failed accepts (out of descriptors, …) come in storms: one warning, then
// at most one line a minute counting the failures since (logged with the next
// failure, or the next accept once the minute is over). The delay before the
// next accept doubles from 5 ms to 1 s while accepts keep failing, as in Go's
// net/http. Thread-safe.
class AcceptBackoff {
 public:
  // The delay before the next accept.
  std::chrono::milliseconds Failed(const std::string& error);
  void Succeeded();

 private:
  std::mutex mu_;
  std::chrono::milliseconds delay_{0};  // 0: the last accept succeeded
  std::size_t unreported_ = 0;          // failures since the last line
  bool warned_ = false;
  std::chrono::steady_clock::time_point last_line_;
};

}  // namespace cc::http
