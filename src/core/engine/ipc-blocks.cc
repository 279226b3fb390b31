// The cache of large blocks already touched (ipc-blocks.h).
#include "ipc-blocks.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtjs {

// A large block's capacity is its size and kSlack rounded up to kGrain, so that the
// serializer's buffer for a value (the value's bytes and a few of framing, grown by V8 in
// steps of 64 bytes) and the ArrayBuffer read from it have the same capacity and can take
// each other's place.
static constexpr size_t kGrain = (size_t)64 << 10;
static constexpr size_t kSlack = (size_t)4 << 10;

namespace {

struct Cache {
	std::mutex mu;
	std::unordered_map<const void *, size_t> capacity;   // every large block handed out or cached
	std::vector<std::pair<void *, size_t>> idle;         // cached blocks, least recently freed first
	size_t idle_bytes = 0;
};

}  // namespace

// Never destroyed: buffers may be freed after static destructors ran.
static Cache *const g_cache = new Cache();

static size_t CapacityFor(size_t size)
{
	return (size + kSlack + kGrain - 1) / kGrain * kGrain;
}

void *IpcBlockAlloc(size_t size, bool zeroed)
{
	if (size < kIpcBlockMin)
		return zeroed ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	size_t want = CapacityFor(size);
	{
		std::lock_guard<std::mutex> lock(g_cache->mu);
		auto &idle = g_cache->idle;
		// The smallest fitting block wasting at most a quarter of it; of equals the warmest.
		size_t best = idle.size();
		for (size_t i = idle.size(); i-- > 0;) {
			size_t cap = idle[i].second;
			if (cap >= want && cap - want <= want / 4 && (best == idle.size() || cap < idle[best].second))
				best = i;
		}
		if (best != idle.size()) {
			void *p = idle[best].first;
			g_cache->idle_bytes -= idle[best].second;
			idle.erase(idle.begin() + (std::ptrdiff_t)best);
			if (zeroed)
				memset(p, 0, size);
			return p;
		}
	}
	// Fresh memory from calloc is zero without a write (its pages are mapped on first touch).
	void *p = zeroed ? calloc(1, want) : malloc(want);
	if (!p)
		return nullptr;
	std::lock_guard<std::mutex> lock(g_cache->mu);
	g_cache->capacity[p] = want;
	return p;
}

void IpcBlockFree(void *p)
{
	if (!p)
		return;
	std::vector<void *> dropped;
	{
		std::lock_guard<std::mutex> lock(g_cache->mu);
		auto it = g_cache->capacity.find(p);
		if (it == g_cache->capacity.end()) {
			dropped.push_back(p);
		} else {
			size_t cap = it->second;
			auto &idle = g_cache->idle;
			if (cap > kIpcBlockCache) {
				g_cache->capacity.erase(it);
				dropped.push_back(p);
			} else {
				size_t drop = 0;
				while (g_cache->idle_bytes + cap > kIpcBlockCache) {
					g_cache->idle_bytes -= idle[drop].second;
					g_cache->capacity.erase(idle[drop].first);
					dropped.push_back(idle[drop].first);
					drop++;
				}
				idle.erase(idle.begin(), idle.begin() + (std::ptrdiff_t)drop);
				idle.emplace_back(p, cap);
				g_cache->idle_bytes += cap;
			}
		}
	}
	// Unmapping a large block takes the process's memory lock: outside the cache's.
	for (void *d : dropped)
		free(d);
}

}  // namespace rtjs
