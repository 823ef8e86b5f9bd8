#include "config/yaml_document.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include <yaml-cpp/eventhandler.h>

#include "config/config.h"

namespace cc {
namespace {

[[noreturn]] void SyntaxError(const std::string& file, int line0, const std::string& what) {
  throw ConfigError(file + ":" + std::to_string(line0 + 1) + ": YAML syntax error: " + what);
}

std::size_t Indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// Offset of the quote that closes the one at `open`, or npos. Inside "…" a backslash
// escapes the next character; inside '…' a quote is written twice.
std::size_t ClosingQuote(std::string_view text, std::size_t open) {
  const char quote = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

// The quoted scalar opening at `open` (on 0-based line `line0`) must close, and every
// non-blank line it continues on must be indented more than the line it starts on.
void CheckQuoted(std::string_view text, std::size_t open, int line0, const std::string& file) {
  const std::size_t close = ClosingQuote(text, open);
  if (close == std::string_view::npos) SyntaxError(file, line0, "quoted string has no closing quote");
  const std::size_t start_line = text.rfind('\n', open) + 1;  // npos + 1 == 0
  const std::size_t indent = Indentation(text.substr(start_line));
  int line = line0;
  for (std::size_t lf = text.find('\n', open); lf < close; lf = text.find('\n', lf + 1)) {
    ++line;
    const std::string_view next = text.substr(lf + 1, text.find('\n', lf + 1) - (lf + 1));
    const std::size_t n = Indentation(next);
    const bool blank = n == next.size() || (next.size() > n && next[n] == '\r' && n + 1 == next.size());
    if (!blank && n <= indent) {
      SyntaxError(file, line0,
                  "quoted string runs on to line " + std::to_string(line + 1) +
                      " (a missing closing quote?): a continuation line must be indented more than the first");
    }
  }
}

void CheckScalars(const YAML::Node& node, std::string_view text, const std::string& file) {
  if (node.IsMap() || node.IsSequence()) {
    for (const auto& item : node) {
      if (node.IsMap()) {
        CheckScalars(item.first, text, file);
        CheckScalars(item.second, text, file);
      } else {
        CheckScalars(item, text, file);
      }
    }
    return;
  }
  if (!node.IsScalar() || node.Mark().is_null()) return;
  const auto pos = static_cast<std::size_t>(node.Mark().pos);
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) CheckQuoted(text, pos, node.Mark().line, file);
}

// YAML 1.2 §5.1 allows no C0 control character but tab, LF and CR in a stream, and
// yaml-cpp can loop without end on some of them (`,\x01\x00\x00\x01:t`, found by fuzzing).
void RejectControlCharacters(std::string_view text, const std::string& file) {
  int line0 = 0;
  for (const char c : text) {
    if (c == '\n') ++line0;
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      SyntaxError(file, line0, "control character " + std::to_string(u) + " (YAML allows only tab, LF and CR)");
    }
  }
}

// Where each document of a stream starts and whether it is empty, from yaml-cpp's public
// event interface, without building nodes.
class DocumentRoots final : public YAML::EventHandler {
 public:
  struct Root {
    YAML::Mark mark;
    bool empty = true;  // a null root: nothing but `---`, or a token the parser could not use
  };
  std::vector<Root> roots;

  void OnDocumentStart(const YAML::Mark& mark) override {
    roots.push_back({mark, true});
    depth_ = 0;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark, false); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    Node(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Node(mark, false);
    ++depth_;
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Node(mark, false);
    ++depth_;
  }
  void OnMapEnd() override { --depth_; }

 private:
  void Node(const YAML::Mark& mark, bool null) {
    if (depth_ != 0 || roots.empty()) return;
    roots.back().mark = mark;
    roots.back().empty = null;
  }
  int depth_ = 0;
};

// yaml-cpp 0.7's LoadAll never returns on a stream where its parser stops taking tokens
// (a `,` outside a flow collection, yaml-cpp issue #1040, fixed after 0.7): it reports
// the same empty document again and again, each a new node in memory. So the documents
// are walked here, stopping at one that starts where the one before it did.
void CheckOneDocument(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentRoots walk;
  while (parser.HandleNextDocument(walk)) {
    const auto& roots = walk.roots;
    const auto& last = roots.back();
    if (roots.size() > 1 && last.empty && last.mark.pos == roots[roots.size() - 2].mark.pos) {
      SyntaxError(file, std::max(last.mark.line, 0), "no value or key can start here (a stray `,`?)");
    }
    // `---` with nothing after it is an empty document: harmless.
    if (roots.size() > 1 && !last.empty) {
      SyntaxError(file, std::max(last.mark.line, 0),
                  "a second YAML document starts here; a configuration file holds one (is this line's "
                  "indentation or a stray `---` wrong?)");
    }
  }
}

}  // namespace

YAML::Node ParseYaml(const std::string& text, const std::string& file_name) {
  RejectControlCharacters(text, file_name);
  YAML::Node document;
  try {
    CheckOneDocument(text, file_name);
    document = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    std::string where = file_name;
    if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1);
    throw ConfigError(where + ": YAML syntax error: " + e.msg);
  }
  CheckScalars(document, text, file_name);
  return document;
}

}  // namespace cc
