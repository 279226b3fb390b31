/* TSC clock calibrated against the HPET (IA-PC HPET spec 1.0a, 2.3) when ACPI lists one,
 * else against PIT channel 2 (8254 datasheet; OSDev "PIT"). */
#include "acpi/acpi.h"
#include "cpu/cpu.h"
#include "lib/log.h"
#include "mm/paging.h"
#include "time/clock.h"

#define HPET_CAPABILITIES 0x000 /* bits 63:32: counter period in femtoseconds */
#define HPET_CONFIG 0x010
#define HPET_CONFIG_ENABLE 1u
#define HPET_COUNTER 0x0f0
#define HPET_MAX_PERIOD_FS 100000000u /* the spec's upper bound (100 ns) */
#define FS_PER_S 1000000000000000ull

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH2_MODE0 0xb0 /* channel 2, lobyte/hibyte, mode 0 (terminal count), binary */
#define PORT_B 0x61            /* NMI status and control: bit 0 gate 2, bit 1 speaker, bit 5 OUT2 */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CALIBRATION_MS 10
#define CALIBRATION_RUNS 3

static uint64_t tsc_hz, tsc0, mult; /* ns = (delta * mult) >> 32 */
static int64_t wall_at_boot_ns;

/* TSC ticks during one PIT countdown of `ms` milliseconds. */
static uint64_t measure_once(unsigned ms)
{
	uint16_t count = (uint16_t)(PIT_HZ * ms / 1000);
	uint8_t b = inb(PORT_B) & ~(PORT_B_SPEAKER | PORT_B_GATE2);
	outb(PORT_B, b);
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	uint64_t start = rdtsc();
	outb(PORT_B, b | PORT_B_GATE2); /* counting starts with the gate */
	while (!(inb(PORT_B) & PORT_B_OUT2))
		;
	return rdtsc() - start;
}

static uint64_t hpet_read(volatile uint8_t *hpet, unsigned reg)
{
	return *(volatile uint64_t *)(hpet + reg);
}

/* TSC ticks per second against the HPET main counter over `ms` ms; 0 if unusable. */
static uint64_t calibrate_hpet(unsigned ms)
{
	const struct acpi_info *ai = acpi_get();
	if (!ai->have_hpet)
		return 0;
	volatile uint8_t *hpet = vm_map_device(ai->hpet_address, 0x400);
	if (!hpet)
		return 0;
	uint64_t period = hpet_read(hpet, HPET_CAPABILITIES) >> 32;
	if (period == 0 || period > HPET_MAX_PERIOD_FS) {
		kprintf("clock: HPET period %lu fs is invalid; using the PIT\n", period);
		return 0;
	}
	*(volatile uint64_t *)(hpet + HPET_CONFIG) |= HPET_CONFIG_ENABLE;
	uint64_t span = (uint64_t)ms * (FS_PER_S / 1000) / period;
	uint64_t h0 = hpet_read(hpet, HPET_COUNTER), t0 = rdtsc(), h1;
	while ((h1 = hpet_read(hpet, HPET_COUNTER)) - h0 < span)
		cpu_pause();
	uint64_t t1 = rdtsc();
	uint64_t ns = (h1 - h0) * period / 1000000; /* fs -> ns; 64-bit division only */
	return ns ? (t1 - t0) * NS_PER_SEC / ns : 0;
}

static uint64_t calibrate_pit(void)
{
	uint64_t t[CALIBRATION_RUNS];
	/* Insertion sort; the median run is immune to one run stretched by the host. */
	for (int i = 0; i < CALIBRATION_RUNS; i++) {
		uint64_t v = measure_once(CALIBRATION_MS);
		int j = i;
		for (; j > 0 && t[j - 1] > v; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
	return t[CALIBRATION_RUNS / 2] * (1000 / CALIBRATION_MS);
}

uint64_t clock_tsc_to_ns(uint64_t delta)
{
	return (uint64_t)(((unsigned __int128)delta * mult) >> 32);
}

uint64_t clock_monotonic_ns(void)
{
	return clock_tsc_to_ns(rdtsc() - tsc0);
}

int64_t clock_wall_ns(void)
{
	return wall_at_boot_ns + (int64_t)clock_monotonic_ns();
}

void clock_parameters(uint64_t *tsc0_out, uint64_t *mult_out, int64_t *wall_out)
{
	*tsc0_out = tsc0;
	*mult_out = mult;
	*wall_out = wall_at_boot_ns;
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

void clock_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + tsc_hz / 1000000 * us;
	while (rdtsc() < end)
		cpu_pause();
}

void clock_init(void)
{
	const char *source = "HPET";
	tsc_hz = calibrate_hpet(CALIBRATION_MS);
	if (!tsc_hz) {
		source = "PIT";
		tsc_hz = calibrate_pit();
	}
	if (tsc_hz < 1000000)
		panic("clock: TSC calibration failed (%lu Hz)", tsc_hz);
	mult = (uint64_t)(((unsigned __int128)NS_PER_SEC << 32) / tsc_hz);
	tsc0 = rdtsc();
	int64_t secs;
	rtc_read_epoch(&secs, acpi_get()->century);
	wall_at_boot_ns = secs * NS_PER_SEC;
	kprintf("clock: TSC %lu.%03lu MHz (against the %s), wall clock %ld s since 1970\n", tsc_hz / 1000000,
		tsc_hz / 1000 % 1000, source, secs);
}
