/* A fake machine with a PCI bus, for the tests of PCI devices, and configuration space reached
 * as a driver reaches it: the address through CONFIG_ADDRESS, the data through CONFIG_DATA
 * (PCI Local Bus 3.0, 3.2.2.3.2, configuration mechanism #1). */
#ifndef RTJS_TEST_FAKE_PCI_H
#define RTJS_TEST_FAKE_PCI_H

#include "fake-machine.h"
#include "pci.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u /* bit 31 of CONFIG_ADDRESS */

/* The machine and its bus, first in a test file's fixture. */
struct fake_pci {
	struct fake_machine f;
	struct pci_bus bus;
};

/* cmocka's setup: a zeroed fixture of `size` bytes that begins with a struct fake_pci, its
 * machine and bus made. */
static inline int fake_pci_setup(void **state, size_t size)
{
	struct fake_pci *t = calloc(1, size);
	assert_non_null(t);
	fake_machine_init(&t->f);
	assert_int_equal(pci_bus_init(&t->bus, &t->f.m), 0);
	*state = t;
	return 0;
}

/* cmocka's teardown for a fixture fake_pci_setup made. */
static inline int fake_pci_teardown(void **state)
{
	struct fake_pci *t = *state;
	pci_bus_destroy(&t->bus);
	sim_machine_destroy(&t->f.m);
	free(t);
	return 0;
}

static inline void fake_pci_select(struct fake_machine *f, unsigned dev, unsigned fn, unsigned reg)
{
	sim_port_out(&f->m, PCI_CONFIG_ADDRESS, 4, PCI_CONFIG_ENABLE | dev << 11 | fn << 8 | (reg & 0xfc));
}

/* `size` bytes (1, 2 or 4) of device `dev`, function `fn`, at register offset `reg`. */
static inline uint32_t fake_pci_read(struct fake_machine *f, unsigned dev, unsigned fn, unsigned reg,
				     unsigned size)
{
	fake_pci_select(f, dev, fn, reg);
	return sim_port_in(&f->m, PCI_CONFIG_DATA + (reg & 3), size);
}

static inline void fake_pci_write(struct fake_machine *f, unsigned dev, unsigned fn, unsigned reg,
				  unsigned size, uint32_t v)
{
	fake_pci_select(f, dev, fn, reg);
	sim_port_out(&f->m, PCI_CONFIG_DATA + (reg & 3), size, v);
}

#endif
