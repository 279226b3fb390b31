/* The shared virtio PCI model (sim/virtio.c) driven as a driver would, through its I/O BAR,
 * on virtio-rng and virtio-net: capabilities, feature negotiation, a queue end to end,
 * interrupts and their suppression, and a driver's broken ring putting the device in
 * DEVICE_NEEDS_RESET. */
#include <errno.h>

#include "fake-pci.h"
#include "virtio.h"
#include "virtio-net.h"
#include "virtio-rng.h"

#define IO 0xc100
#define IRQ 10
#define RING 0x10000 /* the queue's memory in guest RAM */
#define BUF 0x20000
#define QSIZE 8

struct fixture {
	struct fake_pci pci; /* first: fake_pci_setup makes it */
	struct virtio_rng_state rng;
	struct virtio_net_state net;
	uint8_t sent[2048];
	size_t sent_len;
};

static int setup(void **state)
{
	return fake_pci_setup(state, sizeof(struct fixture));
}

static uint32_t cfg_read(struct fixture *t, unsigned dev, unsigned reg, unsigned size)
{
	return fake_pci_read(&t->pci.f, dev, 0, reg, size);
}

static uint8_t *ram(struct fixture *t, uint64_t a) { return t->pci.f.m.ram + a; }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* Common configuration offsets (VIRTIO 1.2, 4.1.4.3). */
enum { DFSEL = 0x00, DF = 0x04, GFSEL = 0x08, GF = 0x0c, STATUS = 0x14, QSEL = 0x16, QSZ = 0x18, QEN = 0x1c,
       QDESC = 0x20, QAVAIL = 0x28, QUSED = 0x30 };
#define DESC_OFF 0
#define AVAIL_OFF (16 * QSIZE)
#define USED_OFF 0x100

/* Handshake with VERSION_1 (+ `more` feature bits), queue q at RING, DRIVER_OK. */
static void bring_up(struct fixture *t, uint32_t more_low, unsigned q)
{
	struct sim_machine *m = &t->pci.f.m;
	sim_port_out(m, IO + STATUS, 1, 0);
	sim_port_out(m, IO + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	sim_port_out(m, IO + GFSEL, 4, 0);
	sim_port_out(m, IO + GF, 4, more_low);
	sim_port_out(m, IO + GFSEL, 4, 1);
	sim_port_out(m, IO + GF, 4, 1); /* VERSION_1 is bit 32 */
	sim_port_out(m, IO + STATUS, 1, 0x0b);
	assert_int_equal(sim_port_in(m, IO + STATUS, 1) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
	sim_port_out(m, IO + QSEL, 2, q);
	sim_port_out(m, IO + QSZ, 2, QSIZE);
	sim_port_out(m, IO + QDESC, 4, RING + DESC_OFF);
	sim_port_out(m, IO + QAVAIL, 4, RING + AVAIL_OFF);
	sim_port_out(m, IO + QUSED, 4, RING + USED_OFF);
	sim_port_out(m, IO + QEN, 2, 1);
	sim_port_out(m, IO + STATUS, 1, 0x0f);
}

/* Makes descriptor d a single buffer and entry `slot` of the available ring point at it. */
static void post(struct fixture *t, unsigned d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t avail_idx)
{
	uint8_t *desc = ram(t, RING + DESC_OFF + 16 * d);
	put32(desc, (uint32_t)addr);
	put32(desc + 4, (uint32_t)(addr >> 32));
	put32(desc + 8, len);
	put16(desc + 12, flags);
	put16(ram(t, RING + AVAIL_OFF + 4 + 2 * ((avail_idx - 1) % QSIZE)), (uint16_t)d);
	put16(ram(t, RING + AVAIL_OFF + 2), avail_idx);
}

static void add_rng(struct fixture *t)
{
	assert_int_equal(virtio_rng_init(&t->rng, &t->pci.bus, PCI_DEVFN(5, 0), IRQ), 0);
	virtio_dev_firmware_setup(&t->rng.vdev, IO, 0xfeb00000u);
}

static void test_virtio_capabilities_describe_the_register_window(void **state)
{
	struct fixture *t = *state;
	add_rng(t);
	assert_int_equal(cfg_read(t, 5, 0, 2), VIRTIO_PCI_VENDOR);
	assert_int_equal(cfg_read(t, 5, 2, 2), 0x1044);
	unsigned types = 0, msix = 0;
	for (unsigned off = cfg_read(t, 5, 0x34, 1); off; off = cfg_read(t, 5, off + 1, 1)) {
		if (cfg_read(t, 5, off, 1) == 0x11)
			msix = 1;
		if (cfg_read(t, 5, off, 1) != 0x09)
			continue;
		unsigned type = cfg_read(t, 5, off + 3, 1);
		types |= 1u << type;
		assert_int_equal(cfg_read(t, 5, off + 4, 1), 0); /* BAR0 */
		if (type == 2)
			assert_int_equal(cfg_read(t, 5, off + 16, 4), VIRTIO_NOTIFY_MULT);
	}
	/* common, notify, ISR (virtio-rng has no device configuration), and MSI-X. */
	assert_int_equal(types, 1u << 1 | 1u << 2 | 1u << 3);
	assert_int_equal(msix, 1);
}

static void test_virtio_features_without_version_1_are_refused(void **state)
{
	struct fixture *t = *state;
	add_rng(t);
	struct sim_machine *m = &t->pci.f.m;
	sim_port_out(m, IO + DFSEL, 4, 1);
	assert_int_equal(sim_port_in(m, IO + DF, 4) & 1, 1); /* VERSION_1 offered */
	sim_port_out(m, IO + STATUS, 1, 0x03);
	sim_port_out(m, IO + STATUS, 1, 0x0b); /* FEATURES_OK with no features at all */
	assert_int_equal(sim_port_in(m, IO + STATUS, 1), 0x03);
	sim_port_out(m, IO + STATUS, 1, 0);
	assert_int_equal(sim_port_in(m, IO + STATUS, 1), 0);
}

static void test_virtio_rng_fills_a_buffer_and_interrupts(void **state)
{
	struct fixture *t = *state;
	add_rng(t);
	bring_up(t, 0, 0);
	post(t, 0, BUF, 32, VIRTQ_DESC_F_WRITE, 1);
	unsigned before = t->pci.f.irq_raises[IRQ];
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(get16(ram(t, RING + USED_OFF + 2)), 1);          /* used->idx */
	assert_int_equal(get32(ram(t, RING + USED_OFF + 4)), 0);          /* id */
	assert_int_equal(get32(ram(t, RING + USED_OFF + 8)), 32);         /* len */
	int nonzero = 0;
	for (int i = 0; i < 32; i++)
		nonzero |= ram(t, BUF)[i];
	assert_true(nonzero);
	assert_int_equal(t->pci.f.irq_raises[IRQ], before + 1);
	assert_int_equal(t->pci.f.irq_level[IRQ], 1);
	assert_int_equal(sim_port_in(&t->pci.f.m, IO + VIRTIO_ISR_OFF, 1), 1); /* queue interrupt */
	assert_int_equal(t->pci.f.irq_level[IRQ], 0);                          /* reading ISR lowered it */
	assert_int_equal(sim_port_in(&t->pci.f.m, IO + VIRTIO_ISR_OFF, 1), 0);
}

static void test_virtio_event_index_suppresses_interrupts(void **state)
{
	struct fixture *t = *state;
	add_rng(t);
	bring_up(t, 1u << VIRTIO_F_RING_EVENT_IDX, 0);
	uint8_t *used_event = ram(t, RING + AVAIL_OFF + 4 + 2 * QSIZE);
	post(t, 0, BUF, 8, VIRTQ_DESC_F_WRITE, 1);
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(t->pci.f.irq_level[IRQ], 1); /* the first completion always interrupts */
	sim_port_in(&t->pci.f.m, IO + VIRTIO_ISR_OFF, 1);
	/* The device asks to be notified for the next entry (used->avail_event). */
	assert_int_equal(get16(ram(t, RING + USED_OFF + 4 + 8 * QSIZE)), 1);
	/* used_event = 2: interrupt once used->idx passes 2, i.e. at the third completion. */
	put16(used_event, 2);
	post(t, 1, BUF + 64, 8, VIRTQ_DESC_F_WRITE, 2);
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(t->pci.f.irq_level[IRQ], 0);
	post(t, 2, BUF + 128, 8, VIRTQ_DESC_F_WRITE, 3);
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(t->pci.f.irq_level[IRQ], 1);
}

static void test_virtio_broken_descriptor_needs_reset(void **state)
{
	struct fixture *t = *state;
	add_rng(t);
	bring_up(t, 0, 0);
	post(t, 0, 0x7fff0000000ull, 32, VIRTQ_DESC_F_WRITE, 1); /* outside guest RAM */
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(get16(ram(t, RING + USED_OFF + 2)), 0);
	assert_int_equal(sim_port_in(&t->pci.f.m, IO + STATUS, 1) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(sim_port_in(&t->pci.f.m, IO + VIRTIO_ISR_OFF, 1), 2); /* configuration interrupt */
	/* A reset clears it, and the queue is usable again. */
	bring_up(t, 0, 0);
	post(t, 0, BUF, 16, VIRTQ_DESC_F_WRITE, 1);
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF, 2, 0);
	assert_int_equal(get32(ram(t, RING + USED_OFF + 8)), 16);
}

static void capture(void *ctx, const uint8_t *frame, size_t len)
{
	struct fixture *t = ctx;
	memcpy(t->sent, frame, len);
	t->sent_len = len;
}

static void test_virtio_net_completes_the_checksum_it_is_asked_for(void **state)
{
	struct fixture *t = *state;
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	assert_int_equal(virtio_net_init(&t->net, &t->pci.bus, PCI_DEVFN(4, 0), IRQ, mac), 0);
	virtio_dev_firmware_setup(&t->net.vdev, IO, 0xfeb00000u);
	t->net.output = capture;
	t->net.backend = t;
	assert_int_equal(sim_port_in(&t->pci.f.m, IO + VIRTIO_DEVICE_CFG_OFF + 5, 1), 0x56);
	bring_up(t, 1u << VIRTIO_NET_F_CSUM | 1u << VIRTIO_NET_F_MAC, VIRTIO_NET_TXQ);
	/* Header: NEEDS_CSUM over bytes 14.. of the frame, result at 14 + 2. */
	uint8_t *p = ram(t, BUF);
	memset(p, 0, 12 + 60);
	p[0] = 1;
	put16(p + 6, 14);
	put16(p + 8, 2);
	for (int i = 0; i < 60; i++)
		p[12 + i] = (uint8_t)(i == 16 || i == 17 ? 0 : i);
	post(t, 0, BUF, 12 + 60, 0, 1);
	sim_port_out(&t->pci.f.m, IO + VIRTIO_NOTIFY_OFF + VIRTIO_NOTIFY_MULT, 2, 1); /* no backend kick: flush here */
	virtio_net_flush_tx(&t->net);
	assert_int_equal(t->sent_len, 60);
	uint32_t sum = 0;
	for (int i = 14; i < 60; i += 2)
		sum += (uint32_t)(t->sent[i] << 8 | t->sent[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff); /* a correct checksum sums to all ones (RFC 1071) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_virtio_capabilities_describe_the_register_window, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_virtio_features_without_version_1_are_refused, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_virtio_rng_fills_a_buffer_and_interrupts, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_virtio_event_index_suppresses_interrupts, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_virtio_broken_descriptor_needs_reset, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_virtio_net_completes_the_checksum_it_is_asked_for, setup, fake_pci_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
