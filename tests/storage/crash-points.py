#!/usr/bin/env python3
"""Replays the device writes crash-points.js printed onto IMAGE one at a time, each torn at
every 4 KiB page of the image (a killed QEMU's host write copies a page whole or not at all),
and runs fsck.fat -n after every piece: each must find at most what a crash may leave
(CRASH_ALLOWED, the pattern lib.sh exports). Prints how many crash points it checked.
  crash-points.py IMAGE < app-output"""
import os
import re
import subprocess
import sys

PAGE_SECTORS = 8  # 4096-byte pages of 512-byte sectors
allowed = re.compile(os.environ['CRASH_ALLOWED'])
image = sys.argv[1]

requests = []
for line in sys.stdin:
    if line.startswith('REQ'):
        requests.append([])
    elif line.startswith('W '):
        _, lba, data = line.split()
        requests[-1].append((int(lba), bytes.fromhex(data)))

points = 0
with open(image, 'r+b') as disk:
    for n, sectors in enumerate(requests):
        pieces = []
        for lba, data in sectors:
            if pieces and pieces[-1][-1][0] // PAGE_SECTORS == lba // PAGE_SECTORS:
                pieces[-1].append((lba, data))
            else:
                pieces.append([(lba, data)])
        for k, piece in enumerate(pieces):
            for lba, data in piece:
                disk.seek(lba * 512)
                disk.write(data)
            disk.flush()
            out = subprocess.run(['fsck.fat', '-n', image], capture_output=True, text=True).stdout
            points += 1
            bad = [l for l in out.splitlines() if not allowed.match(l)]
            if bad:
                print(f'FAIL: a crash after write {n + 1} of {len(requests)} (sectors {sectors[0][0]}..'
                      f'{sectors[-1][0]}, page {k + 1} of {len(pieces)}) leaves what fsck.fat -n reports:')
                print(out)
                sys.exit(1)
print(f'ok - {points} crash points after {len(requests)} device writes: fsck.fat -n finds at most lost clusters at each')
