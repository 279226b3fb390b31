#!/usr/bin/env python3
"""The REPL on the kernel's serial console: Ctrl-C ends a line that runs forever, and the
session goes on (the console has a reader thread, so the byte arrives while JavaScript runs).

usage: repl-interrupt.test.py BUILD_DIR

Each step waits for its text with a hang guard (HANG_GUARD_S); nothing depends on how long a
step takes within it."""
import os
import select
import subprocess
import sys
import tempfile
import time

HANG_GUARD_S = 240
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
BUILD = sys.argv[1]

tmp = tempfile.mkdtemp()
initrd = os.path.join(tmp, 'initrd.cpio')
subprocess.run([os.path.join(ROOT, 'scripts', 'mkinitrd'), initrd, '--add', f'{HERE}/first.js=/app/first.js'],
               check=True, stdout=subprocess.DEVNULL)
qemu = subprocess.Popen([os.path.join(ROOT, 'scripts', 'qemu-run'), '-i', '-q', '-k', os.path.join(BUILD, 'rtjs.elf'),
                         '-r', initrd, '-a', 'init=/bin/rtjs -- --single-threaded --cpus 1 --budget 20000 -i',
                         '-t', str(HANG_GUARD_S * 2)],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
out = b''
seen = 0


def wait_for(text):
    global out, seen
    end = time.time() + HANG_GUARD_S
    while text.encode() not in out[seen:]:
        if time.time() > end or qemu.poll() is not None and not select.select([qemu.stdout], [], [], 0)[0]:
            return False
        r, _, _ = select.select([qemu.stdout], [], [], 0.5)
        if r:
            chunk = os.read(qemu.stdout.fileno(), 4096)
            if not chunk and qemu.poll() is not None:
                return False
            out += chunk
    seen = out.index(text.encode(), seen) + len(text)
    return True


def send(text):
    qemu.stdin.write(text.encode())
    qemu.stdin.flush()


steps = [
    (None, 'linux: starting /bin/rtjs'),
    # The first byte can arrive before the kernel sets up the UART (its FIFO reset drops it):
    # a newline first. A serial line is no terminal: the REPL prints results, no prompt.
    ('\n40 + 2\n', '42'),
    ("console.log('spin' + 'ning'); while (true) {}\n", 'spinning'),
    ('\x03', 'interrupted by Ctrl-C'),
    ("let s = 'ring' + 0; s.toUpperCase()\n", "'RING0'"),
    ('.exit\n', 'rtjs: power-off status=0'),
]
failed = False
for data, expect in steps:
    if data is not None:
        send(data)
    if not wait_for(expect):
        print(f'FAIL - waiting for {expect!r}')
        print(out.decode(errors='replace')[-3000:])
        failed = True
        break
    print(f'ok - {expect!r}')
if qemu.poll() is None:
    qemu.kill()
qemu.wait()
print('repl-interrupt on the kernel: ' + ('FAILED' if failed else 'passed'))
sys.exit(1 if failed else 0)
