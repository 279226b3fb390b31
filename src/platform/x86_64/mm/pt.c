#include "mm/pt.h"
#include <errno.h>
#include <stddef.h>

/* Returns the table below entry *e, creating it when `create`; NULL if absent/failed. */
static uint64_t *next_table(const struct pt_env *env, uint64_t *e, int create, uint64_t user)
{
	if (*e & PTE_P) {
		if (*e & PTE_PS)
			return NULL;
		if (user && !(*e & PTE_U))
			*e |= PTE_U;
		return env->table(env->ctx, *e & PTE_ADDR);
	}
	if (!create)
		return NULL;
	uint64_t pa = env->alloc(env->ctx);
	if (!pa)
		return NULL;
	*e = pa | PTE_P | PTE_W | user;
	return env->table(env->ctx, pa);
}

/* Walks to the table at `level` (0 = PT, 1 = PD) for va. *err says why it failed. */
static uint64_t *walk(const struct pt_env *env, uint64_t root, uint64_t va, int level, int create,
		      uint64_t user, int *err)
{
	uint64_t *t = env->table(env->ctx, root);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[PT_INDEX(va, l)];
		if ((*e & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS)) {
			*err = -EEXIST;
			return NULL;
		}
		t = next_table(env, e, create, user);
		if (!t) {
			*err = create ? -ENOMEM : -ENOENT;
			return NULL;
		}
	}
	return t;
}

int pt_map(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa, uint64_t pte)
{
	int err = 0;
	uint64_t *t = walk(env, root, va, 0, 1, pte & PTE_U, &err);
	if (!t)
		return err;
	t[PT_INDEX(va, 0)] = (pa & PTE_ADDR) | (pte & ~PTE_ADDR) | PTE_P;
	return 0;
}

int pt_map_2m(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa, uint64_t pte)
{
	int err = 0;
	if ((va | pa) & ((1ull << 21) - 1))
		return -EINVAL;
	uint64_t *t = walk(env, root, va, 1, 1, pte & PTE_U, &err);
	if (!t)
		return err;
	uint64_t *e = &t[PT_INDEX(va, 1)];
	if ((*e & PTE_P) && !(*e & PTE_PS))
		return -EEXIST;
	*e = (pa & PTE_ADDR_2M) | (pte & ~PTE_ADDR) | PTE_P | PTE_PS;
	return 0;
}

/* The present 4 KiB entry for va, or NULL with *err: -ENOENT where nothing is mapped,
 * -EEXIST inside a 2 MiB page. */
static uint64_t *present_leaf(const struct pt_env *env, uint64_t root, uint64_t va, int *err)
{
	uint64_t *t = walk(env, root, va, 0, 0, 0, err);
	if (!t)
		return NULL;
	uint64_t *e = &t[PT_INDEX(va, 0)];
	if (!(*e & PTE_P)) {
		*err = -ENOENT;
		return NULL;
	}
	return e;
}

int pt_unmap(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *old)
{
	int err = 0;
	uint64_t *e = present_leaf(env, root, va, &err);
	if (!e)
		return err;
	if (old)
		*old = *e;
	*e = 0;
	return 0;
}

int pt_lookup(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pte, uint64_t *size)
{
	uint64_t *t = env->table(env->ctx, root);
	for (int l = 3; l >= 0; l--) {
		uint64_t e = t[PT_INDEX(va, l)];
		if (!(e & PTE_P))
			return -ENOENT;
		if (l == 0 || ((e & PTE_PS) && l == 1)) {
			*pte = e;
			*size = l ? (1ull << 21) : 4096;
			return 0;
		}
		if (e & PTE_PS) /* 1 GiB pages are never created here */
			return -ENOENT;
		t = env->table(env->ctx, e & PTE_ADDR);
	}
	return -ENOENT;
}

int pt_set_flags(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t flags)
{
	int err = 0;
	uint64_t *e = present_leaf(env, root, va, &err);
	if (!e)
		return err;
	if ((flags & PTE_U) && !(*e & PTE_U)) {
		/* A user leaf needs U on every level above it: re-walk setting it. */
		(void)walk(env, root, va, 0, 1, PTE_U, &err);
	}
	*e = (*e & PTE_ADDR) | (flags & ~PTE_ADDR) | PTE_P;
	return 0;
}

static void free_level(const struct pt_env *env, uint64_t table_pa, int level)
{
	if (level > 0) {
		uint64_t *t = env->table(env->ctx, table_pa);
		for (int i = 0; i < 512; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				free_level(env, t[i] & PTE_ADDR, level - 1);
	}
	env->free(env->ctx, table_pa);
}

void pt_free_tables(const struct pt_env *env, uint64_t root, unsigned first, unsigned last)
{
	uint64_t *pml4 = env->table(env->ctx, root);
	for (unsigned i = first; i <= last && i < 512; i++) {
		if (pml4[i] & PTE_P)
			free_level(env, pml4[i] & PTE_ADDR, 2);
		pml4[i] = 0;
	}
}
