/* Power-off (ACPI S5) and reboot (ACPI 6.4, 4.8.3.2 PM1 control and 7.4.2 \_Sx). */
#include "acpi/acpi.h"
#include "acpi/power.h"
#include "cpu/cpu.h"
#include "lib/log.h"
#include "mm/paging.h"

#define DEBUG_EXIT_PORT 0xf4 /* QEMU isa-debug-exit (scripts/qemu-run) */
#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN (1u << 13)
#define ACPI_ENABLE_SPINS 1000000
#define SETTLE_SPINS 10000000
#define KBC_STATUS 0x64
#define KBC_INPUT_FULL 0x02
#define KBC_PULSE_RESET 0xfe
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

static void acpi_enable_mode(const struct acpi_info *ai)
{
	if (inw((uint16_t)ai->pm1a_cnt) & PM1_SCI_EN)
		return;
	if (!ai->smi_cmd || !ai->acpi_enable)
		return;
	outb((uint16_t)ai->smi_cmd, ai->acpi_enable);
	for (int i = 0; i < ACPI_ENABLE_SPINS && !(inw((uint16_t)ai->pm1a_cnt) & PM1_SCI_EN); i++)
		cpu_pause();
}

static void acpi_sleep_s5(void)
{
	const struct acpi_info *ai = acpi_get();
	if (!ai->have_fadt || !ai->have_s5 || !ai->pm1a_cnt) {
		kprintf("power: ACPI S5 unavailable (FADT %d, \\_S5 %d)\n", ai->have_fadt, ai->have_s5);
		return;
	}
	acpi_enable_mode(ai);
	outw((uint16_t)ai->pm1a_cnt, (uint16_t)((ai->slp_typa << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
	if (ai->pm1b_cnt)
		outw((uint16_t)ai->pm1b_cnt, (uint16_t)((ai->slp_typb << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
	for (int i = 0; i < SETTLE_SPINS; i++)
		cpu_pause();
	kprintf("power: ACPI S5 did not power off\n");
}

/* Status 0 is an ordinary power-off (ACPI S5). Any other status goes to QEMU's debug-exit
 * port first, where there is one, so that the status reaches whoever started QEMU; then the
 * machine is powered off all the same (S5), the status kept in the log line above. */
void power_off(int status)
{
	irq_disable();
	kprintf("rtjs: power-off status=%d\n", status);
	if (status == POWER_STATUS_OK)
		acpi_sleep_s5();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	if (status != POWER_STATUS_OK)
		acpi_sleep_s5();
	kprintf("power: could not power off; halted\n");
	cpu_stop();
}

static void pci_config_write8(uint64_t addr, uint8_t v)
{
	/* GAS PCI address: device bits 32-47, function 16-31, offset 0-15, bus 0. */
	uint32_t dev = (addr >> 32) & 0x1f, fn = (addr >> 16) & 0x7, off = addr & 0xff;
	outl(PCI_CONFIG_ADDRESS, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc));
	outb((uint16_t)(PCI_CONFIG_DATA + (off & 3)), v);
}

static void reset_register(void)
{
	const struct acpi_info *ai = acpi_get();
	if (!ai->have_fadt || !ai->reset_supported)
		return;
	const struct acpi_gas *g = &ai->reset_reg;
	kprintf("power: reset through the FADT reset register (space %u, address %lx)\n", g->space, g->address);
	if (g->space == ACPI_GAS_IO) {
		outb((uint16_t)g->address, ai->reset_value);
	} else if (g->space == ACPI_GAS_MEMORY) {
		volatile uint8_t *p = vm_map_device(g->address, 1);
		if (p)
			*p = ai->reset_value;
	} else if (g->space == ACPI_GAS_PCI) {
		pci_config_write8(g->address, ai->reset_value);
	}
	for (int i = 0; i < SETTLE_SPINS; i++)
		cpu_pause();
}

void power_reboot(void)
{
	irq_disable();
	kprintf("rtjs: reboot\n");
	reset_register();
	kprintf("power: reset through the keyboard controller\n");
	for (int i = 0; i < ACPI_ENABLE_SPINS && (inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
		cpu_pause();
	outb(KBC_STATUS, KBC_PULSE_RESET);
	for (int i = 0; i < SETTLE_SPINS; i++)
		cpu_pause();
	/* Last resort: a triple fault through an empty IDT. */
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } empty = { 0, 0 };
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	cpu_stop();
}
