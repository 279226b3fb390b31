#!/usr/bin/env python3
"""pattern.py SIZE SEED: writes to stdout the bytes image.js's pattern(SIZE, SEED) makes
(a xorshift32 stream), so the host can make and check the files the test apps check."""
import sys

def pattern(size, seed):
    mask = 0xFFFFFFFF
    x = (seed * 2654435761) & mask or 1
    out = bytearray(size)
    for i in range(size):
        x ^= (x << 13) & mask
        x ^= x >> 17
        x ^= (x << 5) & mask
        out[i] = x & 0xFF
    return bytes(out)

sys.stdout.buffer.write(pattern(int(sys.argv[1]), int(sys.argv[2])))
