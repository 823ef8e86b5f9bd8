#pragma once
// A YAML mapping being read by the config loader or a vendor: typed getters
// that fail with file, line and full key path, ${ENV} expansion, secrets from
// `<key>` or `<key>_file`, and detection of unknown (misspelled) keys.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_document.h"

namespace cc {

class ConfigNode {
 public:
  ConfigNode(YAML::Node node, std::string file, std::string path);

  // Present and not null. Does not count as asking for the key.
  bool Has(const std::string& key) const;

  std::optional<std::string> OptString(const std::string& key);
  std::string String(const std::string& key);  // required
  std::string String(const std::string& key, const std::string& fallback);
  std::vector<std::string> StringList(const std::string& key);  // absent: empty
  std::int64_t Int(const std::string& key, std::int64_t fallback);
  std::int64_t Int(const std::string& key);  // required
  std::vector<std::int64_t> IntList(const std::string& key);
  // A mapping with free-form keys (e.g. user → password hash), in file
  // order; absent: empty.
  std::vector<std::pair<std::string, std::string>> StringMap(const std::string& key);
  bool Bool(const std::string& key, bool fallback);
  std::chrono::milliseconds Duration(const std::string& key, std::chrono::milliseconds fallback);
  std::uint64_t Size(const std::string& key, std::uint64_t fallback);
  // A file name; a relative one is taken relative to the configuration
  // file's directory (as Prometheus does), so a config works from any cwd.
  std::string FilePath(const std::string& key, const std::string& fallback);
  // `key` inline (with ${ENV}) or `key_file` (a FilePath); exactly one of
  // them. Absent: empty.
  Secret OptSecret(const std::string& key);
  Secret RequiredSecret(const std::string& key);
  // A nested mapping; absent → an empty mapping.
  ConfigNode Child(const std::string& key);
  // A list of mappings (e.g. `targets`); absent → empty. RejectUnknownKeys of
  // this node does not look into them: check each element yourself.
  std::vector<ConfigNode> ChildList(const std::string& key);

  // A file the configuration names (a secret, a CA), read once: the content is
  // also what Fingerprint() records for it. nullopt with `error` set to the
  // system's reason (never the content).
  std::optional<std::string> ReadReferencedFile(const std::string& path, std::string* error);

  // What this mapping says, to tell whether a reloaded target changed: its
  // YAML with ${ENV} expanded, and the content of every file that a key ending
  // in `_file` names (secrets, CA certificates), anywhere below it, as it was
  // read while loading (ReadReferencedFile), so each file is read once. The same
  // text for the same file, environment and referenced files. Holds secrets:
  // compare it, never log or show it.
  std::string Fingerprint() const;

  // Throws one ConfigError naming every key of this mapping that no getter asked
  // for, and of every mapping handed out by Child() (so a vendor's `auth:` is
  // covered by the target's check), each with a suggestion when it is a near miss.
  // Also rejects a key given twice.
  void RejectUnknownKeys() const;
  // For a mapping whose reading stopped at an error: the unasked keys that are one or
  // two edits from a key that was asked for ("vendr" beside a missing "vendor"), the
  // likely cause. Other unasked keys may only not have been reached, so they are left
  // out. Messages as in ConfigError::errors().
  std::vector<std::string> MisspeltKeys() const;
  // `key` empty: the error is about this mapping itself.
  [[noreturn]] void Fail(const std::string& key, const std::string& message) const;

  const std::string& path() const { return path_; }

 private:
  // Keys asked for, shared by a node and the children it hands out.
  struct Used {
    std::map<std::string, std::set<std::string>> keys;  // mapping path → keys asked for
    std::set<std::string> children;                     // paths handed out by Child()
    std::map<std::string, std::string> files;           // path → content, as ReadReferencedFile read it
  };

  // One element of a list of scalars, ${ENV} expanded, with where it stands.
  struct ListItem {
    std::string value;
    int line;
    std::string path;  // e.g. targets[0].queues[1]
  };

  YAML::Node Get(const std::string& key);
  // `what` names the element type in errors ("string", "integer"); `check`
  // runs on each element in order, so the first bad element is the one named.
  std::vector<ListItem> ScalarList(const std::string& key, const std::string& what,
                                   const std::function<void(const ListItem&)>& check = {});
  std::string Scalar(const std::string& key, const YAML::Node& n) const;
  std::string KeyPath(const std::string& key) const;
  std::string Resolve(const std::string& path) const;
  int LineOf(const std::string& key) const;
  [[noreturn]] void FailAt(int line, const std::string& key_path, const std::string& message) const;
  std::string Where(int line, const std::string& key_path) const;
  // Appends to `out` the unknown (or, with near_misses_only, misspelt) and twice-given keys.
  void CheckKeys(const YAML::Node& node, const std::string& path, int fallback_line, bool near_misses_only,
                 std::vector<std::string>& out) const;
  void AppendFiles(const YAML::Node& node, std::string& out) const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::shared_ptr<Used> used_;
  int line_ = 0;  // 1-based line of this mapping; 0 when unknown
};

// "15s", "1m30s", "500ms", "2h"; nullopt on anything else.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s);
// "16MiB", "512KiB", "1GiB", "1000", "10MB"; nullopt on anything else.
std::optional<std::uint64_t> ParseSize(std::string_view s);
// Expands ${NAME}; an unset variable is an error (returns nullopt, names it in `missing`).
std::optional<std::string> ExpandEnv(std::string_view s, std::string* missing);
// "1m30s" for 90000ms: the inverse of ParseDuration, for messages.
std::string FormatDuration(std::chrono::milliseconds d);
// The whole file; nullopt with `error` set to the system's reason (not the content).
std::optional<std::string> ReadFile(const std::string& path, std::string* error);

}  // namespace cc
