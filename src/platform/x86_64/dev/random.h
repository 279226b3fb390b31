/* The kernel's random numbers (getrandom(2), /dev/urandom, AT_RANDOM), drawn from every
 * source the machine has: RDRAND on each request when the CPU has it, and whatever bytes a
 * driver writes to /dev/urandom (the runtime's virtio-rng driver feeds the device's bytes
 * there). The sources are mixed into a ChaCha20 key (RFC 8439) and the output is ChaCha20's
 * keystream, so one good source is enough and a bad one adds nothing an attacker can use. */
#ifndef RTJS_RANDOM_H
#define RTJS_RANDOM_H
#include <stddef.h>
#include <stdint.h>

/* Mixes len bytes into the key. Never lowers what the key already holds. */
void random_add(const void *buf, size_t len);

/* Fills buf with len random bytes: 0, or -EIO while no source has seeded the generator
 * (no RDRAND and fewer than RANDOM_SEED_BYTES added). */
int random_read(void *buf, size_t len);

/* Bytes added through random_add since boot. */
uint64_t random_added(void);

#define RANDOM_SEED_BYTES 32 /* a ChaCha20 key's worth (RFC 8439, 2.3) */

#endif
