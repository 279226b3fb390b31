#include "resources.h"

#include <algorithm>
#include <cstdio>

namespace rtjs {

// x86 has 64 Ki I/O ports; physical addresses are at most 52 bits wide (Intel SDM vol. 1,
// 3.3.6: MAXPHYADDR <= 52).
static constexpr uint64_t kPortSpace = 0x10000;
static constexpr uint64_t kPhysSpace = 1ull << 52;
// ISA IRQs 0-15 and the IOAPIC's 24 inputs (the 82093AA has 24).
static constexpr unsigned kIrqLines = 24;

Resources Resources::All()
{
	Resources r;
	r.ports.push_back({ 0, kPortSpace });
	r.memory.push_back({ 0, kPhysSpace });
	for (unsigned i = 0; i < kIrqLines; i++)
		r.irqs.push_back(i);
	r.dma = true;
	return r;
}

static bool AnyContains(const std::vector<Range> &v, uint64_t base, uint64_t len)
{
	return std::any_of(v.begin(), v.end(), [&](const Range &r) { return r.Contains(base, len); });
}

bool Resources::HasPorts(uint64_t base, uint64_t len) const
{
	return AnyContains(ports, base, len);
}

bool Resources::HasMemory(uint64_t base, uint64_t len) const
{
	return AnyContains(memory, base, len);
}

bool Resources::HasIrq(unsigned irq) const
{
	return std::find(irqs.begin(), irqs.end(), irq) != irqs.end();
}

std::string HexAddress(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return buf;
}

std::string Resources::Covers(const Resources &want) const
{
	for (const Range &r : want.ports)
		if (!HasPorts(r.base, r.len))
			return "I/O ports " + HexAddress(r.base) + "-" + HexAddress(r.base + r.len - 1);
	for (const Range &r : want.memory)
		if (!HasMemory(r.base, r.len))
			return "physical memory " + HexAddress(r.base) + "-" + HexAddress(r.base + r.len - 1);
	for (unsigned irq : want.irqs)
		if (!HasIrq(irq))
			return "IRQ " + std::to_string(irq);
	if (want.dma && !dma)
		return "DMA memory";
	return "";
}

}  // namespace rtjs
