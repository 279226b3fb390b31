// Virtual consoles on the VGA screen with logins, typed at on the PS/2 keyboard: keys go in
// through the 8042 controller (its "write keyboard output" command delivers a byte as if the
// keyboard had sent it, with IRQ 1), and what each console shows is read back from VGA text
// memory itself. Alt+F2 shows a second console with its own login; Alt+F1 brings the first
// one back exactly as it was; a logout on one leaves the other's session running.
import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { VgaText } from 'rtjs:drivers/vga-text.js';
import { Ps2Keyboard } from 'rtjs:drivers/ps2-keyboard.js';
import { VirtualConsoles } from 'rtjs:services/sessions/vt.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { SessionManager } from 'rtjs:services/sessions/manager.js';
import usersFile from '../fixtures/sessions/users.json' with { type: 'json' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const WAIT_MS = 120000; // a hang guard only

const CMD_WRITE_KBD_OUTPUT = 0xd2; // 8042: the next byte written to 0x60 comes back as keyboard data
const STATUS_OBF = 0x01;
const BREAK = 0x80;
// Scan code set 1 (the controller translates): rows of the US layout, unshifted and shifted.
const ROWS = [[0x02, '1234567890-=', '!@#$%^&*()_+'], [0x10, 'qwertyuiop[]', 'QWERTYUIOP{}'],
  [0x1e, "asdfghjkl;'`", 'ASDFGHJKL:"~'], [0x2b, '\\zxcvbnm,./', '|ZXCVBNM<>?']];
const SHIFT = 0x2a, CTRL = 0x1d, ALT = 0x38, ENTER = 0x1c, SPACE = 0x39, F1 = 0x3b;

const data = rt.hw.ports(0x60, 1), status = rt.hw.ports(0x64, 1);
const vgaMemory = rt.hw.memory(0xb8000, 4000).u8;

async function send(byte) {
  status.write8(0, CMD_WRITE_KBD_OUTPUT);
  data.write8(0, byte);
  const start = Date.now();
  while (status.read8(0) & STATUS_OBF) { // the driver's IRQ handler reads it
    if (Date.now() - start > WAIT_MS) throw new Error('the keyboard byte was never read');
    await sleep(1);
  }
}

async function press(...codes) { // a chord: pressed in order, released in reverse
  for (const c of codes) await send(c);
  for (const c of [...codes].reverse()) await send(c | BREAK);
}

async function type(text) {
  for (const ch of text) {
    if (ch === '\n') { await press(ENTER); continue; }
    if (ch === ' ') { await press(SPACE); continue; }
    const row = ROWS.find(([, plain, shifted]) => plain.includes(ch) || shifted.includes(ch));
    if (!row) throw new Error(`cannot type ${JSON.stringify(ch)}`);
    const [base, plain] = row;
    if (plain.includes(ch)) await press(base + plain.indexOf(ch));
    else await press(SHIFT, base + row[2].indexOf(ch));
  }
}

// The screen as VGA memory holds it: 25 rows of 80 characters, trailing blanks dropped.
function screen() {
  const rows = [];
  for (let r = 0; r < 25; r++) {
    let s = '';
    for (let c = 0; c < 80; c++) s += String.fromCharCode(vgaMemory[2 * (r * 80 + c)]);
    rows.push(s.trimEnd());
  }
  while (rows.length && rows[rows.length - 1] === '') rows.pop();
  return rows.join('\n');
}

async function until(check, what) {
  const start = Date.now();
  while (!check(screen())) {
    if (Date.now() - start > WAIT_MS) throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`);
    await sleep(10);
  }
}

test('Alt+F1/F2: two logins on two consoles, each screen kept; a logout ends one session only', async () => {
  const vga = new VgaText(rt.hw.memory(0xb8000, 4000), rt.hw.ports(0x3d4, 2));
  vga.clear();
  const keyboard = new Ps2Keyboard(data, status, rt.hw.irq(1));
  const vts = new VirtualConsoles({ surface: vga, keyboard, count: 3 });
  const users = new UserDb();
  users.loadJson(JSON.stringify(usersFile));
  const manager = new SessionManager({ users, backoffMs: 100, power: { off() {}, reboot() {} } });
  for (const c of vts.consoles) manager.attach(c);

  await until((s) => s.includes('rtjs tty1') && s.endsWith('rtjs login:'), 'the login prompt on tty1');
  await type('alice\nsecret\n');
  await until((s) => s.endsWith('alice@rtjs#'), 'alice\'s prompt');
  await type('6*7\n');
  await until((s) => s.endsWith('42\nalice@rtjs#'), '42 on tty1');
  const first = screen();
  assertEqual(first.includes('secret'), false, 'the password was not shown');

  await press(ALT, F1 + 1);
  await until((s) => s.includes('rtjs tty2') && s.endsWith('rtjs login:'), 'tty2\'s login prompt');
  assertEqual([screen().includes('42'), screen().includes('alice')], [false, false], 'tty2 shows none of tty1');
  await type('bob\nwrong\n');
  await until((s) => s.includes('Login incorrect'), 'the refusal on tty2');
  await until((s) => s.endsWith('rtjs login:'), 'the prompt after the delay');
  await type('bob\nhunter2\n');
  await until((s) => s.endsWith('bob@rtjs$'), 'bob\'s prompt');
  await type('who\n');
  await until((s) => /alice +tty1[^]*bob +tty2[^]*bob@rtjs\$$/.test(s), 'who on tty2');
  const second = screen();

  await press(ALT, F1);
  await until((s) => s === first, 'tty1 exactly as it was');
  assertEqual([vga.row, vga.col], [first.split('\n').length - 1, 'alice@rtjs# '.length], 'the cursor is back too');

  await press(CTRL, 0x20); // Ctrl-D: alice logs out
  await until((s) => s.endsWith('rtjs login:'), 'the login prompt on tty1 again');
  await until(() => manager.list().length === 1, 'one session left');
  assertEqual(manager.list().map((s) => [s.user, s.console]), [['bob', 'tty2']]);
  const bobShell = manager.list()[0].shellId;
  assertEqual(rt.apps().some((a) => a.id === bobShell), true, 'bob\'s shell still runs');

  await press(ALT, F1 + 1);
  await until((s) => s === second, 'tty2 as it was');
  await type('1+1\n');
  await until((s) => s.endsWith('2\nbob@rtjs$'), 'bob\'s shell answering');
  vts.close();
  keyboard.close();
  for (const c of vts.consoles) manager.closeConsole(c.name);
  await until(() => !rt.apps().some((a) => a.id === bobShell), 'bob\'s shell to end with its console');
});
