// What an app's memory is: its V8 heap (objects, bytecode and compiled code) plus the
// ArrayBuffers it holds, which live outside the heap. Every app has an Account; the
// ArrayBuffer allocator of its isolate charges it, and a buffer transferred to another app
// is charged to the receiver from then on. An allocation that would take an app past its
// limit is refused (a RangeError the app may catch; uncaught, it ends the app for being out
// of memory). Internal to the binding.
#ifndef RTJS_ENGINE_MEMORY_H
#define RTJS_ENGINE_MEMORY_H

#include <v8.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace rtjs {

struct Account {
	size_t limit = 0;                      // bytes: heap + buffers
	std::atomic<size_t> buffers{ 0 };      // bytes of ArrayBuffers charged here
	std::atomic<size_t> heap{ 0 };         // heap in use, as last sampled
	// Called on the allocating thread when an allocation is refused.
	std::function<void(size_t wanted)> on_exceeded;

	size_t used() const { return buffers.load() + heap.load(); }
};

// The allocator for one isolate: zeroed or uninitialised blocks from the C heap (large ones
// through ipc-blocks.h's cache of blocks already touched), each charged to `account` (or to whichever app it was transferred to).
std::shared_ptr<v8::ArrayBuffer::Allocator> NewAccountedAllocator(std::shared_ptr<Account> account);

// The buffer `data` now belongs to `to`: its bytes move from its current account. Buffers the
// allocators did not make (device memory, DMA) are not charged to anyone and are ignored.
void RehomeBuffer(const void *data, const std::shared_ptr<Account> &to);

}  // namespace rtjs

#endif
