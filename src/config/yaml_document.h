#pragma once
// A configuration file's YAML, read strictly: yaml-cpp accepts some malformed files by
// reading them as something else, and a configuration must not mean what its author did
// not write. Start-up code: errors are ConfigError exceptions.

#include <string>

#include <yaml-cpp/yaml.h>

namespace cc {

// The one YAML document in `text`. Throws ConfigError "FILE:LINE: YAML syntax error: …"
// for what yaml-cpp refuses, and for what it would read silently as something else:
//  - a quoted scalar whose closing quote is missing, or whose continuation lines are not
//    indented more than the line it starts on (YAML 1.2 §7.3: a multi-line flow scalar in
//    block context continues only on more-indented lines), which swallows the keys that
//    follow it (`secret_key: "abc` would take the `tls:` block below into the secret);
//  - a second document (after `---`, or a block that ends the first one early, e.g. a
//    mapping key after a top-level list), which yaml-cpp's Load drops unread.
//  - a control character other than tab, LF and CR (YAML 1.2 §5.1);
//  - a `,` where a block value or key starts, on which yaml-cpp 0.7's LoadAll would
//    never return (yaml-cpp issue #1040).
// Messages never quote a value: the file holds secrets.
YAML::Node ParseYaml(const std::string& text, const std::string& file_name);

}  // namespace cc
