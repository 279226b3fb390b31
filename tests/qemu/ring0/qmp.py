#!/usr/bin/env python3
"""Human-monitor commands for a running QEMU through its QMP socket (a unix socket, so no port is
guessed): each command is sent once the previous one has answered, so a test never waits a fixed
time for QEMU to have carried one out. `pmemsave` has written its file when this returns.

usage: qmp.py SOCKET COMMAND...   (prints what each command printed, if anything)

QEMU creates the socket as it starts; this waits for it within HANG_GUARD_S."""
import json
import socket
import sys
import time

HANG_GUARD_S = 120


def connect(path):
    end = time.monotonic() + HANG_GUARD_S
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.settimeout(HANG_GUARD_S)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > end:
                sys.exit(f'qmp.py: no QMP socket at {path} after {HANG_GUARD_S} s')
            time.sleep(0.1)


class Qmp:
    def __init__(self, path):
        self.sock = connect(path)
        self.file = self.sock.makefile('rb')
        self.reply()  # the greeting
        self.execute('qmp_capabilities')

    def reply(self):
        """The next message that is not an asynchronous event."""
        while True:
            line = self.file.readline()
            if not line:
                sys.exit('qmp.py: QEMU closed the QMP socket')
            msg = json.loads(line)
            if 'event' not in msg:
                return msg

    def execute(self, command, **arguments):
        self.sock.sendall(json.dumps({'execute': command, 'arguments': arguments}).encode() + b'\n')
        msg = self.reply()
        if 'error' in msg:
            sys.exit(f"qmp.py: {command}: {msg['error'].get('desc', msg['error'])}")
        return msg.get('return')


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    qmp = Qmp(sys.argv[1])
    for line in sys.argv[2:]:
        printed = qmp.execute('human-monitor-command', **{'command-line': line})
        if printed:
            sys.stdout.write(printed)


main()
