#!/usr/bin/env python3
# The REPL on a terminal, driven through a pseudo-terminal: top-level await, _ and _error,
# errors from timers and rejected promises printed while the REPL goes on, Ctrl-C ending a
# line that runs forever (not the watchdog, not the REPL), Tab completion of globals and
# properties, candidates listed on a second Tab; multi-line input, .break, .editor, .help;
# .load and .save, and the history kept across
# sessions in a file ($HOME/.rtjs_repl_history, HOME a directory the test makes).
# usage: repl.test.py path/to/rtjs-sim [runtime options...]
import fcntl, os, pty, select, shutil, struct, sys, tempfile, termios, time
home = tempfile.mkdtemp()
def run(args, steps, timeout=60):
    """Sends each step's keys, then waits for its expected text in the new output."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['NO_COLOR'] = '1'
        os.environ['HOME'] = home
        os.environ.pop('RTJS_REPL_HISTORY', None)
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
        if isinstance(send, tuple):  # ('resize', columns): the terminal's window changes
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, send[1], 0, 0))
            continue
        if send is not None: os.write(fd, send.encode())
        if expect is not None and not read_until(expect):
            print("TIMEOUT waiting for", repr(expect)); print(repr(out)); return 1
    run.output = out
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
# .load runs a file as one input; .save writes what was evaluated; a missing file is a
# message and the REPL goes on.
lib = os.path.join(home, 'lib.js')
saved = os.path.join(home, 'saved.js')
with open(lib, 'w') as f:
    f.write('function twice(x) {\n  return 2 * x\n}\nconst loaded = twice(21)\nloaded\n')
rc = rc or run(sys.argv[1:], [
  (None, '> '),
  (f'.load {lib}\r', '42'),
  # Input that is not complete yet continues on the next line; .break drops it.
  ('function thrice(x) {\r', '... '),
  ('  return 3 * x\r', '... '),
  ('}\r', '> '),
  ('thrice(4)\r', '12'),
  ('[1,\r', '... '),
  ('.break\r', '> '),
  # .editor takes lines until Ctrl-D and runs them as one input.
  ('.editor\r', 'Ctrl+D to finish'),
  ('const e = 6\re * 7\r\x04', '42'),
  ('.help\r', '.editor'),
  ('twice(5)\r', '10'),
  (f'.save {saved}\r', 'Session saved to'),
  (f'.load {home}/missing.js\r', 'Failed to load'),
  ('"still" + " here"\r', 'still here'),
  ('.exit\r', None),
])
if rc == 0:
    text = open(saved).read() if os.path.exists(saved) else ''
    if 'function twice' not in text or 'twice(5)' not in text:
        print('FAIL - .save wrote', repr(text)); rc = 1
# The width comes from the terminal and is asked again at each key, so a resize is followed:
# a 40-character line is shown as a window of it on 24 columns, and whole on 100.
for columns, shown, hidden in ((24, 'x' * 15, 'x' * 22), (100, 'x' * 40, None)):
    rc = rc or run(sys.argv[1:], [
      (None, '> '),
      (('resize', columns), None),
      ('"' + 'x' * 40, shown),
      ('\x15.exit\r', None),
    ])
    if rc == 0 and hidden is not None and hidden.encode() in run.output:
        print(f'FAIL - on {columns} columns the line was drawn wider than the terminal'); rc = 1
# The next session recalls the last one's lines with Up.
rc = rc or run(sys.argv[1:], [
  (None, '> '),
  ('\x1b[A', 'still'),
  ('\x1b[A', '.load'),
  ('\x1b[A', 'save'),
  ('\x1b[A', 'twice(5)'),
  ('\x1b[B\x1b[B\x1b[B', 'still'),
  ('\r', 'still here'),
  ('.exit\r', None),
])
shutil.rmtree(home, ignore_errors=True)
print('repl over a pty: ' + ('passed' if rc == 0 else 'FAILED'))
sys.exit(rc)
