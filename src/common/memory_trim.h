#pragma once
// Gives memory freed by polls back to the system. A poll's transient peak (the
// vendor's body, its parsed document, the snapshot, the rendered text before it
// replaces the last one) is many times the data it leaves behind, and glibc keeps
// freed memory in each thread's malloc arena for reuse: without a trim the
// resident size settles at the sum of the peaks of every arena, not at the live
// data (bench/memory.sh, bench/RESULTS.md).

#include <chrono>

namespace cc {

// malloc_trim(0) (glibc, malloc_trim(3)): returns the free memory at the top of
// every arena and the free whole pages inside them, unless the last trim of the
// process was under `min_gap` ago (a trim walks every arena under its lock, so
// many targets finishing polls together pay for one). Thread-safe; a no-op on a
// C library without malloc_trim.
void TrimFreedMemory(std::chrono::steady_clock::duration min_gap = std::chrono::seconds(1));

// One malloc arena for the whole process (mallopt M_ARENA_MAX, glibc): each
// arena keeps its own freed peak, so with one per thread the polls' peaks add
// up; the exporter's threads allocate little at once, so they lose little to
// sharing one. Unless the environment sets MALLOC_ARENA_MAX (the operator's
// choice wins). Call at start, before any thread is made. Returns the arena
// limit in force ("1", or the environment's value).
const char* LimitMallocArenas();

}  // namespace cc
