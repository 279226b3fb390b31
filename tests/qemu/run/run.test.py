#!/usr/bin/env python3
"""./rtjs run (scripts/rtjs-run) as a user sees it, on a pseudo-terminal and from a pipe.

usage: run.test.py BUILD_DIR

Checks: the app's line and nothing of the kernel's log reaches the terminal, the exit
status is the app's, an app's crash report still reaches it, --verbose adds the kernel's
log, Ctrl-C typed on the terminal ends a looping app with 130, the same app run from a
pipe (no terminal) prints and exits alike, and the REPL reads piped input to its end. Each boot has a hang guard
(HANG_GUARD_S); nothing depends on how long a boot takes within it."""
import os
import pty
import select
import signal
import subprocess
import sys
import time

HANG_GUARD_S = 240
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
BUILD = sys.argv[1]
RUN = [os.path.join(ROOT, 'scripts', 'rtjs-run'), BUILD]
KERNEL_LOG_PREFIXES = ('rtjs: kernel starting', 'boot: ', 'mem: ', 'pmm: ', 'linux: ', 'acpi: ', 'smp: ')

passed = failed = 0


def check(ok, what, detail=''):
    global passed, failed
    if ok:
        passed += 1
        print(f'ok - {what}')
    else:
        failed += 1
        print(f'FAIL - {what}')
        if detail:
            print(detail)


class PtyRun:
    """scripts/rtjs-run under a pseudo-terminal, as in an interactive shell."""

    def __init__(self, args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(RUN[0], RUN + args)
        self.out = b''
        self.deadline = time.monotonic() + HANG_GUARD_S

    def read_until(self, needle):
        while needle not in self.out and time.monotonic() < self.deadline:
            ready, _, _ = select.select([self.fd], [], [], 1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        return needle in self.out

    def send(self, data):
        os.write(self.fd, data)

    def wait(self):
        self.read_until(b'\0never\0')  # drain until the child closes the terminal
        while time.monotonic() < self.deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.2)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None

    def text(self):
        return self.out.decode('utf-8', 'replace').replace('\r', '')


def kernel_lines(text):
    return [l for l in text.splitlines() if l.startswith(KERNEL_LOG_PREFIXES)]


hello = os.path.join(HERE, 'hello.js')
loop = os.path.join(HERE, 'loop.js')
crash = os.path.join(HERE, 'crash.js')

# 1. An interactive terminal: the app's line only, and its status.
r = PtyRun([hello])
status = r.wait()
text = r.text()
check('hello from an app 42' in text, 'on a terminal, the app prints its line', text[-2000:])
check(status == 5, f'on a terminal, the exit status is the app\'s (5, got {status})', text[-2000:])
check(not kernel_lines(text), 'on a terminal, no kernel log', '\n'.join(kernel_lines(text))[:2000])
log = os.path.join(BUILD, 'rtjs-run.log')
check(os.path.exists(log) and 'rtjs: kernel starting' in open(log, errors='replace').read(),
      'the kernel log is in build/rtjs-run.log')

# 2. A crash report reaches the terminal; --verbose shows the kernel's log as well.
r = PtyRun([crash])
status = r.wait()
text = r.text()
check('boom from an app' in text and status not in (0, None),
      f'an uncaught error is reported on the terminal and fails the run (status {status})', text[-2000:])
r = PtyRun(['--verbose', hello])
status = r.wait()
text = r.text()
check('hello from an app 42' in text and 'rtjs: kernel starting' in text and status == 5,
      f'--verbose shows the kernel log with the app\'s output (status {status})', text[-2000:])

# 3. Ctrl-C ends a looping app.
r = PtyRun([loop])
started = r.read_until(b'looping')
check(started, 'a looping app starts on a terminal', r.text()[-2000:])
if started:
    r.send(b'\x03')
status = r.wait()
check(status == 130, f'Ctrl-C ends the looping app with status 130 (got {status})', r.text()[-2000:])

# 4. From a pipe, as in CI: no terminal at all.
p = subprocess.run(RUN + [hello], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, timeout=HANG_GUARD_S)
out = p.stdout.decode('utf-8', 'replace').replace('\r', '')
check(out.strip() == 'hello from an app 42', f'from a pipe, stdout is exactly the app\'s line (got {out!r})',
      p.stderr.decode(errors='replace')[-2000:])
check(p.returncode == 5, f'from a pipe, the exit status is the app\'s (5, got {p.returncode})')

# 5. The REPL reads a pipe to its end: every line is evaluated, and the end of the input ends
# the run (a serial line cannot close: the end travels as EOT).
p = subprocess.run(RUN, input=b'6*7\nlet s = "ring" + 0\ns.toUpperCase()\n', stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, timeout=HANG_GUARD_S)
out = p.stdout.decode('utf-8', 'replace').replace('\r', '')
check('42' in out.split() and "'RING0'" in out and p.returncode == 0,
      f'the REPL evaluates piped lines and ends with the input (status {p.returncode})',
      out[-1000:] + p.stderr.decode(errors='replace')[-1000:])

print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
