#pragma once
// Captures what the daemon logs (stderr) at debug level while alive.

#include <string>

#include <gtest/gtest.h>

#include "common/log.h"

namespace cc::test {

class LogCapture {
 public:
  LogCapture() {
    log::Configure(log::Level::debug, log::Format::logfmt);
    testing::internal::CaptureStderr();
  }
  ~LogCapture() {
    if (!done_) Take();
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string Take() {
    done_ = true;
    std::string out = testing::internal::GetCapturedStderr();
    log::Configure(log::Level::info, log::Format::logfmt);
    return out;
  }

 private:
  bool done_ = false;
};

}  // namespace cc::test
