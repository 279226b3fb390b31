/* Kernel heap. Small requests come from per-size-class pages carved into blocks with a
 * 16-byte header; larger ones are whole pages from the page allocator, recorded in a
 * small hash table so that kfree knows their size. */
#include <string.h>
#include "cpu/spinlock.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"

#define HEADER 16
#define SMALL_MAX 2048 /* block size, header included, of the largest class */
#define NCLASSES 7     /* 32, 64, ..., 2048 */
#define MAGIC_SMALL 0x6b6d616cu
#define MAGIC_FREE 0x66726565u
#define BIG_BUCKETS 256

struct header {
	uint32_t magic;
	uint32_t cls;
	uint64_t pad;
};

struct free_block {
	struct header h;
	struct free_block *next;
};

struct big {
	uint64_t addr;
	size_t npages;
	struct big *next;
};

static struct free_block *free_lists[NCLASSES];
static struct big *big_table[BIG_BUCKETS];
static spinlock_t lock = SPINLOCK_INIT(HEAP, "heap");

static unsigned class_of(size_t total)
{
	unsigned c = 0;
	while ((32u << c) < total)
		c++;
	return c;
}

/* Called with the lock held. */
static int refill(unsigned cls)
{
	phys_addr_t pa = pmm_alloc_page();
	if (!pa)
		return 0;
	size_t size = 32u << cls;
	char *page = phys_to_virt(pa);
	for (size_t off = 0; off + size <= PAGE_SIZE; off += size) {
		struct free_block *b = (struct free_block *)(page + off);
		b->h.magic = MAGIC_FREE;
		b->h.cls = cls;
		b->next = free_lists[cls];
		free_lists[cls] = b;
	}
	return 1;
}

static void *small_alloc(size_t size)
{
	unsigned cls = class_of(size + HEADER);
	uint64_t f = spin_lock(&lock);
	if (!free_lists[cls] && !refill(cls)) {
		spin_unlock(&lock, f);
		return NULL;
	}
	struct free_block *b = free_lists[cls];
	free_lists[cls] = b->next;
	spin_unlock(&lock, f);
	b->h.magic = MAGIC_SMALL;
	return (char *)b + HEADER;
}

static unsigned bucket(uint64_t addr) { return (unsigned)(addr >> PAGE_SHIFT) % BIG_BUCKETS; }

static void *big_alloc(size_t npages)
{
	struct big *rec = small_alloc(sizeof *rec);
	if (!rec)
		return NULL;
	phys_addr_t pa = pmm_alloc_contig(npages, 1, 0);
	if (!pa) {
		kfree(rec);
		return NULL;
	}
	rec->addr = (uint64_t)phys_to_virt(pa);
	rec->npages = npages;
	uint64_t f = spin_lock(&lock);
	rec->next = big_table[bucket(rec->addr)];
	big_table[bucket(rec->addr)] = rec;
	spin_unlock(&lock, f);
	return (void *)rec->addr;
}

/* Unlinks and returns the record of a big allocation at p, or NULL. */
static struct big *big_take(void *p)
{
	uint64_t a = (uint64_t)p;
	uint64_t f = spin_lock(&lock);
	struct big **link = &big_table[bucket(a)];
	while (*link && (*link)->addr != a)
		link = &(*link)->next;
	struct big *rec = *link;
	if (rec)
		*link = rec->next;
	spin_unlock(&lock, f);
	return rec;
}

static struct big *big_find(void *p)
{
	uint64_t a = (uint64_t)p;
	uint64_t f = spin_lock(&lock);
	struct big *rec = big_table[bucket(a)];
	while (rec && rec->addr != a)
		rec = rec->next;
	spin_unlock(&lock, f);
	return rec;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size + HEADER <= SMALL_MAX)
		return small_alloc(size);
	return big_alloc(PAGE_ALIGN_UP(size) / PAGE_SIZE);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void *kmalloc_pages(size_t npages)
{
	void *p = big_alloc(npages ? npages : 1);
	if (p)
		memset(p, 0, npages * PAGE_SIZE);
	return p;
}

static size_t usable_size(void *p)
{
	if ((uint64_t)p % PAGE_SIZE == 0) {
		struct big *rec = big_find(p);
		if (!rec)
			panic("kmalloc: %p was not allocated here", p);
		return rec->npages * PAGE_SIZE;
	}
	struct header *h = (struct header *)((char *)p - HEADER);
	if (h->magic != MAGIC_SMALL)
		panic("kmalloc: bad block %p (magic %x)", p, h->magic);
	return (32u << h->cls) - HEADER;
}

void kfree(void *p)
{
	if (!p)
		return;
	if ((uint64_t)p % PAGE_SIZE == 0) { /* small blocks are never page aligned */
		struct big *rec = big_take(p);
		if (!rec)
			panic("kfree: %p was not allocated (or freed twice)", p);
		pmm_free_contig(virt_to_phys(p), rec->npages);
		kfree(rec);
		return;
	}
	struct free_block *b = (struct free_block *)((char *)p - HEADER);
	if (b->h.magic != MAGIC_SMALL)
		panic("kfree: %p is not an allocated block (magic %x)", p, b->h.magic);
	unsigned cls = b->h.cls;
	b->h.magic = MAGIC_FREE;
	uint64_t f = spin_lock(&lock);
	b->next = free_lists[cls];
	free_lists[cls] = b;
	spin_unlock(&lock, f);
}

void *krealloc(void *p, size_t size)
{
	if (!p)
		return kmalloc(size);
	size_t old = usable_size(p);
	if (size <= old)
		return p;
	void *n = kmalloc(size);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	kfree(p);
	return n;
}
