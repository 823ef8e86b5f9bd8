#pragma once
// One logging facade for the daemon: logfmt or JSON lines on stderr.
// Thread-safe: each line is written with a single locked write.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cc::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };
enum class Format { logfmt, json };

// Throws std::invalid_argument on an unknown name (startup only).
Level ParseLevel(std::string_view s);
Format ParseFormat(std::string_view s);

void Configure(Level level, Format format);
bool Enabled(Level level);

using Field = std::pair<std::string_view, std::string_view>;
void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::debug, m, f); }
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::info, m, f); }
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::warn, m, f); }
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::error, m, f); }

// Renders one line (without the trailing newline); exposed for tests.
std::string FormatLine(Format format, Level level, std::string_view time, std::string_view msg,
                       std::initializer_list<Field> fields);

}  // namespace cc::log
