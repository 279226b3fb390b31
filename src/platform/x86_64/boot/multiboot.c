#include "boot/multiboot.h"
#include <errno.h>
#include <string.h>
#include "lib/format.h"

/* Multiboot 1 info structure offsets and flags (multiboot 0.6.96, section 3.3). */
#define MB1_FLAG_MEM (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS (1u << 3)
#define MB1_FLAG_MMAP (1u << 6)
#define MB1_FLAG_LOADER (1u << 9)
#define MB1_INFO_SIZE 88
#define MB1_MOD_SIZE 16

/* Multiboot 2 tag types (multiboot2 spec section 3.6). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_FB_TYPE_RGB 1 /* framebuffer_type: direct RGB (0 indexed, 2 EGA text) */
#define MB2_FB_TAG_RGB_SIZE 38 /* common part (32 bytes) + six colour field bytes */
#define MB2_MAX_SIZE (1u << 20) /* sanity bound on total_size */

#define MAX_STRING 4096

static uint32_t rd32(const void *p, size_t off)
{
	uint32_t v;
	memcpy(&v, (const char *)p + off, 4);
	return v;
}

static uint64_t rd64(const void *p, size_t off)
{
	uint64_t v;
	memcpy(&v, (const char *)p + off, 8);
	return v;
}

static void warn(const struct mb_env *env, struct boot_info *bi, const char *fmt, uint64_t a)
{
	char msg[128];
	ksnprintf(msg, sizeof msg, fmt, (unsigned long long)a);
	bi->warnings++;
	if (env->warn)
		env->warn(env->ctx, msg);
}

/* Copies a NUL-terminated string at physical pa, reading byte-wise through map. */
static void copy_string(const struct mb_env *env, uint64_t pa, char *dst, size_t n)
{
	size_t i = 0;
	for (; i + 1 < n && i < MAX_STRING; i++) {
		const char *c = env->map(env->ctx, pa + i, 1);
		if (!c || !*c)
			break;
		dst[i] = *c;
	}
	dst[i] = 0;
}

static void copy_bounded(char *dst, size_t n, const char *src, size_t srclen)
{
	size_t len = strnlen(src, srclen);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

static void add_mmap(struct boot_info *bi, const struct mb_env *env, uint64_t base, uint64_t len,
		     uint32_t type)
{
	if (len == 0)
		return;
	if (base + len < base) {
		warn(env, bi, "memory map entry at 0x%llx wraps around, ignored", base);
		return;
	}
	if (bi->mmap_count == BOOT_MMAP_MAX) {
		warn(env, bi, "memory map has more than %llu entries, rest ignored", BOOT_MMAP_MAX);
		return;
	}
	bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){ base, len, type };
}

static void add_module(struct boot_info *bi, const struct mb_env *env, uint64_t start, uint64_t end,
		       const char *name, size_t namelen)
{
	if (end < start) {
		warn(env, bi, "module at 0x%llx ends before it starts, ignored", start);
		return;
	}
	if (bi->module_count == BOOT_MODULES_MAX) {
		warn(env, bi, "more than %llu modules, rest ignored", BOOT_MODULES_MAX);
		return;
	}
	struct boot_module *m = &bi->modules[bi->module_count++];
	m->start = start;
	m->end = end;
	copy_bounded(m->name, sizeof m->name, name, namelen);
}

/* Memory from the basic lower/upper fields when there is no map: [0, lower) and
 * [1 MiB, 1 MiB + upper). */
static void mmap_from_meminfo(struct boot_info *bi, const struct mb_env *env)
{
	warn(env, bi, "no memory map from the loader, using the basic memory sizes (%llu KiB upper)", bi->mem_upper_kb);
	add_mmap(bi, env, 0, bi->mem_lower_kb * 1024, BOOT_MEM_USABLE);
	add_mmap(bi, env, 0x100000, bi->mem_upper_kb * 1024, BOOT_MEM_USABLE);
}

static void mb1_mmap(const struct mb_env *env, struct boot_info *bi, uint64_t pa, uint32_t length)
{
	uint64_t end = pa + length;
	while (pa + 24 <= end) {
		const void *e = env->map(env->ctx, pa, 24);
		if (!e) {
			warn(env, bi, "memory map entry at 0x%llx unreadable", pa);
			return;
		}
		uint32_t size = rd32(e, 0); /* size of the entry, not counting this field */
		if (size < 20) {
			warn(env, bi, "memory map entry at 0x%llx too small, map truncated", pa);
			return;
		}
		add_mmap(bi, env, rd64(e, 4), rd64(e, 12), rd32(e, 20));
		pa += size + 4;
	}
}

static void mb1_modules(const struct mb_env *env, struct boot_info *bi, uint64_t pa, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		const void *m = env->map(env->ctx, pa + i * MB1_MOD_SIZE, MB1_MOD_SIZE);
		if (!m) {
			warn(env, bi, "module list at 0x%llx unreadable", pa);
			return;
		}
		char name[128];
		copy_string(env, rd32(m, 8), name, sizeof name);
		add_module(bi, env, rd32(m, 0), rd32(m, 4), name, sizeof name);
	}
}

static int mb1_parse(uint64_t info_pa, const struct mb_env *env, struct boot_info *bi)
{
	const void *info = env->map(env->ctx, info_pa, MB1_INFO_SIZE);
	if (!info)
		return -EINVAL;
	uint32_t flags = rd32(info, 0);
	bi->protocol = 1;
	if (flags & MB1_FLAG_MEM) {
		bi->mem_lower_kb = rd32(info, 4);
		bi->mem_upper_kb = rd32(info, 8);
	}
	if (flags & MB1_FLAG_CMDLINE)
		copy_string(env, rd32(info, 16), bi->cmdline, sizeof bi->cmdline);
	if (flags & MB1_FLAG_MODS)
		mb1_modules(env, bi, rd32(info, 24), rd32(info, 20));
	if (flags & MB1_FLAG_MMAP)
		mb1_mmap(env, bi, rd32(info, 48), rd32(info, 44));
	if (flags & MB1_FLAG_LOADER)
		copy_string(env, rd32(info, 64), bi->loader, sizeof bi->loader);
	if (bi->mmap_count == 0) {
		if (!(flags & MB1_FLAG_MEM))
			return -ENOENT;
		mmap_from_meminfo(bi, env);
	}
	return 0;
}

static void mb2_mmap(const struct mb_env *env, struct boot_info *bi, const void *tag, uint32_t size)
{
	uint32_t esize = rd32(tag, 8);
	if (esize < 24) {
		warn(env, bi, "multiboot2 memory map entry size %llu too small, map ignored", esize);
		return;
	}
	for (uint32_t off = 16; off + esize <= size; off += esize)
		add_mmap(bi, env, rd64(tag, off), rd64(tag, off + 8), rd32(tag, off + 16));
}

static void mb2_rsdp(struct boot_info *bi, const void *tag, uint32_t size, int is_new)
{
	uint32_t len = size - 8;
	if (len > sizeof bi->rsdp)
		len = sizeof bi->rsdp;
	/* An ACPI 2.0 RSDP wins over the 1.0 copy. */
	if (bi->rsdp_len && !is_new)
		return;
	memcpy(bi->rsdp, (const char *)tag + 8, len);
	bi->rsdp_len = len;
}

/* Only a direct-RGB framebuffer of whole bytes per pixel whose rows fit their pitch, and
 * whose colour fields lie inside the pixel, is kept: anything else is a warning and no
 * framebuffer (text mode, an indexed palette, or a loader's bad numbers). */
static void mb2_framebuffer(const struct mb_env *env, struct boot_info *bi, const void *tag, uint32_t size)
{
	if (size < MB2_FB_TAG_RGB_SIZE)
		return;
	const uint8_t *b = tag;
	struct boot_framebuffer fb = {
		.addr = rd64(tag, 8), .pitch = rd32(tag, 16), .width = rd32(tag, 20), .height = rd32(tag, 24),
		.bpp = b[28], .red_shift = b[32], .red_bits = b[33], .green_shift = b[34], .green_bits = b[35],
		.blue_shift = b[36], .blue_bits = b[37],
	};
	if (b[29] != MB2_FB_TYPE_RGB)
		return; /* EGA text (GRUB's gfxpayload=text): the VGA text screen is what there is */
	uint64_t bytes = (uint64_t)fb.pitch * fb.height;
	int ok = (fb.bpp == 16 || fb.bpp == 24 || fb.bpp == 32) && fb.width && fb.height && fb.addr &&
		 (uint64_t)fb.width * (fb.bpp / 8) <= fb.pitch && fb.addr + bytes > fb.addr &&
		 fb.red_shift + fb.red_bits <= fb.bpp && fb.green_shift + fb.green_bits <= fb.bpp &&
		 fb.blue_shift + fb.blue_bits <= fb.bpp;
	if (!ok) {
		warn(env, bi, "multiboot2 framebuffer at 0x%llx has a layout the kernel does not take, ignored", fb.addr);
		return;
	}
	bi->fb = fb;
}

static void mb2_tag(const struct mb_env *env, struct boot_info *bi, const void *tag, uint32_t type,
		    uint32_t size)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_bounded(bi->cmdline, sizeof bi->cmdline, (const char *)tag + 8, size - 8);
		break;
	case MB2_TAG_LOADER:
		copy_bounded(bi->loader, sizeof bi->loader, (const char *)tag + 8, size - 8);
		break;
	case MB2_TAG_MODULE:
		if (size >= 16)
			add_module(bi, env, rd32(tag, 8), rd32(tag, 12), (const char *)tag + 16, size - 16);
		break;
	case MB2_TAG_MEMINFO:
		if (size >= 16) {
			bi->mem_lower_kb = rd32(tag, 8);
			bi->mem_upper_kb = rd32(tag, 12);
		}
		break;
	case MB2_TAG_MMAP:
		if (size >= 16)
			mb2_mmap(env, bi, tag, size);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		mb2_rsdp(bi, tag, size, type == MB2_TAG_ACPI_NEW);
		break;
	case MB2_TAG_FRAMEBUFFER:
		mb2_framebuffer(env, bi, tag, size);
		break;
	}
}

static int mb2_parse(uint64_t info_pa, const struct mb_env *env, struct boot_info *bi)
{
	const void *head = env->map(env->ctx, info_pa, 8);
	if (!head)
		return -EINVAL;
	uint32_t total = rd32(head, 0);
	if (total < 16 || total > MB2_MAX_SIZE)
		return -EINVAL;
	const char *info = env->map(env->ctx, info_pa, total);
	if (!info)
		return -EINVAL;
	bi->protocol = 2;
	int ended = 0;
	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t type = rd32(info, off), size = rd32(info, off + 4);
		if (type == MB2_TAG_END) {
			ended = 1;
			break;
		}
		if (size < 8 || off + size > total) {
			warn(env, bi, "multiboot2 tag at offset %llu has a bad size, rest ignored", off);
			break;
		}
		mb2_tag(env, bi, info + off, type, size);
		off += (size + 7) & ~7u; /* tags are 8-byte aligned */
	}
	if (!ended)
		warn(env, bi, "multiboot2 information (%llu bytes) has no end tag", total);
	if (bi->mmap_count == 0) {
		if (bi->mem_upper_kb == 0)
			return -ENOENT;
		mmap_from_meminfo(bi, env);
	}
	return 0;
}

static void set_initrd(struct boot_info *bi)
{
	if (bi->module_count) {
		bi->initrd_start = bi->modules[0].start;
		bi->initrd_end = bi->modules[0].end;
	}
}

int mb_parse(uint32_t magic, uint64_t info_pa, const struct mb_env *env, struct boot_info *bi)
{
	memset(bi, 0, sizeof *bi);
	int r;
	if (magic == MB1_BOOT_MAGIC)
		r = mb1_parse(info_pa, env, bi);
	else if (magic == MB2_BOOT_MAGIC)
		r = mb2_parse(info_pa, env, bi);
	else
		r = -EINVAL;
	if (r == 0)
		set_initrd(bi);
	return r;
}
