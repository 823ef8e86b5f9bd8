#include "core/exposition.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "core/text_format.h"
#include "model/metrics.h"

namespace cc {
namespace {

// The label set of a sample as written (escaped, UTF-8 repaired) but in name
// order, for the duplicate check: two samples that would be the same series
// to Prometheus have the same key.
std::string LabelSetKey(const Labels& labels, std::vector<const Labels::value_type*>& scratch) {
  scratch.clear();
  for (const auto& l : labels) scratch.push_back(&l);
  std::sort(scratch.begin(), scratch.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string key;
  for (const auto* l : scratch) {
    key += l->first;
    key += '=';
    text_format::AppendLabelValue(key, l->second);
    key += ',';
  }
  return key;
}

// The name of the first label whose value is longer than `limit` bytes, or null.
const std::string* TooLongLabel(const Labels& labels, std::size_t limit) {
  if (limit == 0) return nullptr;
  for (const auto& [name, value] : labels) {
    if (value.size() > limit) return &name;
  }
  return nullptr;
}

// The labels of callcenter_agent_info that `keep` names, and its id `agent`. Anything
// else a vendor puts there is left out too: personal data is exported only when chosen.
Labels SelectAgentLabels(const Labels& labels, const std::vector<std::string>& keep) {
  Labels kept;
  for (const auto& label : labels) {
    if (label.first == "agent" || std::find(keep.begin(), keep.end(), label.first) != keep.end()) {
      kept.push_back(label);
    }
  }
  return kept;
}

// The piece is kept only if it is shorter than the text: a gzip scrape stores the text
// of the others, which costs it a copy (as a plain scrape) and no memory in between.
void AddDeflated(RenderedFamily& family, PieceDeflater* deflater) {
  if (deflater == nullptr || family.series.empty()) return;
  DeflatePiece piece = deflater->Deflate(family.series);
  if (piece.data.size() < family.series.size()) family.series_deflated = std::move(piece);
}

RenderedFamily RenderFamily(const FamilySamples& family, std::string_view target, const RenderOptions& options,
                            Rendered& out) {
  const std::size_t limit = options.label_value_length_limit;
  const bool select = options.agent_labels != nullptr && family.def->name == metrics::agent_info.name;
  RenderedFamily rendered;
  text_format::AppendHeader(rendered.header, *family.def);
  rendered.series.reserve(family.samples.size() * (family.def->name.size() + 48));
  std::unordered_set<std::string> seen;
  seen.reserve(family.samples.size());
  std::vector<const Labels::value_type*> scratch;
  Labels selected;
  for (const Sample& s : family.samples) {
    if (select) selected = SelectAgentLabels(s.labels, *options.agent_labels);
    const Labels& labels = select ? selected : s.labels;
    if (const std::string* label = TooLongLabel(labels, limit)) {
      if (out.too_long_dropped++ == 0) out.too_long_label = *label;
      continue;
    }
    if (!seen.insert(LabelSetKey(labels, scratch)).second) {
      ++out.duplicates_dropped;
      continue;
    }
    text_format::AppendSample(rendered.series, family.def->name, target, labels, s.value);
    ++out.series;
  }
  return rendered;
}

}  // namespace

Rendered Render(const Snapshot& snapshot, std::string_view target, const RenderOptions& options) {
  Rendered out;
  std::optional<PieceDeflater> deflater;
  if (options.deflate_level != 0) deflater.emplace(options.deflate_level);
  for (const auto& [name, family] : snapshot.families()) {
    RenderedFamily& rendered = out.families.emplace(name, RenderFamily(family, target, options, out)).first->second;
    AddDeflated(rendered, deflater ? &*deflater : nullptr);
  }
  return out;
}

}  // namespace cc
