/* The hosted platform's device half (src/platform/hosted/devices.c) against the real models:
 * options, IRQ delivery semantics, DMA allocation, scripted keys, concurrent port I/O. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "devices.h"
#include "platform/platform.h"

void platform_shutdown(void)
{
}

void platform_reboot(void)
{
	exit(0);
}

void platform_poweroff(int status)
{
	exit(status);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static atomic_int fired;
static void on_irq(void *ctx, unsigned irq)
{
	(void)ctx;
	(void)irq;
	atomic_fetch_add(&fired, 1);
}

static int wait_fired(int want)
{
	for (int i = 0; i < 200 && atomic_load(&fired) < want; i++)
		sleep_ms(2);
	return atomic_load(&fired);
}

static int setup(void **state)
{
	static char *args[] = { "rtjs-sim", "--headless", "--keys=ab", "--single-threaded", "app.js", "--trace", NULL };
	char *argv[7];
	memcpy(argv, args, sizeof argv);
	int argc = 6;
	assert_int_equal(sim_devices_init(&argc, argv), 0);
	/* Runtime options stay; after the app's path everything is the app's. */
	assert_int_equal(argc, 4);
	assert_string_equal(argv[1], "--single-threaded");
	assert_string_equal(argv[2], "app.js");
	assert_string_equal(argv[3], "--trace");
	assert_null(argv[4]);
	*state = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_devices_shutdown();
	sim_devices_shutdown(); /* twice is fine */
	return 0;
}

/* COM1 with IER=RX, OUT2: a received byte raises IRQ 4. */
static void com1_rx_irq_on(void)
{
	platform_port_out(0x3f9, 1, 0x01);
	platform_port_out(0x3fc, 1, 0x08);
}

static void test_irq_is_masked_until_ack_and_refires_while_high(void **state)
{
	(void)state;
	atomic_store(&fired, 0);
	com1_rx_irq_on();
	assert_int_equal(platform_irq_attach(4, on_irq, NULL), 0);
	assert_int_equal(platform_irq_attach(4, on_irq, NULL), -EBUSY);
	assert_int_equal(sim_devices_uart_input((const uint8_t *)"x", 1), 1);
	assert_int_equal(wait_fired(1), 1);
	sleep_ms(20);
	assert_int_equal(atomic_load(&fired), 1); /* masked: no second delivery before the ack */
	platform_irq_ack(4);                      /* data still there: the line is still high */
	assert_int_equal(wait_fired(2), 2);
	while (platform_port_in(0x3fd, 1) & 1)
		platform_port_in(0x3f8, 1);
	platform_irq_ack(4);
	sleep_ms(20);
	assert_int_equal(atomic_load(&fired), 2);
	platform_irq_detach(4);
}

static void test_dma_is_guest_ram_and_reusable(void **state)
{
	(void)state;
	void *a, *b, *c;
	uint64_t pa, pb, pc;
	assert_int_equal(platform_dma_alloc(5000, &a, &pa), 0);
	assert_int_equal(platform_dma_alloc(4096, &b, &pb), 0);
	assert_true(pa >= 0x100000 && pa % 4096 == 0);
	assert_int_equal(pb, pa + 8192); /* 5000 bytes took two pages */
	assert_ptr_equal(platform_phys_map(pa, 5000), a);
	memset(a, 0xab, 5000);
	platform_dma_free(a, 5000);
	assert_int_equal(platform_dma_alloc(8192, &c, &pc), 0);
	assert_int_equal(pc, pa);
	assert_int_equal(((uint8_t *)c)[100], 0); /* zeroed again */
	assert_int_equal(platform_dma_alloc(0, &c, &pc), -EINVAL);
	platform_dma_free(b, 4096);
	platform_dma_free(c, 8192);
}

static void test_vga_window_and_unmapped_ranges(void **state)
{
	(void)state;
	uint8_t *text = platform_phys_map(0xb8000, 4000);
	assert_non_null(text);
	assert_int_equal(text[1], 0x07);
	assert_null(platform_phys_map(0x40000000, 16)); /* beyond 64 MiB of RAM */
}

static void test_scripted_keys_wait_for_the_driver(void **state)
{
	(void)state;
	sleep_ms(30);
	assert_int_equal(platform_port_in(0x64, 1) & 1, 0); /* nothing typed: no handler on IRQ 1 */
	atomic_store(&fired, 0);
	assert_int_equal(platform_irq_attach(1, on_irq, NULL), 0);
	uint8_t got[8];
	unsigned n = 0;
	for (int i = 0; i < 500 && n < 4; i++) {
		if (platform_port_in(0x64, 1) & 1) {
			got[n++] = (uint8_t)platform_port_in(0x60, 1);
			platform_irq_ack(1);
		} else {
			sleep_ms(1);
		}
	}
	platform_irq_detach(1);
	assert_int_equal(n, 4);
	const uint8_t want[4] = { 0x1e, 0x9e, 0x30, 0xb0 }; /* a down, a up, b down, b up */
	assert_memory_equal(got, want, 4);
	assert_true(atomic_load(&fired) >= 1);
}

static void *port_hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		platform_port_out(0x70, 1, 0x00);
		platform_port_in(0x71, 1);
		platform_port_out(0xcf8, 4, 0x80000000u);
		if (platform_port_in(0xcfc, 4) != 0x12378086u)
			return (void *)1;
		platform_port_out(0x3d4, 2, 0x000e); /* CRTC cursor high, as a console would */
	}
	return NULL;
}

static atomic_int rtc_ticks;
/* Like a driver: read register C (lowers the line), then ack. Runs on the device thread. */
static void on_rtc(void *ctx, unsigned irq)
{
	(void)ctx;
	platform_port_out(0x70, 1, 0x0c);
	platform_port_in(0x71, 1);
	atomic_fetch_add(&rtc_ticks, 1);
	platform_irq_ack(irq);
}

/* PCI config access is two ports, so each thread must see its own address only if nobody else
 * writes in between: here both write the same address, so every read must match. Meanwhile
 * the RTC interrupts at 1024 Hz and its handler does port I/O from the device thread. */
static void test_concurrent_port_io(void **state)
{
	(void)state;
	assert_int_equal(platform_irq_attach(8, on_rtc, NULL), 0);
	platform_port_out(0x70, 1, 0x0b);
	platform_port_out(0x71, 1, 0x42); /* PIE, 24 h */
	pthread_t t[2];
	void *r[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, port_hammer, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], &r[i]);
	sleep_ms(50);
	platform_port_out(0x70, 1, 0x0b);
	platform_port_out(0x71, 1, 0x02);
	platform_irq_detach(8);
	assert_null(r[0]);
	assert_null(r[1]);
	assert_true(atomic_load(&rtc_ticks) >= 10); /* 50 ms at 1024 Hz is ~50 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irq_is_masked_until_ack_and_refires_while_high),
		cmocka_unit_test(test_dma_is_guest_ram_and_reusable),
		cmocka_unit_test(test_vga_window_and_unmapped_ranges),
		cmocka_unit_test(test_scripted_keys_wait_for_the_driver),
		cmocka_unit_test(test_concurrent_port_io),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
