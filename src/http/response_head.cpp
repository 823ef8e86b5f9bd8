#include "http/response_head.h"

namespace cc::http {
namespace {

// "HTTP/d.d ddd": a status line that ends right after the status code.
bool LacksReasonPhrase(std::string_view line) {
  constexpr std::string_view kVersion = "HTTP/";
  if (line.size() != 12 || line.substr(0, 5) != kVersion || line[6] != '.' || line[8] != ' ') return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return digit(line[5]) && digit(line[7]) && digit(line[9]) && digit(line[10]) && digit(line[11]);
}

}  // namespace

std::size_t FindResponseHeadEnd(std::string_view bytes) {
  std::size_t line_start = 0;
  for (std::size_t lf = bytes.find('\n'); lf != std::string_view::npos; lf = bytes.find('\n', line_start)) {
    std::string_view line = bytes.substr(line_start, lf - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // An empty first line is no head at all; the parser will say so.
    if (line.empty() && line_start != 0) return lf + 1;
    line_start = lf + 1;
  }
  return std::string_view::npos;
}

std::string NormalizeResponseHead(std::string_view head) {
  std::string out;
  out.reserve(head.size() + 16);
  bool first = true;
  while (!head.empty()) {
    const std::size_t lf = head.find('\n');
    std::string_view line = head.substr(0, lf);
    head.remove_prefix(lf == std::string_view::npos ? head.size() : lf + 1);
    const bool terminated = lf != std::string_view::npos;
    if (terminated && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.append(line);
    if (first && LacksReasonPhrase(line)) out.push_back(' ');
    if (terminated) out.append("\r\n");
    first = false;
  }
  return out;
}

}  // namespace cc::http
