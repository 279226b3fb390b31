/* IOAPICs (82093AA datasheet, section 3.2). */
#include <errno.h>
#include "acpi/acpi.h"
#include "cpu/spinlock.h"
#include "intr/apic.h"
#include "lib/log.h"
#include "mm/paging.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_REDIR 0x10 /* + 2 * input: low dword, then high dword */
#define REDIR_MASKED (1u << 16)
#define REDIR_LEVEL (1u << 15)
#define REDIR_ACTIVE_LOW (1u << 13)
#define DEFAULT_IOAPIC_ADDR 0xfec00000u /* when there is no MADT (PC convention) */

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned inputs;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned count;
static spinlock_t lock = SPINLOCK_INIT(IOAPIC, "ioapic");

static uint32_t rd(struct ioapic *a, uint32_t reg)
{
	a->regs[IOREGSEL / 4] = reg;
	return a->regs[IOWIN / 4];
}

static void wr(struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[IOREGSEL / 4] = reg;
	a->regs[IOWIN / 4] = v;
}

static void add(uint32_t addr, uint32_t gsi_base)
{
	struct ioapic *a = &ioapics[count];
	a->regs = vm_map_device(addr, 0x20);
	if (!a->regs) {
		kprintf("ioapic: cannot map %x, skipped\n", addr);
		return;
	}
	a->gsi_base = gsi_base;
	a->inputs = ((rd(a, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < a->inputs; i++) {
		wr(a, IOAPIC_REG_REDIR + 2 * i, REDIR_MASKED);
		wr(a, IOAPIC_REG_REDIR + 2 * i + 1, 0);
	}
	kprintf("ioapic: %x, GSIs %u-%u\n", addr, gsi_base, gsi_base + a->inputs - 1);
	count++;
}

void ioapic_init(void)
{
	const struct acpi_info *ai = acpi_get();
	if (!ai->have_madt || ai->ioapic_count == 0) {
		kprintf("ioapic: no IOAPIC in the MADT; assuming one at %x\n", DEFAULT_IOAPIC_ADDR);
		add(DEFAULT_IOAPIC_ADDR, 0);
		return;
	}
	for (unsigned i = 0; i < ai->ioapic_count; i++)
		add(ai->ioapics[i].address, ai->ioapics[i].gsi_base);
}

static struct ioapic *find(unsigned gsi, unsigned *input)
{
	for (unsigned i = 0; i < count; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].inputs) {
			*input = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

int ioapic_route(unsigned gsi, uint8_t vector, int level, int active_low, uint32_t dest, int masked)
{
	unsigned in;
	struct ioapic *a = find(gsi, &in);
	if (!a)
		return -ENODEV;
	uint32_t low = vector | (level ? REDIR_LEVEL : 0) | (active_low ? REDIR_ACTIVE_LOW : 0) |
		       (masked ? REDIR_MASKED : 0);
	uint64_t f = spin_lock(&lock);
	wr(a, IOAPIC_REG_REDIR + 2 * in + 1, dest << 24);
	wr(a, IOAPIC_REG_REDIR + 2 * in, low);
	spin_unlock(&lock, f);
	return 0;
}

int ioapic_set_mask(unsigned gsi, int masked)
{
	unsigned in;
	struct ioapic *a = find(gsi, &in);
	if (!a)
		return -ENODEV;
	uint64_t f = spin_lock(&lock);
	uint32_t low = rd(a, IOAPIC_REG_REDIR + 2 * in);
	low = masked ? (low | REDIR_MASKED) : (low & ~REDIR_MASKED);
	wr(a, IOAPIC_REG_REDIR + 2 * in, low);
	spin_unlock(&lock, f);
	return 0;
}
