// FAT directory-entry names and times (Microsoft "FAT: General Overview of On-Disk
// Format", version 1.03, sections 6 and 7): 8.3 short names, long names in UTF-16 spread
// over LFN entries, the short name's checksum, and DOS dates and times.

export const ENTRY = 32; // bytes in one directory entry
export const LFN_CHARS = 13; // UTF-16 units in one long-name entry
const LFN_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]; // of each unit in the entry
export const LFN_LAST = 0x40; // ORed into the sequence number of the last (first stored) entry
export const MAX_LONG = 255; // UTF-16 units in a long name

// Characters a long name may not hold (spec section 7: besides controls), and the extra
// ones an 8.3 name may not hold.
const BAD_LONG = /[\x00-\x1f"*/:<>?\\|\x7f]/;
const BAD_SHORT = /[+,;=[\] .]/g;

/** The short name's checksum stored in each of its long-name entries (spec 7.2). */
export function checksum(short) {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + short[i]) & 0xff;
  return sum;
}

/** Whether `name` may be a long name: null if so, else why not. */
export function invalidName(name) {
  if (name === '.' || name === '..') return 'reserved name';
  if (name.length > MAX_LONG) return 'longer than 255 UTF-16 units';
  if (BAD_LONG.test(name)) return 'holds a character FAT does not allow';
  if (/[. ]$/.test(name)) return 'ends with a period or a space';
  return null;
}

/** The 11-byte short name as text ("README.TXT"), with the NT lower-case flags of byte 12. */
export function shortToText(raw, ntFlags) {
  let base = latin1(raw.subarray(0, 8)).replace(/ +$/, '');
  let ext = latin1(raw.subarray(8, 11)).replace(/ +$/, '');
  if (raw[0] === 0x05) base = `\u00e5${base.slice(1)}`; // 0x05 stands for a leading 0xE5 (spec 6.1)
  if (ntFlags & 0x08) base = base.toLowerCase();
  if (ntFlags & 0x10) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}

function latin1(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * The 8.3 form of `name` if it is exactly a valid upper-case short name (then no long
 * name entries are needed), else null.
 */
export function exactShort(name) {
  const m = /^([A-Z0-9!#$%&'()@^_`{}~-]{1,8})(?:\.([A-Z0-9!#$%&'()@^_`{}~-]{1,3}))?$/.exec(name);
  if (!m) return null;
  return pad(m[1], m[2] || '');
}

function pad(base, ext) {
  const out = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length; i++) out[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) out[8 + i] = ext.charCodeAt(i);
  return out;
}

/**
 * A unique short name for the long name `name`, given `taken(raw11) -> boolean` (spec 7.4:
 * upper case, invalid characters as '_', a numeric tail ~N).
 */
export function makeShort(name, taken) {
  const clean = (s) => s.toUpperCase().replace(/[^\x20-\x7e]/g, '_').replace(BAD_SHORT, '').replace(/["*/:<>?\\|]/g, '_');
  const dot = name.lastIndexOf('.');
  const hasExt = dot > 0;
  let base = clean(hasExt ? name.slice(0, dot) : name).replace(/^\.+/, '') || '_';
  const ext = hasExt ? clean(name.slice(dot + 1)).slice(0, 3) : '';
  base = base.slice(0, 8);
  for (let n = 1; n < 1000000; n++) {
    const tail = `~${n}`;
    const raw = pad(base.slice(0, 8 - tail.length) + tail, ext);
    if (!taken(raw)) return raw;
  }
  return null;
}

/** The long name `name` as LFN entries, in disk order (the last part first). */
export function longEntries(name, sum) {
  const units = [];
  for (let i = 0; i < name.length; i++) units.push(name.charCodeAt(i));
  const count = Math.ceil(units.length / LFN_CHARS);
  if (units.length % LFN_CHARS) units.push(0); // terminator, then 0xFFFF padding
  while (units.length < count * LFN_CHARS) units.push(0xffff);
  const out = new Uint8Array(count * ENTRY);
  for (let k = 0; k < count; k++) {
    const seq = count - k; // stored from the last part down to part 1
    const e = out.subarray(k * ENTRY, (k + 1) * ENTRY);
    e[0] = seq | (k === 0 ? LFN_LAST : 0);
    e[11] = 0x0f; // ATTR_LONG_NAME
    e[13] = sum;
    LFN_OFFSETS.forEach((off, j) => {
      const u = units[(seq - 1) * LFN_CHARS + j];
      e[off] = u & 0xff;
      e[off + 1] = u >> 8;
    });
  }
  return out;
}

/** The 13 UTF-16 units of one LFN entry (up to the terminator). */
export function longPart(entry) {
  let s = '';
  for (const off of LFN_OFFSETS) {
    const u = entry[off] | (entry[off + 1] << 8);
    if (u === 0) break;
    s += String.fromCharCode(u);
  }
  return s;
}

/** DOS date and time (spec 6.2: 2-second time, years from 1980), from milliseconds, UTC. */
export function toDos(ms) {
  const d = new Date(Math.min(Math.max(ms, Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58)));
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const tenths = (d.getUTCSeconds() & 1) * 100 + Math.floor(d.getUTCMilliseconds() / 10);
  return { date, time, tenths };
}

/** Milliseconds from a DOS date and time (0 time for a date alone); invalid fields clamp. */
export function fromDos(date, time = 0, tenths = 0) {
  const year = 1980 + (date >> 9);
  const month = Math.min(Math.max((date >> 5) & 15, 1), 12) - 1;
  const day = Math.max(date & 31, 1);
  const ms = Date.UTC(year, month, day, time >> 11, (time >> 5) & 63, (time & 31) * 2);
  return ms + Math.min(tenths, 199) * 10;
}
