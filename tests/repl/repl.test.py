#!/usr/bin/env python3
# The REPL on a terminal, driven through a pseudo-terminal: top-level await, _ and _error,
# errors from timers and rejected promises printed while the REPL goes on, Ctrl-C ending a
# line that runs forever (not the watchdog, not the REPL), Tab completion of globals and
# properties, candidates listed on a second Tab.
# usage: repl.test.py path/to/rtjs-sim [runtime options...]
import os, pty, select, sys, time
def run(args, steps, timeout=60):
    """Sends each step's keys, then waits for its expected text in the new output."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['NO_COLOR'] = '1'
        os.execv(args[0], args)  # the REPL: no app, standard input a terminal
    out = b''
    seen = 0
    def read_until(pat, t=timeout):
        nonlocal out, seen
        end = time.time() + t
        while pat.encode() not in out[seen:]:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try: out += os.read(fd, 4096)
                except OSError: return False
            if time.time() > end: return False
        seen = out.index(pat.encode(), seen) + len(pat)
        return True
    for send, expect in steps:
        if send is not None: os.write(fd, send.encode())
        if expect is not None and not read_until(expect):
            print("TIMEOUT waiting for", repr(expect)); print(repr(out)); return 1
    return 0
steps = [
  (None, '> '),
  ('let p = new Promise(r => setTimeout(() => r(41), 10))\r', '> '),
  ('await p + 1\r', '42'),
  ('_ * 2\r', '84'),
  ('const v = await Promise.resolve(7)\r', '> '),
  ('v\r', '7'),
  ('setTimeout(() => { throw new Error("from a timer") }, 5)\r', 'Uncaught Error: from a timer'),
  ('Promise.reject(new TypeError("rej"))\r', 'Uncaught TypeError: rej'),
  ('_error.message\r', "'rej'"),
]
# Where the platform reads the console between tasks (the ring-0 program), nothing can
# interrupt a busy line: the watchdog ends it there, so that step is left out.
if os.environ.get('REPL_TEST_NO_INTERRUPT') != '1':
    steps += [
  ('console.log("spin" + "ning"); while (true) {}\r', 'spinning'),
  ('\x03', 'interrupted'),
]
steps += [
  ('1 + 1\r', '2'),
  ('conso\t', None),
  ('.lo\t', None),
  ('("do" + "ne")\r', 'done\r\r\nundefined'),
  ('Math.LN\t', None),
  ('\t', 'LN10'),
  ('\x15', None),
  ('.exit\r', None),
]
rc = run(sys.argv[1:], steps)
print('repl over a pty: ' + ('passed' if rc == 0 else 'FAILED'))
sys.exit(rc)
