/* COM1 16550 UART, polled output (PC16550D datasheet). */
#ifndef RTJS_SERIAL_H
#define RTJS_SERIAL_H
#include <stddef.h>

#define COM1_PORT 0x3f8

void serial_init(void);
void serial_write(const char *s, size_t n);
/* A received byte, or -1 when none is waiting. */
int serial_read(void);
/* Raise ISA IRQ 4 when a byte arrives (attach a handler with irq_attach_isa(4, ...) first;
 * the handler drains serial_read() until -1). */
void serial_rx_irq(int enable);

#endif
