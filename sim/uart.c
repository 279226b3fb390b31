/*
 * 16550A model. Register map: PC16550D datasheet, table II (registers) and table IV
 * (interrupt control). Transmission is instantaneous: THR empties as soon as it is written;
 * reception keeps the datasheet's character timeout (4 character times at the set baud rate).
 */
#include "uart.h"

#include <string.h>

#include "trace.h"

#define REG_RBR_THR 0 /* DLAB=0: receive buffer / transmit holding; DLAB=1: divisor low */
#define REG_IER 1     /* DLAB=0: interrupt enable; DLAB=1: divisor high */
#define REG_IIR_FCR 2 /* read: interrupt identification; write: FIFO control */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_MODEM 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_CTI 0x0c /* character timeout: data below the trigger level */
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_TRIGGER_SHIFT 6

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08 /* on a PC, gates the UART's interrupt onto the ISA line */
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_ERRORS 0x1e

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_DELTAS 0x0f
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

#define UART_CLOCK_HZ 1843200 /* the PC's 1.8432 MHz crystal: 115200 baud at divisor 1 */
#define BITS_PER_CHAR 10       /* start, 8 data, stop */
#define TIMEOUT_CHARS 4

/* Receiver trigger levels for FCR bits 7:6 (datasheet, FCR description). */
static const unsigned rx_trigger_levels[4] = { 1, 4, 8, 14 };

static int fifo_on(const struct uart_state *s)
{
	return s->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const struct uart_state *s)
{
	return fifo_on(s) ? UART_FIFO_SIZE : 1;
}

/* Highest-priority pending interrupt, as IIR bits 3:0 (datasheet table IV). */
static uint8_t uart_pending(const struct uart_state *s)
{
	if ((s->ier & IER_ELSI) && (s->lsr & LSR_ERRORS))
		return IIR_RLS;
	if ((s->ier & IER_ERBFI) && s->rx_count) {
		unsigned trigger = fifo_on(s) ? rx_trigger_levels[s->fcr >> FCR_TRIGGER_SHIFT] : 1;
		if (s->rx_count >= trigger)
			return IIR_RDA;
		if (s->rx_timeout)
			return IIR_CTI;
	}
	if ((s->ier & IER_ETBEI) && s->thr_interrupt)
		return IIR_THRE;
	if ((s->ier & IER_EDSSI) && (s->msr & MSR_DELTAS))
		return IIR_MODEM;
	return IIR_NO_INT;
}

static void uart_update_irq(struct uart_state *s)
{
	sim_irq_set(&s->irq, uart_pending(s) != IIR_NO_INT && (s->mcr & MCR_OUT2));
}

static uint64_t char_time_ns(const struct uart_state *s)
{
	uint64_t divisor = s->divisor ? s->divisor : 1;
	return divisor * 16 * BITS_PER_CHAR * SIM_NS_PER_SEC / UART_CLOCK_HZ;
}

/* Any FIFO activity restarts the character timeout (datasheet, FIFO interrupt mode). */
static void rx_restart_timeout(struct uart_state *s)
{
	s->rx_timeout = 0;
	if (fifo_on(s) && s->rx_count)
		sim_timer_mod(s->m, &s->timeout_timer, sim_now_ns(s->m) + TIMEOUT_CHARS * char_time_ns(s));
	else
		sim_timer_del(s->m, &s->timeout_timer);
}

static void uart_timeout(void *opaque)
{
	struct uart_state *s = opaque;
	pthread_mutex_lock(&s->lock);
	s->rx_timeout = s->rx_count != 0;
	uart_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

static void rx_push(struct uart_state *s, uint8_t byte)
{
	if (s->rx_count == rx_capacity(s)) {
		s->lsr |= LSR_OE; /* the new byte is lost, as the datasheet says for a full FIFO */
		return;
	}
	s->rx_fifo[(s->rx_head + s->rx_count++) % UART_FIFO_SIZE] = byte;
	s->lsr |= LSR_DR;
	rx_restart_timeout(s);
}

static uint8_t rx_pop(struct uart_state *s)
{
	if (!s->rx_count)
		return 0;
	uint8_t byte = s->rx_fifo[s->rx_head];
	s->rx_head = (s->rx_head + 1) % UART_FIFO_SIZE;
	if (--s->rx_count == 0)
		s->lsr &= ~LSR_DR;
	rx_restart_timeout(s);
	return byte;
}

/* In loopback the modem inputs are wired to the modem outputs (datasheet, MCR bit 4). */
static uint8_t msr_inputs(const struct uart_state *s)
{
	if (!(s->mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD; /* a terminal that is always there */
	uint8_t in = 0;
	if (s->mcr & MCR_RTS) in |= MSR_CTS;
	if (s->mcr & MCR_DTR) in |= MSR_DSR;
	if (s->mcr & MCR_OUT1) in |= MSR_RI;
	if (s->mcr & MCR_OUT2) in |= MSR_DCD;
	return in;
}

static void msr_refresh(struct uart_state *s)
{
	uint8_t old = s->msr, in = msr_inputs(s), delta = 0;
	if ((old ^ in) & MSR_CTS) delta |= MSR_DCTS;
	if ((old ^ in) & MSR_DSR) delta |= MSR_DDSR;
	if ((old & MSR_RI) && !(in & MSR_RI)) delta |= MSR_TERI; /* trailing edge of RI */
	if ((old ^ in) & MSR_DCD) delta |= MSR_DDCD;
	s->msr = in | (old & MSR_DELTAS) | delta;
}

int uart_init(struct uart_state *s, struct sim_machine *m, uint16_t base, unsigned irq)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	s->m = m;
	int rc = sim_irq_init(&s->irq, m, irq);
	if (!rc)
		rc = sim_timer_init(m, &s->timeout_timer, uart_timeout, s);
	if (rc)
		return rc;
	uart_reset(s);
	static const struct sim_io_ops ops = { uart_read, uart_write };
	return sim_port_register(m, base, 8, &ops, s);
}

void uart_destroy(struct uart_state *s)
{
	sim_timer_del(s->m, &s->timeout_timer);
	pthread_mutex_destroy(&s->lock);
}

/* Master-reset values (datasheet table VI). The divisor is undefined there; 12 (9600 baud)
 * is what PC BIOSes leave. */
void uart_reset(struct uart_state *s)
{
	pthread_mutex_lock(&s->lock);
	s->divisor = 12;
	s->ier = s->lcr = s->mcr = s->fcr = s->scr = 0;
	s->lsr = LSR_THRE | LSR_TEMT;
	s->rx_head = s->rx_count = 0;
	s->rx_timeout = 0;
	s->thr_interrupt = 0;
	s->msr = msr_inputs(s);
	uart_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void uart_set_sink(struct uart_state *s, uart_sink_fn sink, void *ctx)
{
	pthread_mutex_lock(&s->lock);
	s->sink = sink;
	s->sink_ctx = ctx;
	pthread_mutex_unlock(&s->lock);
}

size_t uart_receive(struct uart_state *s, const uint8_t *bytes, size_t len)
{
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	/* In loopback the serial input is disconnected (datasheet, MCR bit 4). */
	while (!(s->mcr & MCR_LOOP) && n < len && s->rx_count < rx_capacity(s))
		rx_push(s, bytes[n++]);
	uart_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void uart_transmit(struct uart_state *s, uint8_t byte)
{
	if (s->mcr & MCR_LOOP)
		rx_push(s, byte);
	else if (s->sink)
		s->sink(s->sink_ctx, byte);
	/* The shift register empties at once: THRE and TEMT stay set, THRE interrupts again. */
	s->thr_interrupt = 1;
}

static uint8_t uart_read_reg(struct uart_state *s, uint32_t reg)
{
	int dlab = s->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR:
		if (dlab)
			return s->divisor & 0xff;
		return rx_pop(s); /* may lower the data-available interrupt */
	case REG_IER:
		return dlab ? s->divisor >> 8 : s->ier;
	case REG_IIR_FCR: {
		uint8_t id = uart_pending(s);
		if (id == IIR_THRE)
			s->thr_interrupt = 0; /* reading IIR with THRE as the source clears it */
		return id | (fifo_on(s) ? IIR_FIFO_ON : 0);
	}
	case REG_LCR:
		return s->lcr;
	case REG_MCR:
		return s->mcr;
	case REG_LSR: {
		uint8_t lsr = s->lsr;
		s->lsr &= ~LSR_ERRORS; /* reading LSR clears the error bits */
		return lsr;
	}
	case REG_MSR: {
		uint8_t msr = s->msr;
		s->msr &= ~MSR_DELTAS; /* reading MSR clears the delta bits */
		return msr;
	}
	default:
		return s->scr;
	}
}

static void uart_write_fcr(struct uart_state *s, uint8_t v)
{
	if ((v ^ s->fcr) & FCR_ENABLE)
		s->rx_count = 0; /* switching FIFO mode clears the FIFOs */
	if (v & FCR_CLEAR_RX) {
		s->rx_count = 0;
		s->lsr &= ~LSR_DR;
	}
	/* The transmit FIFO is always empty: nothing to clear for FCR_CLEAR_TX. */
	s->fcr = v & ~(FCR_CLEAR_RX | FCR_CLEAR_TX);
	if (!s->rx_count)
		s->lsr &= ~LSR_DR;
	rx_restart_timeout(s);
}

static void uart_write_reg(struct uart_state *s, uint32_t reg, uint8_t v)
{
	int dlab = s->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR:
		if (dlab)
			s->divisor = (s->divisor & 0xff00) | v;
		else
			uart_transmit(s, v);
		break;
	case REG_IER:
		if (dlab) {
			s->divisor = (uint16_t)((s->divisor & 0x00ff) | (v << 8));
			break;
		}
		/* Enabling ETBEI while THR is empty raises the THRE interrupt at once. */
		if ((v & IER_ETBEI) && !(s->ier & IER_ETBEI))
			s->thr_interrupt = 1;
		if (v & ~IER_MASK)
			sim_trace("uart", "IER reserved bits 0x%02x set", v & ~IER_MASK);
		s->ier = v & IER_MASK;
		break;
	case REG_IIR_FCR:
		uart_write_fcr(s, v);
		break;
	case REG_LCR:
		s->lcr = v;
		break;
	case REG_MCR:
		s->mcr = v & MCR_MASK;
		msr_refresh(s);
		break;
	case REG_LSR:
		sim_trace("uart", "write 0x%02x to LSR (factory test only) ignored", v);
		break;
	case REG_MSR:
		sim_trace("uart", "write 0x%02x to read-only MSR ignored", v);
		break;
	default:
		s->scr = v;
		break;
	}
	if (reg == REG_LCR && (v & LCR_DLAB) == 0 && s->divisor == 0)
		sim_trace("uart", "divisor latch is 0 (no baud rate)");
}

uint32_t uart_read(void *opaque, uint32_t offset, unsigned size)
{
	struct uart_state *s = opaque;
	if (size != 1) {
		sim_trace("uart", "%u-byte read at register %u", size, offset);
		return 0xffffffffu;
	}
	pthread_mutex_lock(&s->lock);
	uint8_t v = uart_read_reg(s, offset);
	uart_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return v;
}

void uart_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct uart_state *s = opaque;
	if (size != 1) {
		sim_trace("uart", "%u-byte write 0x%x at register %u", size, value, offset);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (offset == REG_RBR_THR && !(s->lcr & LCR_DLAB))
		s->thr_interrupt = 0; /* writing THR clears the THRE interrupt before it re-arms */
	uart_write_reg(s, offset, (uint8_t)value);
	uart_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}
