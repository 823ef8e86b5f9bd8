#include "core/exposition.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "core/text_format.h"
#include "model/metrics.h"

namespace cc {
namespace {

// The label set of a sample as written (escaped, UTF-8 repaired) but in name
// order: two samples that would be the same series to Prometheus have the same
// key. Made only to confirm a duplicate the hash found.
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

// HELP and TYPE of `def`, kept for the life of the process. Metric definitions are
// constants (model/snapshot.h), so there are as many texts as families in the code.
std::string_view SharedHeader(const MetricDef& def) {
  static std::mutex mu;
  static std::map<const MetricDef*, std::string> headers;  // a node's text never moves
  std::lock_guard lock(mu);
  auto [it, inserted] = headers.try_emplace(&def);
  if (inserted) text_format::AppendHeader(it->second, def);
  return it->second;
}

// The piece is kept only if it is shorter than the text: a gzip scrape stores the text
// of the others, which costs it a copy (as a plain scrape) and no memory in between.
void AddDeflated(RenderedFamily& family, PieceDeflater* deflater) {
  if (deflater == nullptr || family.series.empty()) return;
  DeflatePiece piece = deflater->Deflate(family.series);
  if (piece.data.size() < family.series.size()) family.series_deflated = std::move(piece);
}

// The label sets written so far in one family, by their order-free hash (text_format::
// AppendSample): an open-addressing table of 8-byte slots (the hash's high half, the
// sample's index), placed by the low half; no allocation per sample. Equal hashes are
// confirmed with `same`, so a rare collision of two different sets never drops a series.
class SeenLabelSets {
 public:
  explicit SeenLabelSets(std::size_t samples) : slots_(std::bit_ceil(samples * 2 + 2)) {}

  // Whether a set equal to sample `index`'s was seen (`same(first)` says which is equal);
  // if not, it is remembered.
  template <class Same>
  bool SeenOrAdd(std::uint64_t hash, std::size_t index, Same same) {
    const auto tag = static_cast<std::uint32_t>(hash >> 32) | 1;  // 0 marks an empty slot
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.tag == 0) {
        slot = {tag, static_cast<std::uint32_t>(index)};
        return false;
      }
      if (slot.tag == tag && same(slot.index)) return true;
    }
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index = 0;  // a family of 2^32 samples would not fit in memory anyway
  };
  std::vector<Slot> slots_;
};

RenderedFamily RenderFamily(const FamilySamples& family, std::string_view target, const RenderOptions& options,
                            Rendered& out) {
  const std::size_t limit = options.label_value_length_limit;
  const bool select = options.agent_labels != nullptr && family.def->name == metrics::agent_info.name;
  // Sample i's labels as written, in `labels` (decoded into strings reused sample after sample).
  const auto labels_of = [&](std::size_t i, Labels& labels) {
    family.samples.LabelsOf(i, labels);
    if (select) labels = SelectAgentLabels(labels, *options.agent_labels);
  };
  RenderedFamily rendered;
  rendered.header = SharedHeader(*family.def);
  // Room for all lines at the first kProbe lines' average length: a guess too short
  // would double the buffer, and the shrink below would copy it.
  constexpr std::size_t kProbe = 64;
  const std::size_t samples = family.samples.size();
  SeenLabelSets seen(samples);
  std::vector<const Labels::value_type*> scratch;
  Labels labels;
  Labels earlier;
  for (std::size_t i = 0; i < samples; ++i) {
    if (i == kProbe) rendered.series.reserve(rendered.series.size() * samples / kProbe * 17 / 16);
    labels_of(i, labels);
    if (const std::string* label = TooLongLabel(labels, limit)) {
      if (out.too_long_dropped++ == 0) out.too_long_label = *label;
      continue;
    }
    const std::size_t line = rendered.series.size();
    const std::uint64_t hash =
        text_format::AppendSample(rendered.series, family.def->name, target, labels, family.samples.value(i));
    const auto same = [&](std::size_t first) {
      labels_of(first, earlier);
      return LabelSetKey(earlier, scratch) == LabelSetKey(labels, scratch);
    };
    if (seen.SeenOrAdd(hash, i, same)) {
      rendered.series.resize(line);
      ++out.duplicates_dropped;
      continue;
    }
    ++out.series;
  }
  // What the reservation overshot would be kept for as long as this text is served.
  if (rendered.series.capacity() - rendered.series.size() > rendered.series.size() / 8) rendered.series.shrink_to_fit();
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
