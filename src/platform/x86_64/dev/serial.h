/* COM1 (the console) and COM2 (the kernel log, when asked) 16550 UARTs, polled output
 * (PC16550D datasheet). */
#ifndef RTJS_SERIAL_H
#define RTJS_SERIAL_H
#include <stddef.h>

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8 /* the PC's second serial port (IBM PC/AT technical reference) */

void serial_init(void);
void serial_write(const char *s, size_t n);
/* Sets up COM2; 1 if it is present (writes to a missing one are dropped). */
int serial_com2_init(void);
void serial_com2_write(const char *s, size_t n);
/* A received byte, or -1 when none is waiting. */
int serial_read(void);
/* Raise ISA IRQ 4 when a byte arrives (attach a handler with irq_attach_isa(4, ...) first;
 * the handler drains serial_read() until -1). */
void serial_rx_irq(int enable);

#endif
