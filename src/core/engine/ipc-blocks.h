// Large blocks kept mapped for reuse: the memory of large messages between apps and of large
// ArrayBuffers. Internal to the binding.
//
// A block the C library maps fresh for a large allocation costs a page fault on the first
// touch of each of its pages, and on a virtual machine such a fault is far dearer than the
// copy it interrupts: measured on the development host (a pvm guest), copying 8 MiB into
// freshly mapped memory took 96-114 ms, into memory already touched 0.4-0.7 ms. A message
// carrying a copied 8 MiB typed array writes it into the serializer's buffer and reads it into
// the receiver's new ArrayBuffer, two fresh blocks per message that were unmapped again soon
// after. The blocks of at least kIpcBlockMin bytes are therefore taken from, and given back
// to, one process-wide cache of blocks already touched, at most kIpcBlockCache bytes of them.
#ifndef RTJS_ENGINE_IPC_BLOCKS_H
#define RTJS_ENGINE_IPC_BLOCKS_H

#include <cstddef>
#include <cstdint>

namespace rtjs {

// Blocks below this come from the C heap as they are: its own free lists keep small blocks
// touched, and glibc serves blocks below its mmap threshold (128 KiB at least) from its heap.
constexpr size_t kIpcBlockMin = (size_t)1 << 20;
// The most bytes the cache holds while no one uses them (least recently freed dropped first).
constexpr size_t kIpcBlockCache = (size_t)128 << 20;

// A block of at least `size` bytes, zeroed or not; null when out of memory. Blocks of
// kIpcBlockMin bytes or more come from the cache when it holds one of a fitting size.
void *IpcBlockAlloc(size_t size, bool zeroed = false);
// Frees `p` (null: nothing), a block from IpcBlockAlloc or from malloc: a cached block goes
// back to the cache, anything else to free().
void IpcBlockFree(void *p);
}  // namespace rtjs

#endif
