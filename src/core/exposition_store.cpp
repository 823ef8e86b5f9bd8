#include "core/exposition_store.h"

#include <vector>

namespace cc {

void ExpositionStore::Put(const std::string& target, const std::string& collector, std::shared_ptr<const Rendered> data,
                          Clock::time_point expires) {
  std::lock_guard lock(mu_);
  entries_[{target, collector}] = Entry{std::move(data), expires};
}

void ExpositionStore::Retain(const std::set<Key>& keep) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return !keep.contains(kv.first); });
}

void ExpositionStore::Write(std::string& out, Clock::time_point now, std::string_view only_target) const {
  std::vector<std::shared_ptr<const Rendered>> live;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, entry] : entries_) {
      if (entry.expires <= now) continue;
      if (!only_target.empty() && key.first != only_target) continue;
      live.push_back(entry.data);
    }
  }
  // Family names in order, each with the first header seen for it.
  std::map<std::string_view, const std::string*> headers;
  std::size_t total = 0;
  for (const auto& r : live) {
    for (const auto& [name, family] : r->families) {
      headers.try_emplace(name, &family.header);
      total += family.series.size();
    }
  }
  out.reserve(out.size() + total + headers.size() * 160);
  for (const auto& [name, header] : headers) {
    out += *header;
    for (const auto& r : live) {
      auto it = r->families.find(name);
      if (it != r->families.end()) out += it->second.series;
    }
  }
}

}  // namespace cc
