#include "fake-kernel.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define FAKE_MAX_MAPPINGS 8192

struct mapping {
	uint64_t va;
	phys_addr_t pa;
	unsigned flags;
};

static struct mapping maps[FAKE_MAX_MAPPINGS];
static size_t nmaps, live_pages, shootdowns;
static char last_log[512];
static int fake_as_token;

void fake_reset(void)
{
	nmaps = 0;
	live_pages = 0;
	shootdowns = 0;
	last_log[0] = 0;
}

size_t fake_pages_live(void) { return live_pages; }
size_t fake_pages_mapped(void) { return nmaps; }
size_t fake_shootdowns(void) { return shootdowns; }
const char *fake_last_log(void) { return last_log; }

static struct mapping *find(uint64_t va)
{
	for (size_t i = 0; i < nmaps; i++)
		if (maps[i].va == va)
			return &maps[i];
	return NULL;
}

int fake_page_flags(uint64_t va)
{
	struct mapping *m = find(va);
	return m ? (int)m->flags : -1;
}

void *fake_page(uint64_t va)
{
	struct mapping *m = find(va);
	return m ? phys_to_virt(m->pa) : NULL;
}

void *fake_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- mm/pmm.h, mm/paging.h ---- */

phys_addr_t pmm_alloc_zeroed_page(void)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		return 0;
	memset(p, 0, PAGE_SIZE);
	live_pages++;
	return (phys_addr_t)((uint64_t)(uintptr_t)p - DIRECT_MAP_BASE);
}

void pmm_free_page(phys_addr_t pa)
{
	live_pages--;
	free(phys_to_virt(pa));
}

struct addr_space *as_create(void) { return (struct addr_space *)&fake_as_token; }

int vm_map_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags)
{
	(void)as;
	struct mapping *m = find(va);
	if (!m) {
		if (nmaps == FAKE_MAX_MAPPINGS)
			return -ENOMEM;
		m = &maps[nmaps++];
	}
	m->va = va;
	m->pa = pa;
	m->flags = flags;
	return 0;
}

int vm_map_new_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags)
{
	return find(va) ? -EEXIST : vm_map_page(as, va, pa, flags);
}

/* The lock checks are the kernel's (cpu/lock-debug.c); on the host they stay off. */
int lock_debug_on;

void lock_debug_acquire(const void *lock, const char *name, unsigned rank, unsigned kind, void *ip)
{
	(void)lock, (void)name, (void)rank, (void)kind, (void)ip;
	abort();
}

void lock_debug_release(const void *lock)
{
	(void)lock;
	abort();
}

int vm_unmap_page(struct addr_space *as, uint64_t va, phys_addr_t *old_pa)
{
	(void)as;
	struct mapping *m = find(va);
	if (!m)
		return -ENOENT;
	if (old_pa)
		*old_pa = m->pa;
	*m = maps[--nmaps];
	return 0;
}

int vm_protect_page(struct addr_space *as, uint64_t va, unsigned flags)
{
	(void)as;
	struct mapping *m = find(va);
	if (!m)
		return -ENOENT;
	m->flags = flags;
	return 0;
}

int vm_query(struct addr_space *as, uint64_t va, phys_addr_t *pa, unsigned *flags)
{
	(void)as;
	struct mapping *m = find(va & ~(PAGE_SIZE - 1));
	if (!m)
		return -ENOENT;
	if (pa)
		*pa = m->pa + (va & (PAGE_SIZE - 1));
	if (flags)
		*flags = m->flags;
	return 0;
}

void tlb_flush_page(uint64_t va) { (void)va; }

void tlb_shootdown(struct addr_space *as, uint64_t va, size_t pages)
{
	(void)as, (void)va, (void)pages;
	shootdowns++;
}

/* ---- mm/heap.h, lib/log.h, cpu/smp.h ---- */

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void *krealloc(void *p, size_t size) { return realloc(p, size); }
void kfree(void *p) { free(p); }

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

unsigned smp_cpu_count(void) { return 2; }
