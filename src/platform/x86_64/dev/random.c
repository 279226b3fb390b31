/* The kernel's random number generator (random.h): a ChaCha20 key that every source is mixed
 * into, ChaCha20 keystream out (RFC 8439, 2.3, the block function), and the key replaced
 * after every request ("fast key erasure"), so that output already given cannot be
 * recomputed from a later key. */
#include "dev/random.h"

#include <errno.h>
#include <string.h>

#include "cpu/features.h"
#include "cpu/spinlock.h"

#define CHACHA_ROUNDS 20 /* RFC 8439, 2.3: 10 double rounds */
#define CHACHA_WORDS 16
#define KEY_WORDS 8
#define BLOCK_BYTES (CHACHA_WORDS * 4)
#define RANDOM_CHUNK (4 * BLOCK_BYTES)
/* The block counter's top value is kept for mixing, so mixing and output never share a block. */
#define MIX_COUNTER 0xffffffffu

/* "expand 32-byte k" (RFC 8439, 2.3). */
static const uint32_t sigma[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };

static spinlock_t lock = SPINLOCK_INIT(RANDOM, "random");
static uint32_t key[KEY_WORDS];
static uint64_t stream; /* output blocks since boot: the nonce, so no key/nonce pair repeats */
static uint64_t added;

static inline uint32_t rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QUARTER(a, b, c, d)                                                                     \
	do {                                                                                        \
		a += b, d ^= a, d = rotl(d, 16);                                                    \
		c += d, b ^= c, b = rotl(b, 12);                                                    \
		a += b, d ^= a, d = rotl(d, 8);                                                     \
		c += d, b ^= c, b = rotl(b, 7);                                                     \
	} while (0)

/* One ChaCha20 block of the current key (RFC 8439, 2.3.1). */
static void chacha_block(uint32_t counter, uint64_t nonce, uint32_t out[CHACHA_WORDS])
{
	uint32_t in[CHACHA_WORDS] = { sigma[0], sigma[1], sigma[2], sigma[3] };
	memcpy(&in[4], key, sizeof key);
	in[12] = counter;
	in[13] = 0;
	in[14] = (uint32_t)nonce;
	in[15] = (uint32_t)(nonce >> 32);
	uint32_t *x = out;
	memcpy(x, in, sizeof in);
	for (int i = 0; i < CHACHA_ROUNDS; i += 2) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < CHACHA_WORDS; i++)
		out[i] += in[i];
}

/* key = ChaCha20(key XOR chunk): a keyed function of everything mixed so far. Called locked. */
static void mix_locked(const uint8_t *p, size_t len)
{
	while (len) {
		uint32_t chunk[KEY_WORDS] = { 0 };
		size_t n = len < sizeof chunk ? len : sizeof chunk;
		memcpy(chunk, p, n);
		for (int i = 0; i < KEY_WORDS; i++)
			key[i] ^= chunk[i];
		uint32_t block[CHACHA_WORDS];
		chacha_block(MIX_COUNTER, stream++, block);
		memcpy(key, block, sizeof key);
		memset(block, 0, sizeof block);
		p += n;
		len -= n;
	}
}

void random_add(const void *buf, size_t len)
{
	uint64_t fl = spin_lock(&lock);
	mix_locked(buf, len);
	added += len;
	spin_unlock(&lock, fl);
}

uint64_t random_added(void)
{
	return __atomic_load_n(&added, __ATOMIC_RELAXED);
}

/* One chunk: fresh RDRAND mixed in, keystream out, then the key replaced. */
static int read_chunk(uint8_t *out, size_t len)
{
	uint8_t fresh[RANDOM_SEED_BYTES];
	int have_cpu = cpu_random(fresh, sizeof fresh) == 0;
	uint64_t fl = spin_lock(&lock);
	if (!have_cpu && added < RANDOM_SEED_BYTES) {
		spin_unlock(&lock, fl);
		return -EIO;
	}
	if (have_cpu)
		mix_locked(fresh, sizeof fresh);
	uint64_t nonce = stream++;
	uint32_t counter = 0;
	uint32_t block[CHACHA_WORDS];
	while (len) {
		chacha_block(counter++, nonce, block);
		size_t n = len < BLOCK_BYTES ? len : BLOCK_BYTES;
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	chacha_block(counter, nonce, block); /* the next key: a block nobody has seen */
	memcpy(key, block, sizeof key);
	spin_unlock(&lock, fl);
	memset(block, 0, sizeof block);
	memset(fresh, 0, sizeof fresh);
	return 0;
}

int random_read(void *buf, size_t len)
{
	/* Generated on the kernel stack in chunks, copied out with the lock dropped: interrupts
	 * stay off only for a few blocks, and writing the caller's buffer may fault. */
	uint8_t chunk[RANDOM_CHUNK];
	uint8_t *p = buf;
	while (len) {
		size_t n = len < sizeof chunk ? len : sizeof chunk;
		int rc = read_chunk(chunk, n);
		if (rc)
			return rc;
		memcpy(p, chunk, n);
		p += n;
		len -= n;
	}
	memset(chunk, 0, sizeof chunk);
	return 0;
}
