/*
 * CMOS real-time clock (Motorola MC146818A as found in every PC): index port 0x70, data port
 * 0x71, interrupt on ISA IRQ 8. Time comes from the machine's wall clock plus an offset the
 * guest sets by writing the time registers.
 */
#ifndef RTJS_SIM_RTC_H
#define RTJS_SIM_RTC_H

#include <pthread.h>
#include <stdint.h>

#include "machine.h"

#define RTC_PORT_BASE 0x70
#define RTC_IRQ 8
#define RTC_CMOS_SIZE 128

struct rtc_state {
	pthread_mutex_t lock;
	struct sim_machine *m;
	struct sim_irq irq;
	struct sim_timer periodic_timer, update_timer;
	uint8_t cmos[RTC_CMOS_SIZE];
	uint8_t index;
	int64_t offset_ns; /* guest time = host wall clock + offset */
	uint64_t next_periodic_ns;
};

int rtc_init(struct rtc_state *s, struct sim_machine *m);
void rtc_reset(struct rtc_state *s);
void rtc_destroy(struct rtc_state *s);
uint32_t rtc_read(void *opaque, uint32_t offset, unsigned size);
void rtc_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);

#endif
