/*
 * 16550A UART (National Semiconductor PC16550D datasheet), COM1 at 0x3F8, ISA IRQ 4.
 * Transmitted bytes go to a sink; received bytes come from uart_receive (the terminal,
 * a file, a test).
 */
#ifndef RTJS_SIM_UART_H
#define RTJS_SIM_UART_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4
#define UART_FIFO_SIZE 16

/* Receives every byte the guest transmits (not in loopback). Called with the UART's lock
 * held: it must not call back into the UART. */
typedef void (*uart_sink_fn)(void *ctx, uint8_t byte);

struct uart_state {
	pthread_mutex_t lock;
	struct sim_machine *m;
	struct sim_irq irq;
	struct sim_timer timeout_timer; /* character timeout of the receive FIFO */
	int rx_timeout;                 /* 4 character times passed with data below the trigger */
	uint16_t divisor;
	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
	uint8_t rx_fifo[UART_FIFO_SIZE];
	unsigned rx_head, rx_count;
	int thr_interrupt; /* THR-empty interrupt pending (cleared by IIR read or THR write) */
	uart_sink_fn sink;
	void *sink_ctx;
};

int uart_init(struct uart_state *s, struct sim_machine *m, uint16_t base, unsigned irq);
void uart_reset(struct uart_state *s);
void uart_destroy(struct uart_state *s);
void uart_set_sink(struct uart_state *s, uart_sink_fn sink, void *ctx);
/* Feeds received bytes; returns how many fit in the receive FIFO (the rest are the
 * caller's to retry, as flow control would hold them). */
size_t uart_receive(struct uart_state *s, const uint8_t *bytes, size_t len);
uint32_t uart_read(void *opaque, uint32_t offset, unsigned size);
void uart_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);

#endif
