#include <errno.h>

#include "fake-pci.h"
#include "pci-testdev.h"
#include "trace.h"

struct fixture {
	struct fake_pci pci; /* first: fake_pci_setup makes it */
	struct pci_device dev;
	uint32_t io_last_write;
};

static uint32_t io_read(void *opaque, uint32_t offset, unsigned size)
{
	(void)opaque; (void)size;
	return 0xab00 + offset;
}

static void io_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	(void)offset; (void)size;
	((struct fixture *)opaque)->io_last_write = value;
}

static const struct sim_io_ops io_ops = { io_read, io_write };
static uint8_t mmio_mem[4096];

static int setup(void **state)
{
	return fake_pci_setup(state, sizeof(struct fixture));
}

static uint32_t cfg_read(struct fixture *t, unsigned dev, unsigned fn, unsigned reg, unsigned size)
{
	return fake_pci_read(&t->pci.f, dev, fn, reg, size);
}

static void cfg_write(struct fixture *t, unsigned dev, unsigned fn, unsigned reg, unsigned size, uint32_t v)
{
	fake_pci_write(&t->pci.f, dev, fn, reg, size, v);
}

/* A device with an I/O BAR, a 64-bit memory BAR, a capability list and INTA on line 11. */
static void add_test_device(struct fixture *t)
{
	assert_int_equal(pci_device_add(&t->pci.bus, &t->dev, PCI_DEVFN(3, 0), 0x1af4, 0x1000, 0x020000, 0, 11), 0);
	assert_int_equal(pci_device_set_bar(&t->dev, 0, PCI_BAR_IO, 32, 0, &io_ops, NULL, t), 0);
	assert_int_equal(pci_device_set_bar(&t->dev, 2, PCI_BAR_MEM64, 4096, 1, NULL, mmio_mem, t), 0);
	assert_int_equal(pci_device_add_capability(&t->dev, 0x01, 8), 0x40);  /* power management */
	assert_int_equal(pci_device_add_capability(&t->dev, 0x09, 14), 0x48); /* vendor-specific */
}

static void test_pci_enumeration_finds_exactly_the_bridges(void **state)
{
	struct fixture *t = *state;
	unsigned found = 0;
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint32_t id = cfg_read(t, dev, fn, 0, 4);
			if ((id & 0xffff) == 0xffff)
				continue;
			found++;
			if (dev == 0)
				assert_int_equal(id, 0x12378086);
			else if (dev == 1 && fn == 0)
				assert_int_equal(id, 0x70008086);
			else
				fail_msg("unexpected device %02x.%u id %08x", dev, fn, id);
		}
	}
	assert_int_equal(found, 2);
	assert_int_equal(cfg_read(t, 0, 0, 0x08, 4) >> 8, 0x060000); /* host bridge class */
	assert_int_equal(cfg_read(t, 1, 0, 0x0a, 2), 0x0601);        /* ISA bridge class */
	assert_int_equal(cfg_read(t, 1, 0, 0x0e, 1), 0x80);          /* multi-function */
}

static void test_pci_sub_dword_reads_at_offsets(void **state)
{
	struct fixture *t = *state;
	assert_int_equal(cfg_read(t, 0, 0, 0x00, 2), 0x8086);
	assert_int_equal(cfg_read(t, 0, 0, 0x02, 2), 0x1237);
	assert_int_equal(cfg_read(t, 0, 0, 0x03, 1), 0x12);
	assert_int_equal(sim_port_in(&t->pci.f.m, PCI_CONFIG_ADDRESS, 4), PCI_CONFIG_ENABLE);
}

static void test_pci_vendor_id_is_read_only(void **state)
{
	struct fixture *t = *state;
	cfg_write(t, 0, 0, 0, 4, 0);
	assert_int_equal(cfg_read(t, 0, 0, 0, 4), 0x12378086);
}

static void test_pci_bar_sizing_reads_back_the_mask(void **state)
{
	struct fixture *t = *state;
	add_test_device(t);
	cfg_write(t, 3, 0, 0x10, 4, 0xffffffff);
	assert_int_equal(cfg_read(t, 3, 0, 0x10, 4), 0xffffffe1); /* 32 bytes of I/O */
	cfg_write(t, 3, 0, 0x18, 4, 0xffffffff);
	cfg_write(t, 3, 0, 0x1c, 4, 0xffffffff);
	assert_int_equal(cfg_read(t, 3, 0, 0x18, 4), 0xfffff00c); /* 4 KiB, 64-bit, prefetchable */
	assert_int_equal(cfg_read(t, 3, 0, 0x1c, 4), 0xffffffff);
	assert_int_equal(cfg_read(t, 3, 0, 0x14, 4), 0); /* unimplemented BAR reads 0 */
}

static void test_pci_bars_decode_when_enabled(void **state)
{
	struct fixture *t = *state;
	add_test_device(t);
	cfg_write(t, 3, 0, 0x10, 4, 0xc000);
	cfg_write(t, 3, 0, 0x18, 4, 0xfebf0000);
	cfg_write(t, 3, 0, 0x1c, 4, 0x1);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc004, 2), 0xffff); /* decoding still off */
	cfg_write(t, 3, 0, 0x04, 2, 0x0003);                       /* I/O and memory space */
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc004, 2), 0xab04);
	sim_port_out(&t->pci.f.m, 0xc000, 1, 0x5a);
	assert_int_equal(t->io_last_write, 0x5a);
	assert_ptr_equal(sim_phys_ptr(&t->pci.f.m, 0x1febf0010ull, 4), mmio_mem + 0x10);
	cfg_write(t, 3, 0, 0x10, 4, 0xd000); /* moving the BAR moves the ports */
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc004, 2), 0xffff);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xd004, 2), 0xab04);
	cfg_write(t, 3, 0, 0x04, 2, 0);
	assert_null(sim_phys_ptr(&t->pci.f.m, 0x1febf0010ull, 4));
}

static void test_pci_capability_list_walks_to_the_end(void **state)
{
	struct fixture *t = *state;
	add_test_device(t);
	assert_int_equal(cfg_read(t, 3, 0, 0x06, 2) & 0x10, 0x10);
	uint8_t ids[4], n = 0;
	for (uint8_t off = (uint8_t)cfg_read(t, 3, 0, 0x34, 1); off && n < 4; off = (uint8_t)cfg_read(t, 3, 0, off + 1, 1))
		ids[n++] = (uint8_t)cfg_read(t, 3, 0, off, 1);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0x01);
	assert_int_equal(ids[1], 0x09);
}

static void test_pci_intx_follows_the_interrupt_disable_bit(void **state)
{
	struct fixture *t = *state;
	add_test_device(t);
	assert_int_equal(cfg_read(t, 3, 0, 0x3c, 2), 0x010b); /* INTA, line 11 */
	pci_device_set_irq(&t->dev, 1);
	assert_int_equal(t->pci.f.irq_level[11], 1);
	assert_int_equal(cfg_read(t, 3, 0, 0x06, 2) & 0x08, 0x08);
	cfg_write(t, 3, 0, 0x04, 2, 0x0400);
	assert_int_equal(t->pci.f.irq_level[11], 0);
	cfg_write(t, 3, 0, 0x04, 2, 0);
	assert_int_equal(t->pci.f.irq_level[11], 1);
	pci_device_set_irq(&t->dev, 0);
	assert_int_equal(t->pci.f.irq_level[11], 0);
}

static void test_pci_misuse_is_traced_and_harmless(void **state)
{
	struct fixture *t = *state;
	unsigned long before = sim_trace_count();
	sim_port_out(&t->pci.f.m, PCI_CONFIG_ADDRESS, 1, 0x12); /* a byte write */
	assert_true(sim_trace_count() > before);
	assert_int_equal(cfg_read(t, 9, 0, 0, 4), 0xffffffff);
	sim_port_out(&t->pci.f.m, PCI_CONFIG_ADDRESS, 4, 0x00000000); /* enable bit clear */
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xcfc, 4), 0xffffffff);
	struct pci_device other;
	assert_int_equal(pci_device_add(&t->pci.bus, &other, PCI_DEVFN(0, 0), 1, 2, 0, 0, -1), -EBUSY);
}

static void test_pci_testdev_dma_needs_bus_mastering(void **state)
{
	struct fixture *t = *state;
	static struct pci_testdev_state td;
	assert_int_equal(pci_testdev_init(&td, &t->pci.bus, PCI_DEVFN(4, 0)), 0);
	cfg_write(t, 4, 0, 0x10, 4, 0xc100);
	cfg_write(t, 4, 0, 0x04, 2, PCI_COMMAND_IO);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc100, 4), PCI_TESTDEV_MAGIC);
	td.mem[0] = 0x77;
	sim_port_out(&t->pci.f.m, 0xc10c, 4, 0x1000);
	sim_port_out(&t->pci.f.m, 0xc110, 4, 1);
	sim_port_out(&t->pci.f.m, 0xc114, 4, 1);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc114, 4), 0xffffffff); /* refused: no bus master */
	assert_int_equal(t->pci.f.m.ram[0x1000], 0);
	cfg_write(t, 4, 0, 0x04, 2, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	sim_port_out(&t->pci.f.m, 0xc114, 4, 1);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc114, 4), 0);
	assert_int_equal(t->pci.f.m.ram[0x1000], 0x77);
	sim_port_out(&t->pci.f.m, 0xc108, 4, 1);
	assert_int_equal(t->pci.f.irq_level[PCI_TESTDEV_IRQ], 1);
	assert_int_equal(sim_port_in(&t->pci.f.m, 0xc100, 2), 0xffff); /* word access: traced, floating */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pci_enumeration_finds_exactly_the_bridges, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_sub_dword_reads_at_offsets, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_vendor_id_is_read_only, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_bar_sizing_reads_back_the_mask, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_bars_decode_when_enabled, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_capability_list_walks_to_the_end, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_intx_follows_the_interrupt_disable_bit, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_misuse_is_traced_and_harmless, setup, fake_pci_teardown),
		cmocka_unit_test_setup_teardown(test_pci_testdev_dma_needs_bus_mastering, setup, fake_pci_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
