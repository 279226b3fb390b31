/*
 * MC146818A RTC. Register map and bits: Motorola MC146818A datasheet, "Address Map" and
 * registers A-D; OSDev "CMOS" and "RTC".
 */
#include "rtc.h"

#include <string.h>
#include <time.h>

#include "trace.h"

/* Time and alarm registers (datasheet address map). */
#define REG_SECONDS 0x00
#define REG_SECONDS_ALARM 0x01
#define REG_MINUTES 0x02
#define REG_MINUTES_ALARM 0x03
#define REG_HOURS 0x04
#define REG_HOURS_ALARM 0x05
#define REG_DAY_OF_WEEK 0x06
#define REG_DAY_OF_MONTH 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define REG_CENTURY 0x32 /* IBM PC/AT convention, named in the ACPI FADT "CENTURY" field */

#define A_UIP 0x80 /* update in progress: set 244 us before each update */
#define A_DV_MASK 0x70 /* divider chain: 010 = 32.768 kHz time base, running */
#define A_DV_NORMAL 0x20
#define A_RS_MASK 0x0f /* periodic rate select */
#define B_SET 0x80 /* halt updates while the guest sets the time */
#define B_PIE 0x40 /* periodic interrupt enable */
#define B_AIE 0x20 /* alarm interrupt enable */
#define B_UIE 0x10 /* update-ended interrupt enable */
#define B_DM 0x04 /* data mode: 1 binary, 0 BCD */
#define B_24H 0x02 /* 1: 24-hour mode; 0: 12-hour with bit 7 of hours = PM */
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10
#define D_VRT 0x80 /* valid RAM and time: the battery is good */
#define HOURS_PM 0x80
#define ALARM_DONT_CARE 0xc0 /* alarm byte 11xxxxxx matches any value */
#define INDEX_NMI_DISABLE 0x80 /* bit 7 of port 0x70 masks NMI on real boards */

#define UIP_WINDOW_NS 244000 /* datasheet: UIP rises 244 us before the update cycle */
#define RTC_BASE_HZ 32768

static struct tm guest_tm(struct rtc_state *s, int64_t *frac_ns)
{
	int64_t now = sim_wall_ns(s->m) + s->offset_ns;
	time_t secs = (time_t)(now / SIM_NS_PER_SEC);
	if (frac_ns)
		*frac_ns = now % SIM_NS_PER_SEC;
	struct tm tm;
	gmtime_r(&secs, &tm);
	return tm;
}

static uint8_t to_bcd(int v)
{
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static int from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t encode(struct rtc_state *s, int v)
{
	return (s->cmos[REG_B] & B_DM) ? (uint8_t)v : to_bcd(v);
}

static int decode(struct rtc_state *s, uint8_t v)
{
	return (s->cmos[REG_B] & B_DM) ? v : from_bcd(v);
}

static uint8_t encode_hours(struct rtc_state *s, int hour)
{
	if (s->cmos[REG_B] & B_24H)
		return encode(s, hour);
	int h12 = hour % 12 == 0 ? 12 : hour % 12;
	return encode(s, h12) | (hour >= 12 ? HOURS_PM : 0);
}

static int decode_hours(struct rtc_state *s, uint8_t v)
{
	if (s->cmos[REG_B] & B_24H)
		return decode(s, v);
	int h = decode(s, v & ~HOURS_PM) % 12;
	return (v & HOURS_PM) ? h + 12 : h;
}

/* Copies the current guest time into the time registers (skipped while SET holds them). */
static void rtc_latch_time(struct rtc_state *s)
{
	if (s->cmos[REG_B] & B_SET)
		return;
	struct tm tm = guest_tm(s, NULL);
	s->cmos[REG_SECONDS] = encode(s, tm.tm_sec);
	s->cmos[REG_MINUTES] = encode(s, tm.tm_min);
	s->cmos[REG_HOURS] = encode_hours(s, tm.tm_hour);
	s->cmos[REG_DAY_OF_WEEK] = encode(s, tm.tm_wday + 1); /* 1 = Sunday */
	s->cmos[REG_DAY_OF_MONTH] = encode(s, tm.tm_mday);
	s->cmos[REG_MONTH] = encode(s, tm.tm_mon + 1);
	s->cmos[REG_YEAR] = encode(s, tm.tm_year % 100);
	s->cmos[REG_CENTURY] = encode(s, (tm.tm_year + 1900) / 100);
}

/* The guest wrote the time registers: the new guest time becomes an offset from the host's. */
static void rtc_set_offset_from_registers(struct rtc_state *s)
{
	struct tm tm = { 0 };
	tm.tm_sec = decode(s, s->cmos[REG_SECONDS]);
	tm.tm_min = decode(s, s->cmos[REG_MINUTES]);
	tm.tm_hour = decode_hours(s, s->cmos[REG_HOURS]);
	tm.tm_mday = decode(s, s->cmos[REG_DAY_OF_MONTH]);
	tm.tm_mon = decode(s, s->cmos[REG_MONTH]) - 1;
	tm.tm_year = decode(s, s->cmos[REG_CENTURY]) * 100 + decode(s, s->cmos[REG_YEAR]) - 1900;
	time_t t = timegm(&tm);
	s->offset_ns = (int64_t)t * SIM_NS_PER_SEC - sim_wall_ns(s->m);
}

static void rtc_update_irq(struct rtc_state *s)
{
	uint8_t b = s->cmos[REG_B], c = s->cmos[REG_C] & ~C_IRQF;
	if ((c & C_PF && b & B_PIE) || (c & C_AF && b & B_AIE) || (c & C_UF && b & B_UIE))
		c |= C_IRQF;
	s->cmos[REG_C] = c;
	sim_irq_set(&s->irq, c & C_IRQF);
}

/* Rate select 1 and 2 give 256 and 128 Hz like 8 and 9 (datasheet table 3 with a 32.768 kHz
 * time base); 0 turns the periodic flag off. */
static uint64_t periodic_period_ns(struct rtc_state *s)
{
	unsigned rs = s->cmos[REG_A] & A_RS_MASK;
	if (rs == 0 || (s->cmos[REG_A] & A_DV_MASK) != A_DV_NORMAL)
		return 0;
	if (rs < 3)
		rs += 7;
	return (uint64_t)SIM_NS_PER_SEC * (1u << (rs - 1)) / RTC_BASE_HZ;
}

/* Periodic flags are only produced while PIE is set, so an idle RTC costs no timer events. */
static void rtc_arm_timers(struct rtc_state *s)
{
	uint64_t period = periodic_period_ns(s);
	if (period && (s->cmos[REG_B] & B_PIE)) {
		s->next_periodic_ns = sim_now_ns(s->m) + period;
		sim_timer_mod(s->m, &s->periodic_timer, s->next_periodic_ns);
	} else {
		sim_timer_del(s->m, &s->periodic_timer);
	}
	if (s->cmos[REG_B] & (B_UIE | B_AIE) && !(s->cmos[REG_B] & B_SET)) {
		int64_t frac;
		guest_tm(s, &frac);
		sim_timer_mod(s->m, &s->update_timer, sim_now_ns(s->m) + (uint64_t)(SIM_NS_PER_SEC - frac));
	} else {
		sim_timer_del(s->m, &s->update_timer);
	}
}

static void rtc_periodic_tick(void *opaque)
{
	struct rtc_state *s = opaque;
	pthread_mutex_lock(&s->lock);
	s->cmos[REG_C] |= C_PF;
	rtc_update_irq(s);
	uint64_t period = periodic_period_ns(s);
	if (period && (s->cmos[REG_B] & B_PIE)) {
		s->next_periodic_ns += period;
		sim_timer_mod(s->m, &s->periodic_timer, s->next_periodic_ns);
	}
	pthread_mutex_unlock(&s->lock);
}

static int alarm_matches(uint8_t alarm, uint8_t now)
{
	return (alarm & ALARM_DONT_CARE) == ALARM_DONT_CARE || alarm == now;
}

/* End of an update cycle: UF always; AF when seconds, minutes and hours match the alarm. */
static void rtc_update_tick(void *opaque)
{
	struct rtc_state *s = opaque;
	pthread_mutex_lock(&s->lock);
	rtc_latch_time(s);
	s->cmos[REG_C] |= C_UF;
	if (alarm_matches(s->cmos[REG_SECONDS_ALARM], s->cmos[REG_SECONDS]) &&
	    alarm_matches(s->cmos[REG_MINUTES_ALARM], s->cmos[REG_MINUTES]) &&
	    alarm_matches(s->cmos[REG_HOURS_ALARM], s->cmos[REG_HOURS]))
		s->cmos[REG_C] |= C_AF;
	rtc_update_irq(s);
	rtc_arm_timers(s);
	pthread_mutex_unlock(&s->lock);
}

int rtc_init(struct rtc_state *s, struct sim_machine *m)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	s->m = m;
	int rc = sim_irq_init(&s->irq, m, RTC_IRQ);
	if (!rc)
		rc = sim_timer_init(m, &s->periodic_timer, rtc_periodic_tick, s);
	if (!rc)
		rc = sim_timer_init(m, &s->update_timer, rtc_update_tick, s);
	if (rc)
		return rc;
	rtc_reset(s);
	static const struct sim_io_ops ops = { rtc_read, rtc_write };
	return sim_port_register(m, RTC_PORT_BASE, 2, &ops, s);
}

void rtc_destroy(struct rtc_state *s)
{
	sim_timer_del(s->m, &s->periodic_timer);
	sim_timer_del(s->m, &s->update_timer);
	pthread_mutex_destroy(&s->lock);
}

/* Power-on values of a PC BIOS: 32.768 kHz base with 1024 Hz rate, BCD, 24-hour. CMOS RAM
 * survives a reset on real boards; here it starts zeroed. The guest-set offset is kept. */
void rtc_reset(struct rtc_state *s)
{
	pthread_mutex_lock(&s->lock);
	s->cmos[REG_A] = A_DV_NORMAL | 0x06;
	s->cmos[REG_B] = B_24H;
	s->cmos[REG_C] = 0;
	s->cmos[REG_D] = D_VRT;
	s->index = 0;
	rtc_arm_timers(s);
	rtc_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

static uint8_t rtc_read_reg(struct rtc_state *s, uint8_t reg)
{
	switch (reg) {
	case REG_SECONDS: case REG_MINUTES: case REG_HOURS: case REG_DAY_OF_WEEK:
	case REG_DAY_OF_MONTH: case REG_MONTH: case REG_YEAR: case REG_CENTURY:
		rtc_latch_time(s);
		return s->cmos[reg];
	case REG_A: {
		/* UIP is computed from where the guest clock is within its second. */
		int64_t frac;
		guest_tm(s, &frac);
		int uip = !(s->cmos[REG_B] & B_SET) && frac >= SIM_NS_PER_SEC - UIP_WINDOW_NS;
		return (s->cmos[REG_A] & ~A_UIP) | (uip ? A_UIP : 0);
	}
	case REG_C: {
		/* Reading C clears every flag and lowers the IRQ (datasheet, register C). */
		uint8_t c = s->cmos[REG_C];
		s->cmos[REG_C] = 0;
		rtc_update_irq(s);
		return c;
	}
	default:
		return s->cmos[reg];
	}
}

static void rtc_write_reg(struct rtc_state *s, uint8_t reg, uint8_t v)
{
	switch (reg) {
	case REG_SECONDS: case REG_MINUTES: case REG_HOURS: case REG_DAY_OF_WEEK:
	case REG_DAY_OF_MONTH: case REG_MONTH: case REG_YEAR: case REG_CENTURY:
		/* Without SET, time registers take effect at once; with SET, when SET is cleared. */
		rtc_latch_time(s);
		s->cmos[reg] = v;
		if (!(s->cmos[REG_B] & B_SET))
			rtc_set_offset_from_registers(s);
		break;
	case REG_A:
		s->cmos[REG_A] = v & ~A_UIP; /* UIP is read-only */
		rtc_arm_timers(s);
		break;
	case REG_B: {
		uint8_t old = s->cmos[REG_B];
		if (!(old & B_SET))
			rtc_latch_time(s); /* freeze the current time under SET */
		s->cmos[REG_B] = v;
		if ((old & B_SET) && !(v & B_SET))
			rtc_set_offset_from_registers(s);
		rtc_arm_timers(s);
		rtc_update_irq(s);
		break;
	}
	case REG_C: case REG_D:
		sim_trace("rtc", "write 0x%02x to read-only register %c ignored", v, 'A' + reg - REG_A);
		break;
	default:
		s->cmos[reg] = v; /* battery-backed CMOS RAM */
		break;
	}
}

uint32_t rtc_read(void *opaque, uint32_t offset, unsigned size)
{
	struct rtc_state *s = opaque;
	if (size != 1) {
		sim_trace("rtc", "%u-byte read at port 0x%x", size, RTC_PORT_BASE + offset);
		return 0xffffffffu;
	}
	pthread_mutex_lock(&s->lock);
	/* The index port is write-only on real chipsets; it reads back as floating bus. */
	uint32_t v = offset == 0 ? 0xff : rtc_read_reg(s, s->index);
	pthread_mutex_unlock(&s->lock);
	return v;
}

void rtc_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct rtc_state *s = opaque;
	if (size != 1) {
		sim_trace("rtc", "%u-byte write 0x%x at port 0x%x", size, value, RTC_PORT_BASE + offset);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (offset == 0)
		s->index = value & ~INDEX_NMI_DISABLE & (RTC_CMOS_SIZE - 1);
	else
		rtc_write_reg(s, s->index, (uint8_t)value);
	pthread_mutex_unlock(&s->lock);
}
