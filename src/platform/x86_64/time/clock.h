/* Clocks: a TSC-based monotonic clock calibrated against the PIT, and wall time from
 * the CMOS RTC read at boot. Any CPU, any context, after clock_init. */
#ifndef RTJS_CLOCK_H
#define RTJS_CLOCK_H
#include <stdint.h>

#define NS_PER_SEC INT64_C(1000000000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_US INT64_C(1000)

uint64_t clock_monotonic_ns(void); /* since clock_init; never goes backwards */
int64_t clock_wall_ns(void);       /* ns since 1970-01-01 UTC */
uint64_t clock_tsc_hz(void);
uint64_t clock_tsc_to_ns(uint64_t tsc_delta);
/* What clock_monotonic_ns and clock_wall_ns compute from, for the program's vDSO:
 * monotonic = ((rdtsc - tsc0) * mult) >> 32, wall = wall_at_boot_ns + monotonic. */
void clock_parameters(uint64_t *tsc0, uint64_t *mult, int64_t *wall_at_boot_ns);
/* Busy-waits (interrupts untouched). */
void clock_delay_us(uint64_t us);

/* Kernel: calibrates the TSC and reads the RTC. */
void clock_init(void);
/* Kernel: the CMOS RTC as seconds since 1970 (century from CMOS register century_reg
 * when nonzero, from the FADT, else 20xx). */
void rtc_read_epoch(int64_t *seconds, uint8_t century_reg);

/* Pure: seconds since 1970-01-01 for a proleptic Gregorian UTC date. */
int64_t rtc_to_epoch(int year, int month, int day, int hour, int min, int sec);

#endif
