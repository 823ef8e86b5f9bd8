#pragma once
// One logging facade for the daemon: logfmt or JSON lines on stderr.
// Thread-safe: each line is written with a single locked write.

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cc::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };
enum class Format { logfmt, json };

// Throws std::invalid_argument on an unknown name (startup only).
Level ParseLevel(std::string_view s);
Format ParseFormat(std::string_view s);

void Configure(Level level, Format format);
bool Enabled(Level level);

// A field's value: text, or a number (counts, durations in seconds, status
// codes) that JSON lines write as a JSON number and logfmt unquoted. Text is
// referenced, not copied: a Value lives only for the log call it is part of.
// Error text goes under one key everywhere: `err`.
class Value {
 public:
  Value(std::string_view text) : text_(text) {}
  Value(const char* text) : text_(text) {}
  Value(const std::string& text) : text_(text) {}
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T n)
      : Value(static_cast<long long>(n), std::is_signed_v<T>) {}
  // Finite: the shortest text that reads back the same; NaN and infinities
  // are written as text (JSON has no such numbers).
  Value(double d);

  std::string_view text() const { return digits_size_ > 0 ? std::string_view(digits_, digits_size_) : text_; }
  bool number() const { return number_; }

 private:
  Value(long long n, bool is_signed);

  std::string_view text_;
  char digits_[32] = {};  // a number's text (copied with the Value)
  std::size_t digits_size_ = 0;
  bool number_ = false;
};

using Field = std::pair<std::string_view, Value>;
void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::debug, m, f); }
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::info, m, f); }
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::warn, m, f); }
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::error, m, f); }

// Renders one line (without the trailing newline); exposed for tests.
std::string FormatLine(Format format, Level level, std::string_view time, std::string_view msg,
                       std::initializer_list<Field> fields);

}  // namespace cc::log
