#include "core/landing_page.h"

#include <ctime>

#include "config/url.h"

namespace cc {
namespace {

std::string FormatTime(std::chrono::system_clock::time_point t) {
  if (t.time_since_epoch().count() == 0) return "never";
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderLandingPage(const std::vector<CollectorStatus>& status, const std::string& telemetry_path,
                              const std::string& version, const std::string& scope) {
  std::string h;
  h += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>callcenter_exporter</title>\n"
       "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
       "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.up{color:#080}.down{color:#b00}"
       ".pending{color:#888}</style></head><body>\n<h1>callcenter_exporter</h1>\n<p>Version ";
  h += HtmlEscape(version);
  h += "</p>\n<ul><li><a href=\"" + HtmlEscape(telemetry_path) +
       "\">Metrics</a></li>"
       "<li><a href=\"/-/healthy\">Health</a></li><li><a href=\"/-/ready\">Readiness</a></li></ul>\n";
  h += "<h2>Targets</h2>\n";
  if (!scope.empty()) h += "<p>" + HtmlEscape(scope) + "</p>\n";
  h += "<table><tr><th>target</th><th>vendor</th><th>collector</th><th>state</th>"
       "<th>last success</th><th>last error</th><th>this target only</th></tr>\n";
  for (const auto& s : status) {
    const char* state = !s.polled ? "pending" : s.up ? "up" : "down";
    // Backing off: the operator sees why the target is polled less often.
    const std::string shown =
        s.backed_off ? std::string(state) + ", backing off: next poll " + FormatTime(s.next_poll) : std::string(state);
    h += "<tr><td>" + HtmlEscape(s.target) + "</td><td>" + HtmlEscape(s.vendor) + "</td><td>" +
         HtmlEscape(s.collector) + "</td><td class=\"" + state + "\">" + shown + "</td><td>" +
         FormatTime(s.last_success) + "</td><td>" + HtmlEscape(s.up ? "" : s.last_error) +
         "</td><td><a href=\"/probe?target=" + PercentEncode(s.target) + "\">probe</a></td></tr>\n";
  }
  if (status.empty()) {
    h += scope.empty() ? "<tr><td colspan=\"7\">no targets configured</td></tr>\n"
                       : "<tr><td colspan=\"7\">no target of the configuration is in this shard</td></tr>\n";
  }
  h += "</table>\n</body></html>\n";
  return h;
}

}  // namespace cc
