#!/usr/bin/env python3
"""The framebuffer console on UEFI: an image of the consoles app boots with OVMF, where GRUB
hands over a graphics mode (no VGA text); 6*7 is typed with QEMU's sendkey (monitor on a unix
socket), each key once the previous one is drawn, and QEMU's screendump is read back glyph by
glyph against the console font file (find-text.py): the console must draw '42'.

usage: uefi-console.test.py BUILD_DIR
Each wait is a hang guard only (TCG under load is slow); the test ends when 42 is seen.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
FIND_TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'find-text.py')
BOOT_GUARD_S = 600
KEY_GUARD_S = 120


def fail(msg, log=None):
    print(f'FAIL - {msg}')
    if log and os.path.exists(log):
        print(open(log, 'rb').read()[-1500:].decode(errors='replace'))
    print('0 passed, 1 failed')
    sys.exit(1)


def main():
    build = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix='rtjs-uefi-console.')
    image, serial, klog, sock = (os.path.join(tmp, n) for n in ('cons.img', 'serial.log', 'klog.log', 'mon.sock'))
    made = subprocess.run([os.path.join(ROOT, 'scripts', 'mkimage'), build, 'rtjs:apps/consoles.js', '-o', image],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if made.returncode != 0:
        fail(f'mkimage: {made.stderr.strip()}')
    qemu = subprocess.Popen([os.path.join(ROOT, 'scripts', 'qemu-run'), '-U', '-D', image, '-q', '-l', serial, '-L', klog,
                             '-t', str(BOOT_GUARD_S + 4 * KEY_GUARD_S), '--', '-monitor', f'unix:{sock},server,nowait'],
                            stdin=subprocess.DEVNULL)
    try:
        run(tmp, serial, klog, sock, qemu)
    finally:
        if qemu.poll() is None:
            qemu.terminate()
        qemu.wait()
        subprocess.run(['rm', '-rf', tmp])


def shows(picture, text):
    return subprocess.run([sys.executable, FIND_TEXT, picture, text], capture_output=True).returncode == 0


def run(tmp, serial, klog, sock, qemu):
    # The serial console's prompt: the consoles app has started both consoles (the screen's first).
    deadline = time.monotonic() + BOOT_GUARD_S
    def prompted():
        log = open(serial, 'rb').read() if os.path.exists(serial) else b''
        return b'\n> ' in log or b'\r> ' in log  # after GRUB's "\n\r"

    while not prompted():
        if qemu.poll() is not None or time.monotonic() > deadline:
            fail('the consoles did not start', klog)
        time.sleep(0.5)
    mon = socket.socket(socket.AF_UNIX)
    mon.connect(sock)
    picture = os.path.join(tmp, 'screen.ppm')

    def command(cmd):
        mon.sendall(cmd.encode() + b'\n')
        time.sleep(0.2)

    def wait_for(text):
        deadline = time.monotonic() + KEY_GUARD_S
        while time.monotonic() < deadline:
            if os.path.exists(picture):
                os.unlink(picture)
            command(f'screendump {picture}')
            for _ in range(50):
                if os.path.exists(picture) and os.path.getsize(picture) > 0:
                    break
                time.sleep(0.1)
            time.sleep(0.2)  # the file is complete once QEMU has written it all
            if os.path.exists(picture) and shows(picture, text):
                return True
        return False

    if not wait_for('>'):
        fail('no prompt on the framebuffer console', klog)
    typed = '> '
    for key, char in (('6', '6'), ('shift-8', '*'), ('7', '7')):
        command(f'sendkey {key}')
        typed += char
        if not wait_for(typed):
            fail(f'{typed!r} is not drawn after sendkey {key}', klog)
    command('sendkey ret')
    if not wait_for('42'):
        fail('42 is not drawn after Enter', klog)
    print(subprocess.run([sys.executable, FIND_TEXT, picture, '42'], capture_output=True, text=True).stdout.strip())
    command('quit')
    print('ok - on OVMF the framebuffer console evaluated 6*7 typed with sendkey and drew 42')
    print('1 passed, 0 failed')


main()
