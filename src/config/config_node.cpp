#include "config/config_node.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

namespace cc {
namespace {

bool Present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

int LineOfNode(const YAML::Node& n) {
  if (!n.IsDefined()) return 0;
  YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

std::string Join(const std::string& path, const std::string& key) {
  if (key.empty()) return path;
  return path.empty() ? key : path + "." + key;
}

const char* KindOf(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "a scalar";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(std::string_view s) {
  std::string l = Lower(s);
  if (l == "true" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "no" || l == "off") return false;
  return std::nullopt;
}

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The known key a typo most likely meant: at most two edits away, and not the whole key.
std::optional<std::string> NearMiss(const std::string& key, const std::set<std::string>& known) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& k : known) {
    std::size_t d = EditDistance(key, k);
    if (d < best_distance && d < k.size()) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::string UnknownKeyMessage(const std::string& key, const std::set<std::string>& known) {
  if (auto best = NearMiss(key, known)) return "unknown key (did you mean \"" + *best + "\"?)";
  if (known.empty()) return "unknown key (this mapping takes no keys)";
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  return "unknown key (known here: " + list + ")";
}

}  // namespace

ConfigNode::ConfigNode(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)),
      file_(std::move(file)),
      path_(std::move(path)),
      used_(std::make_shared<Used>()),
      line_(LineOfNode(node_)) {}

bool ConfigNode::Has(const std::string& key) const {
  if (!node_.IsMap()) return false;
  const YAML::Node& n = node_;
  return Present(n[key]);
}

YAML::Node ConfigNode::Get(const std::string& key) {
  used_->keys[path_].insert(key);
  if (!node_.IsMap()) return YAML::Node();
  const YAML::Node& n = node_;  // the const lookup never inserts
  YAML::Node v = n[key];
  return Present(v) ? v : YAML::Node();
}

std::string ConfigNode::KeyPath(const std::string& key) const { return Join(path_, key); }

int ConfigNode::LineOf(const std::string& key) const {
  if (!key.empty() && node_.IsMap()) {
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        int line = LineOfNode(kv.first);
        if (line > 0) return line;
      }
    }
  }
  return line_;
}

std::string ConfigNode::Where(int line, const std::string& key_path) const {
  std::string text = file_;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": ";
  if (!key_path.empty()) text += key_path + ": ";
  return text;
}

void ConfigNode::FailAt(int line, const std::string& key_path, const std::string& message) const {
  throw ConfigError(Where(line, key_path) + message);
}

void ConfigNode::Fail(const std::string& key, const std::string& message) const {
  FailAt(LineOf(key), KeyPath(key), message);
}

// Never quotes the value: the same path reads secrets.
std::string ConfigNode::Scalar(const std::string& key, const YAML::Node& n) const {
  if (!n.IsScalar()) Fail(key, std::string("must be a string, not ") + KindOf(n));
  std::string missing;
  std::optional<std::string> v = ExpandEnv(n.Scalar(), &missing);
  if (!v) Fail(key, "environment variable " + missing + " is not set");
  return *v;
}

std::optional<std::string> ConfigNode::OptString(const std::string& key) {
  YAML::Node n = Get(key);
  if (!Present(n)) return std::nullopt;
  return Scalar(key, n);
}

std::string ConfigNode::String(const std::string& key) {
  std::optional<std::string> v = OptString(key);
  if (!v) Fail(key, "required key is missing");
  if (v->empty()) Fail(key, "must not be empty");
  return *v;
}

std::string ConfigNode::String(const std::string& key, const std::string& fallback) {
  return OptString(key).value_or(fallback);
}

namespace {
std::string Article(const std::string& noun) {
  return std::string_view("aeiou").find(noun.front()) == std::string_view::npos ? "a " : "an ";
}
}  // namespace

std::vector<ConfigNode::ListItem> ConfigNode::ScalarList(const std::string& key, const std::string& what,
                                                         const std::function<void(const ListItem&)>& check) {
  YAML::Node n = Get(key);
  std::vector<ListItem> out;
  if (!Present(n)) return out;
  if (!n.IsSequence()) Fail(key, "must be a list of " + what + "s, not " + KindOf(n));
  const std::string base = KeyPath(key);
  std::string missing;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& item = n[i];
    ListItem li{{}, LineOfNode(item) ? LineOfNode(item) : LineOf(key), base + "[" + std::to_string(i) + "]"};
    if (!item.IsScalar()) FailAt(li.line, li.path, "must be " + Article(what) + what + ", not " + KindOf(item));
    std::optional<std::string> v = ExpandEnv(item.Scalar(), &missing);
    if (!v) FailAt(li.line, li.path, "environment variable " + missing + " is not set");
    li.value = std::move(*v);
    if (check) check(li);
    out.push_back(std::move(li));
  }
  return out;
}

std::vector<std::string> ConfigNode::StringList(const std::string& key) {
  std::vector<std::string> out;
  for (auto& item : ScalarList(key, "string")) out.push_back(std::move(item.value));
  return out;
}

std::vector<std::pair<std::string, std::string>> ConfigNode::StringMap(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<std::pair<std::string, std::string>> out;
  if (!Present(n)) return out;
  if (!n.IsMap()) Fail(key, std::string("must be a mapping, not ") + KindOf(n));
  ConfigNode map(n, file_, KeyPath(key));
  for (const auto& entry : n) {
    if (!entry.first.IsScalar()) map.Fail("", "keys must be strings");
    const std::string name = entry.first.Scalar();
    out.emplace_back(name, map.Scalar(name, entry.second));
  }
  return out;
}

std::int64_t ConfigNode::Int(const std::string& key, std::int64_t fallback) {
  YAML::Node n = Get(key);
  if (!Present(n)) return fallback;
  std::string s = Scalar(key, n);
  std::optional<std::int64_t> v = ParseInt(s);
  if (!v) Fail(key, "\"" + s + "\" is not an integer");
  return *v;
}

std::int64_t ConfigNode::Int(const std::string& key) {
  if (!Present(Get(key))) Fail(key, "required key is missing");
  return Int(key, 0);
}

std::vector<std::int64_t> ConfigNode::IntList(const std::string& key) {
  std::vector<std::int64_t> out;
  ScalarList(key, "integer", [&](const ListItem& item) {
    std::optional<std::int64_t> v = ParseInt(item.value);
    if (!v) FailAt(item.line, item.path, "\"" + item.value + "\" is not an integer");
    out.push_back(*v);
  });
  return out;
}

bool ConfigNode::Bool(const std::string& key, bool fallback) {
  YAML::Node n = Get(key);
  if (!Present(n)) return fallback;
  std::string s = Scalar(key, n);
  std::optional<bool> v = ParseBool(s);
  if (!v) Fail(key, "\"" + s + "\" is not a boolean (true or false)");
  return *v;
}

std::chrono::milliseconds ConfigNode::Duration(const std::string& key, std::chrono::milliseconds fallback) {
  YAML::Node n = Get(key);
  if (!Present(n)) return fallback;
  std::string s = Scalar(key, n);
  std::optional<std::chrono::milliseconds> v = ParseDuration(s);
  if (!v) Fail(key, "\"" + s + "\" is not a duration (e.g. 500ms, 15s, 1m30s, 2h)");
  return *v;
}

std::uint64_t ConfigNode::Size(const std::string& key, std::uint64_t fallback) {
  YAML::Node n = Get(key);
  if (!Present(n)) return fallback;
  std::string s = Scalar(key, n);
  std::optional<std::uint64_t> v = ParseSize(s);
  if (!v) Fail(key, "\"" + s + "\" is not a size (e.g. 16MiB, 512KiB, 10MB, 1000)");
  return *v;
}

std::string ConfigNode::Resolve(const std::string& path) const {
  if (path.empty() || path.front() == '/' || file_.empty()) return path;
  const std::filesystem::path dir = std::filesystem::path(file_).parent_path();
  return dir.empty() ? path : (dir / path).string();
}

std::string ConfigNode::FilePath(const std::string& key, const std::string& fallback) {
  return Resolve(String(key, fallback));
}

std::optional<std::string> ConfigNode::ReadReferencedFile(const std::string& path, std::string* error) {
  std::optional<std::string> content = ReadFile(path, error);
  if (content) used_->files[path] = *content;
  return content;
}

std::string ConfigNode::Fingerprint() const {
  std::string out = YAML::Dump(node_);
  std::string missing;
  if (auto expanded = ExpandEnv(out, &missing)) out = std::move(*expanded);
  AppendFiles(node_, out);
  return out;
}

void ConfigNode::AppendFiles(const YAML::Node& node, std::string& out) const {
  if (node.IsSequence()) {
    for (const auto& item : node) AppendFiles(item, out);
    return;
  }
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    if (kv.first.IsScalar() && kv.first.Scalar().ends_with("_file") && kv.second.IsScalar()) {
      std::string missing, error;
      const std::string path = Resolve(ExpandEnv(kv.second.Scalar(), &missing).value_or(kv.second.Scalar()));
      auto read = used_->files.find(path);
      std::optional<std::string> content =
          read != used_->files.end() ? std::optional<std::string>(read->second) : ReadFile(path, &error);
      out += "\n" + path + ": " + (content ? *content : "unreadable: " + error);
    } else {
      AppendFiles(kv.second, out);
    }
  }
}

Secret ConfigNode::OptSecret(const std::string& key) {
  const std::string file_key = key + "_file";
  YAML::Node inline_node = Get(key);
  YAML::Node file_node = Get(file_key);
  bool has_inline = Present(inline_node);
  bool has_file = Present(file_node);
  if (has_inline && has_file) {
    Fail(key, "give either " + key + " or " + file_key + ", not both");
  }
  if (has_inline) return Secret(Scalar(key, inline_node));
  if (!has_file) return Secret();
  std::string path = Resolve(Scalar(file_key, file_node));
  if (path.empty()) Fail(file_key, "must not be empty");
  std::string error;
  std::optional<std::string> content = ReadReferencedFile(path, &error);
  if (!content) Fail(file_key, "cannot read secret file \"" + path + "\": " + error);
  // Files written by editors and `echo` end in a newline that is not part of the secret.
  if (!content->empty() && content->back() == '\n') {
    content->pop_back();
    if (!content->empty() && content->back() == '\r') content->pop_back();
  }
  return Secret(std::move(*content));
}

Secret ConfigNode::RequiredSecret(const std::string& key) {
  const std::string file_key = key + "_file";
  Secret s = OptSecret(key);
  if (!s.empty()) return s;
  if (Has(file_key)) Fail(file_key, "secret file is empty");
  if (Has(key)) Fail(key, "must not be empty");
  Fail(key, "required: set " + key + " or " + file_key);
}

ConfigNode ConfigNode::Child(const std::string& key) {
  YAML::Node n = Get(key);
  if (Present(n) && !n.IsMap()) Fail(key, std::string("must be a mapping, not ") + KindOf(n));
  const std::string path = KeyPath(key);
  ConfigNode child(Present(n) ? n : YAML::Node(YAML::NodeType::Map), file_, path);
  child.used_ = used_;
  used_->children.insert(path);
  if (child.line_ == 0 || !Present(n)) child.line_ = LineOf(key);
  return child;
}

std::vector<ConfigNode> ConfigNode::ChildList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<ConfigNode> out;
  if (!Present(n)) return out;
  if (!n.IsSequence()) Fail(key, std::string("must be a list, not ") + KindOf(n));
  const std::string base = KeyPath(key);
  for (std::size_t i = 0; i < n.size(); ++i) {
    YAML::Node item = n[i];
    std::string item_path = base + "[" + std::to_string(i) + "]";
    int line = LineOfNode(item) ? LineOfNode(item) : LineOf(key);
    if (!item.IsMap()) FailAt(line, item_path, std::string("must be a mapping, not ") + KindOf(item));
    ConfigNode child(item, file_, item_path);
    child.used_ = used_;
    child.line_ = line;
    out.push_back(std::move(child));
  }
  return out;
}

void ConfigNode::RejectUnknownKeys() const {
  std::vector<std::string> errors;
  CheckKeys(node_, path_, line_, false, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
}

std::vector<std::string> ConfigNode::MisspeltKeys() const {
  std::vector<std::string> errors;
  CheckKeys(node_, path_, line_, true, errors);
  return errors;
}

void ConfigNode::CheckKeys(const YAML::Node& node, const std::string& path, int fallback_line, bool near_misses_only,
                           std::vector<std::string>& out) const {
  if (!node.IsMap()) return;
  static const std::set<std::string> kNone;
  auto asked_it = used_->keys.find(path);
  const std::set<std::string>& asked = asked_it == used_->keys.end() ? kNone : asked_it->second;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    int line = LineOfNode(kv.first) ? LineOfNode(kv.first) : fallback_line;
    if (!kv.first.IsScalar()) {
      out.push_back(Where(line, path) + "keys must be plain strings");
      continue;
    }
    const std::string& key = kv.first.Scalar();
    const std::string key_path = Join(path, key);
    if (!seen.insert(key).second) {
      out.push_back(Where(line, key_path) + "key given twice");
    } else if (!asked.count(key) && (!near_misses_only || NearMiss(key, asked))) {
      out.push_back(Where(line, key_path) + UnknownKeyMessage(key, asked));
    }
    if (used_->children.count(key_path)) CheckKeys(kv.second, key_path, line, near_misses_only, out);
  }
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s) {
  struct Unit {
    std::string_view name;
    std::int64_t ms;
  };
  // Largest first: each unit may appear once, in this order ("1h30m", not "30m1h").
  static constexpr Unit kUnits[] = {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (s.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t next_unit = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data() + start, s.data() + i, value);
    if (ec != std::errc() || end != s.data() + i) return std::nullopt;
    std::size_t unit_start = i;
    while (i < s.size() && IsAlpha(s[i])) ++i;
    std::string_view unit = s.substr(unit_start, i - unit_start);
    std::size_t u = next_unit;
    while (u < std::size(kUnits) && kUnits[u].name != unit) ++u;
    if (u == std::size(kUnits)) return std::nullopt;
    if (value > (kMax - total) / kUnits[u].ms) return std::nullopt;
    total += value * kUnits[u].ms;
    next_unit = u + 1;
  }
  return std::chrono::milliseconds(total);
}

std::optional<std::uint64_t> ParseSize(std::string_view s) {
  struct Unit {
    std::string_view name;  // lower case
    std::uint64_t bytes;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},
      {"b", 1},
      {"kb", 1000ull},
      {"mb", 1000ull * 1000},
      {"gb", 1000ull * 1000 * 1000},
      {"tb", 1000ull * 1000 * 1000 * 1000},
      {"kib", 1ull << 10},
      {"mib", 1ull << 20},
      {"gib", 1ull << 30},
      {"tib", 1ull << 40},
  };
  std::size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + i, value);
  if (ec != std::errc() || end != s.data() + i) return std::nullopt;
  std::size_t unit_start = i;
  if (unit_start + 1 < s.size() && s[unit_start] == ' ') ++unit_start;  // "16 MiB" reads fine too
  std::string unit = Lower(s.substr(unit_start));
  for (const Unit& u : kUnits) {
    if (u.name != unit) continue;
    if (value > std::numeric_limits<std::uint64_t>::max() / u.bytes) return std::nullopt;
    return value * u.bytes;
  }
  return std::nullopt;
}

std::optional<std::string> ExpandEnv(std::string_view s, std::string* missing) {
  auto is_name_char = [](char c, bool first) { return c == '_' || IsAlpha(c) || (!first && IsDigit(c)); };
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      std::size_t close = s.find('}', i + 2);
      std::string_view name = close == std::string_view::npos ? std::string_view{} : s.substr(i + 2, close - i - 2);
      bool valid = !name.empty();
      for (std::size_t k = 0; k < name.size() && valid; ++k) valid = is_name_char(name[k], k == 0);
      // Anything that is not a well-formed ${NAME} stays literal, so a secret
      // that happens to contain "${" still works.
      if (valid) {
        std::string key(name);
        const char* value = std::getenv(key.c_str());
        if (!value) {
          if (missing) *missing = key;
          return std::nullopt;
        }
        out += value;
        i = close + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  static constexpr std::pair<const char*, std::int64_t> kUnits[] = {
      {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};
  for (const auto& [name, size] : kUnits) {
    if (ms >= size) {
      out += std::to_string(ms / size) + name;
      ms %= size;
    }
  }
  return out;
}

std::optional<std::string> ReadFile(const std::string& path, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    if (error) *error = std::strerror(errno);
    return std::nullopt;
  }
  std::string out;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) {
    if (error) *error = std::strerror(err);
    return std::nullopt;
  }
  return out;
}

}  // namespace cc
