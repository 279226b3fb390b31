// The hardware an app may touch: I/O port ranges, physical memory ranges and IRQ lines
// (docs/design.md, "Hardware resources"). init holds everything; every other app holds what its
// parent granted it at spawn, which can only be a part of what the parent holds. The native
// binding checks every access against them, so a capability can be neither forged nor widened
// from JavaScript.
#ifndef RTJS_ENGINE_RESOURCES_H
#define RTJS_ENGINE_RESOURCES_H

#include <cstdint>
#include <string>
#include <vector>

namespace rtjs {

struct Range {
	uint64_t base, len;
	bool Contains(uint64_t b, uint64_t l) const
	{
		return l <= len && b >= base && b - base <= len - l;
	}
};

struct Resources {
	std::vector<Range> ports, memory;
	std::vector<unsigned> irqs;
	bool dma = false;

	static Resources All();
	bool HasPorts(uint64_t base, uint64_t len) const;
	bool HasMemory(uint64_t base, uint64_t len) const;
	bool HasIrq(unsigned irq) const;
	// "" if every part of `want` is held here, else what is not.
	std::string Covers(const Resources &want) const;
};

// "0x3f8": how error messages name ports and addresses.
std::string HexAddress(uint64_t v);

}  // namespace rtjs

#endif
