#!/usr/bin/env python3
"""Finds text drawn by the framebuffer console in a screen picture, glyph by glyph.

usage: find-text.py PICTURE TEXT [FONT]
  PICTURE  a PPM (P6, QEMU's screendump) or PNG (rtjs-sim --screenshot) file
  TEXT     the characters to look for, in one text row
  FONT     the PSF console font (default: Debian's default8x16, what rtjs draws with)

The picture is read as a grid of cells the font's size from its top-left corner. A cell
matches a character when its lit pixels (nearer its brightest than its darkest) are exactly
the glyph's set bits. Prints each place the text is found ("row R col C") and exits 0, or 1 when
it is nowhere. The reference is the font file itself, not a stored picture.
"""
import gzip
import struct
import sys
import zlib

PSF1_MAGIC = b'\x36\x04'
PSF2_MAGIC = b'\x72\xb5\x4a\x86'


def load_font(path):
    data = open(path, 'rb').read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        height, header, width = data[3], 4, 8
    elif data[:4] == PSF2_MAGIC:
        header = struct.unpack_from('<I', data, 8)[0]
        height, width = struct.unpack_from('<2I', data, 24)
    else:
        sys.exit(f'find-text: {path} is not a PSF font')
    per_row = (width + 7) // 8

    def glyph(code):
        at = header + code * height * per_row
        rows = []
        for y in range(height):
            bits = int.from_bytes(data[at + y * per_row: at + (y + 1) * per_row], 'big') >> (per_row * 8 - width)
            rows.append([(bits >> (width - 1 - x)) & 1 for x in range(width)])
        return rows
    return width, height, glyph


def read_ppm(data):
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    width, height, _ = fields
    pixels = data[pos + 1:]
    return width, height, lambda x, y: sum(pixels[(y * width + x) * 3:(y * width + x) * 3 + 3])


def read_png(data):
    pos, idat, width, height, kind = 8, b'', 0, 0, 0
    while pos < len(data):
        length, tag = struct.unpack_from('>I4s', data, pos)
        body = data[pos + 8:pos + 8 + length]
        if tag == b'IHDR':
            width, height, depth, kind = struct.unpack_from('>IIBB', body)
            if depth != 8 or kind not in (2, 6):
                sys.exit('find-text: only 8-bit RGB/RGBA PNG files')
        elif tag == b'IDAT':
            idat += body
        pos += 12 + length
    bpp = 4 if kind == 6 else 3
    raw, stride = zlib.decompress(idat), width * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return width, height, lambda x, y: sum(out[(y * width + x) * bpp:(y * width + x) * bpp + 3])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    picture, text = sys.argv[1], sys.argv[2]
    font = sys.argv[3] if len(sys.argv) > 3 else '/usr/share/consolefonts/default8x16.psf.gz'
    fw, fh, glyph = load_font(font)
    data = open(picture, 'rb').read()
    width, height, brightness = read_ppm(data) if data[:2] == b'P6' else read_png(data)
    cols, rows = width // fw, height // fh
    wanted = [glyph(ord(ch)) for ch in text]

    lit_cache = {}

    def lit(row, col):
        # A pixel is lit when it is nearer the cell's brightest than its darkest (a blank
        # cell, all one colour, has none).
        if (row, col) not in lit_cache:
            lum = [[brightness(col * fw + x, row * fh + y) for x in range(fw)] for y in range(fh)]
            lo, hi = min(min(r) for r in lum), max(max(r) for r in lum)
            lit_cache[row, col] = [[int(hi > lo and 2 * v > lo + hi) for v in r] for r in lum]
        return lit_cache[row, col]

    def cell_matches(row, col, rows_bits):
        return lit(row, col) == rows_bits

    found = []
    for row in range(rows):
        for col in range(cols - len(wanted) + 1):
            if all(cell_matches(row, col + i, g) for i, g in enumerate(wanted)):
                found.append((row, col))
    for row, col in found:
        print(f'row {row} col {col}')
    print(f'find-text: {picture} {width}x{height} ({cols}x{rows} cells): {text!r} found {len(found)} time(s)')
    sys.exit(0 if found else 1)


main()
