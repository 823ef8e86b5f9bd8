// The usual way to write an exporter in C++, as the baseline of bench/scale.sh:
// prometheus-cpp's Exposer serving the series of an exposition text file (an
// exporter's own /metrics body), so that both serve the same names, labels and
// values. Every series becomes a Gauge of a family named as its sample; each
// scrape then runs the Exposer's Collect + Serialize (and its gzip when asked).
//
//   exposer_server METRICS_FILE
//
// Listens on 127.0.0.1 at a free port and prints "listening address=127.0.0.1:PORT"
// once every series is registered.

#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace {

// One sample line: `name{k="v",…} value`, values unescaped (\\, \", \n).
bool ParseSample(std::string_view line, std::string& name, prometheus::Labels& labels, double& value) {
  labels.clear();
  const auto name_end = line.find_first_of("{ ");
  if (name_end == std::string_view::npos) return false;
  name = line.substr(0, name_end);
  std::size_t i = name_end;
  if (line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const auto eq = line.find('=', i);
      if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return false;
      std::string key(line.substr(i, eq - i)), val;
      for (i = eq + 2; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          val += line[i] == 'n' ? '\n' : line[i];
        } else {
          val += line[i];
        }
      }
      labels.emplace(std::move(key), std::move(val));
      ++i;  // the closing quote
      if (i < line.size() && line[i] == ',') ++i;
    }
    ++i;  // '}'
  }
  const std::string number(line.substr(i));
  value = std::strtod(number.c_str(), nullptr);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: exposer_server METRICS_FILE\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  auto registry = std::make_shared<prometheus::Registry>();
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> families;
  std::string line, name;
  prometheus::Labels labels;
  double value = 0;
  std::size_t series = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || !ParseSample(line, name, labels, value)) continue;
    auto& family = families[name];
    if (family == nullptr) family = &prometheus::BuildGauge().Name(name).Help("from the exporter").Register(*registry);
    family->Add(labels).Set(value);
    ++series;
  }
  prometheus::Exposer exposer("127.0.0.1:0");
  exposer.RegisterCollectable(registry);
  std::printf("series=%zu\nlistening address=127.0.0.1:%u\n", series, exposer.GetListeningPorts().front());
  std::fflush(stdout);
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}
