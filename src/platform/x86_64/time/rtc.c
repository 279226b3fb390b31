/* CMOS real-time clock (MC146818A datasheet; OSDev "CMOS"). */
#include <stdint.h>
#include "cpu/cpu.h"
#include "time/clock.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_DISABLE 0x80
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define STATUS_A_UPDATING 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOUR_PM 0x80
#define READ_ATTEMPTS 10

struct rtc_time {
	uint8_t sec, min, hour, day, month, year, century;
};

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_DISABLE | reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t, uint8_t century_reg)
{
	while (cmos(RTC_STATUS_A) & STATUS_A_UPDATING)
		;
	t->sec = cmos(RTC_SECONDS);
	t->min = cmos(RTC_MINUTES);
	t->hour = cmos(RTC_HOURS);
	t->day = cmos(RTC_DAY);
	t->month = cmos(RTC_MONTH);
	t->year = cmos(RTC_YEAR);
	t->century = century_reg ? cmos(century_reg) : 0;
}

static int same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
	       a->month == b->month && a->year == b->year && a->century == b->century;
}

static int bcd(uint8_t v) { return (v & 0x0f) + (v >> 4) * 10; }

/* Reads until two consecutive reads agree (an update may land between registers). */
void rtc_read_epoch(int64_t *seconds, uint8_t century_reg)
{
	struct rtc_time a, b;
	read_raw(&a, century_reg);
	for (int i = 0; i < READ_ATTEMPTS; i++) {
		read_raw(&b, century_reg);
		if (same(&a, &b))
			break;
		a = b;
	}
	uint8_t status = cmos(RTC_STATUS_B);
	int pm = !(status & STATUS_B_24H) && (a.hour & HOUR_PM);
	a.hour &= ~HOUR_PM;
	int sec = a.sec, min = a.min, hour = a.hour, day = a.day, mon = a.month, yr = a.year,
	    cen = a.century;
	if (!(status & STATUS_B_BINARY)) {
		sec = bcd(a.sec), min = bcd(a.min), hour = bcd(a.hour), day = bcd(a.day);
		mon = bcd(a.month), yr = bcd(a.year), cen = bcd(a.century);
	}
	if (!(status & STATUS_B_24H))
		hour = hour % 12 + (pm ? 12 : 0);
	int year = cen ? cen * 100 + yr : 2000 + yr;
	*seconds = rtc_to_epoch(year, mon, day, hour, min, sec);
}
