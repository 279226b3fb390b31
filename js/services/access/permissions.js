// The permission vocabulary (docs/security.md, "Permissions"): what an app may ask for, in the
// spirit of Deno's --allow-* flags, and the three operations on it: parse (validate what an app
// or a command line asked for), attenuate (what a parent may hand on: an intersection, never
// more than it holds) and allows (does a grant cover one operation).
//
//   { net: { listen: ['8080', '1024-65535'], connect: ['10.0.2.2:80', '*:443', '*.example.com:*'],
//            raw: false },
//     fs: { read: ['/disk/photos'], write: ['/tmp'] },   // subtrees; write implies read
//     hw: { ports: [[0x60, 5]], memory: [[base, size]], irqs: [1], pci: ['8086:100e', 'class:0200'] },
//     spawn: false, env: ['HOME', 'LC_*'] | true, power: false, console: false, audit: false,
//     quota: { apps: 16, group: 'user:alice' } }
//
// `true` for a whole section (net, fs, hw, env) grants all of it. A grant in its canonical form
// (what parse returns) also carries `deny`: what was revoked out of a broader entry.
//
// `quota` is not a permission but a limit that travels with the grant: at most `apps` live
// apps whose grant carries the same `group` (a user's apps, across all their sessions). Once
// a grant has one, every grant made from it keeps its group and at most its count.
//
// Grants are checked in the runtime's own code while the app's code shares its realm, so this
// module touches only captured built-ins and objects without prototypes (an app's setters on
// Object.prototype or Array.prototype never see a grant being built or read).
import primordials from '../../internal/primordials.js';

const {
  ArrayIsArray, Error: ErrorCtor, JSONParse, JSONStringify, NumberIsInteger, NumberParseInt, ObjectCreate,
  ObjectDefineProperty, ObjectFreeze, ObjectGetPrototypeOf, ObjectHasOwn, ObjectKeys, ObjectPrototype,
  ObjectSetPrototypeOf, RegExpPrototypeExec, String: StringCtor, StringPrototypeEndsWith, StringPrototypeIndexOf,
  StringPrototypeLastIndexOf, StringPrototypeSlice, StringPrototypeSplit, StringPrototypeStartsWith,
  StringPrototypeToLowerCase, TypeError: TypeErrorCtor,
} = primordials;

const MAX_PORT = 65535;
const PORT_SPACE = 0x10000;        // x86 I/O port space (Intel SDM vol. 1, 16.3)
const MEMORY_SPACE = 2 ** 52;      // physical address width x86_64 allows (Intel SDM vol. 3, 4.1.4)
const IRQ_SPACE = 256;             // interrupt vectors (Intel SDM vol. 3, 6.2)
const MAX_APPS = 64;               // apps alive at once (kMaxApps, src/core/engine/apps.h)
const LISTS = ['net.listen', 'net.connect', 'fs.read', 'fs.write', 'env', 'hw.ports', 'hw.memory', 'hw.irqs', 'hw.pci'];
const SWITCHES = ['net.raw', 'spawn', 'power', 'console', 'audit'];
const LIST_NAMES = ' net.listen net.connect fs.read fs.write env hw.ports hw.memory hw.irqs hw.pci ';
const SWITCH_NAMES = ' net.raw spawn power console audit ';

function list() { return ObjectSetPrototypeOf([], null); }
function push(a, v) { ObjectDefineProperty(a, a.length, { value: v, writable: true, enumerable: true, configurable: true }); }
function record() { return ObjectCreate(null); }

function invalid(where, message) {
  const err = new TypeErrorCtor(`${where}: ${message}`);
  ObjectDefineProperty(err, 'code', { value: 'ERR_INVALID_ARG_VALUE', writable: true, configurable: true, enumerable: true });
  return err;
}

const show = (v) => (typeof v === 'string' ? `'${v}'` : StringCtor(v));

// Own data of an app-given object: a getter or a prototype's property is never consulted.
function own(o, key) {
  return ObjectHasOwn(o, key) ? o[key] : undefined;
}

function isPlain(v) {
  if (typeof v !== 'object' || v === null || ArrayIsArray(v)) return false;
  const p = ObjectGetPrototypeOf(v);
  return p === null || p === ObjectPrototype;
}

// ---- entries: parsing and matching ----------------------------------------------------

/** [lo, hi] of a port entry ('8080', '1024-65535', '*'), or null. */
function portRange(text) {
  if (text === '*') return [0, MAX_PORT];
  const m = RegExpPrototypeExec(/^(\d{1,5})(?:-(\d{1,5}))?$/, text);
  if (m === null) return null;
  const lo = NumberParseInt(m[1], 10), hi = m[2] === undefined ? lo : NumberParseInt(m[2], 10);
  return lo <= hi && hi <= MAX_PORT ? [lo, hi] : null;
}

function portText(lo, hi) {
  if (lo === 0 && hi === MAX_PORT) return '*';
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

function ipv4(text) {
  const m = RegExpPrototypeExec(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, text);
  if (m === null) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = NumberParseInt(m[i], 10);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}

// A host pattern: '*', an IPv4 address, a CIDR block ('10.0.0.0/8'), a name, '*.example.com'.
function hostPattern(text) {
  const h = StringPrototypeToLowerCase(text);
  if (h === '*') return h;
  const slash = StringPrototypeIndexOf(h, '/');
  if (slash >= 0) {
    const a = ipv4(StringPrototypeSlice(h, 0, slash));
    const bits = RegExpPrototypeExec(/^\d{1,2}$/, StringPrototypeSlice(h, slash + 1));
    if (a === null || bits === null || NumberParseInt(bits[0], 10) > 32) return null;
    return h;
  }
  if (ipv4(h) !== null) return h;
  if (RegExpPrototypeExec(/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/, h) === null) return null;
  return StringPrototypeEndsWith(h, '.') ? StringPrototypeSlice(h, 0, -1) : h;
}

function cidr(pattern) {
  const slash = StringPrototypeIndexOf(pattern, '/');
  if (slash < 0) return null;
  const bits = NumberParseInt(StringPrototypeSlice(pattern, slash + 1), 10);
  const size = 2 ** (32 - bits);
  const base = ipv4(StringPrototypeSlice(pattern, 0, slash));
  return [base - (base % size), size];
}

/** Does host pattern `p` cover the host `h` (a name or an address, lower case)? */
function hostMatches(p, h) {
  if (p === '*' || p === h) return true;
  if (StringPrototypeStartsWith(p, '*.')) return StringPrototypeEndsWith(h, StringPrototypeSlice(p, 1));
  const block = cidr(p);
  if (block === null) return false;
  const a = ipv4(h);
  return a !== null && a >= block[0] && a < block[0] + block[1];
}

/** The hosts both patterns cover, as a pattern, or null (none, or none expressible). */
function hostIntersection(a, b) {
  if (hostMatches(a, b)) return b;
  if (hostMatches(b, a)) return a;
  // Nested suffixes: '*.a.example.com' within '*.example.com'; nested blocks.
  if (StringPrototypeStartsWith(a, '*.') && StringPrototypeStartsWith(b, '*.')) {
    if (StringPrototypeEndsWith(a, StringPrototypeSlice(b, 1))) return a;
    return StringPrototypeEndsWith(b, StringPrototypeSlice(a, 1)) ? b : null;
  }
  const ba = cidr(a), bb = cidr(b);
  if (ba === null || bb === null) return null;
  if (ba[0] >= bb[0] && ba[0] + ba[1] <= bb[0] + bb[1]) return a;
  return bb[0] >= ba[0] && bb[0] + bb[1] <= ba[0] + ba[1] ? b : null;
}

/** { host, lo, hi } of a connect entry ('host:port', '*:443', 'example.com:*'), or null. */
function connectEntry(text) {
  const colon = StringPrototypeLastIndexOf(text, ':');
  if (colon <= 0) return null;
  const host = hostPattern(StringPrototypeSlice(text, 0, colon));
  const ports = portRange(StringPrototypeSlice(text, colon + 1));
  return host === null || ports === null ? null : { __proto__: null, host, lo: ports[0], hi: ports[1] };
}

/**
 * The absolute path `p` with '.', '..' and repeated or trailing slashes resolved, as text only
 * (no symbolic link is followed: the file system checks the path it finally opens), or null.
 */
export function normalizePath(p) {
  if (typeof p !== 'string' || !StringPrototypeStartsWith(p, '/') || StringPrototypeIndexOf(p, '\0') >= 0) return null;
  const parts = StringPrototypeSplit(p, '/');
  const out = list();
  for (let i = 0; i < parts.length; i++) {
    const s = parts[i];
    if (s === '' || s === '.') continue;
    if (s === '..') { if (out.length > 0) out.length--; continue; }
    push(out, s);
  }
  let text = '';
  for (let i = 0; i < out.length; i++) text = `${text}/${out[i]}`;
  return text === '' ? '/' : text;
}

function under(path, root, fold) {
  const p = fold ? StringPrototypeToLowerCase(path) : path;
  const r = fold ? StringPrototypeToLowerCase(root) : root;
  return r === '/' || p === r || StringPrototypeStartsWith(p, `${r}/`);
}

// Environment names: 'HOME', 'LC_*' (a prefix), '*'.
function envMatches(p, name) {
  if (p === name || p === '*') return true;
  return StringPrototypeEndsWith(p, '*') && StringPrototypeStartsWith(name, StringPrototypeSlice(p, 0, -1));
}

// PCI: '*', 'vvvv:dddd', 'vvvv:*', 'class:cc', 'class:ccss' (hexadecimal, PCI 3.0 section 6.2.1).
function pciPattern(text) {
  const t = StringPrototypeToLowerCase(text);
  if (t === '*' || RegExpPrototypeExec(/^[0-9a-f]{4}:([0-9a-f]{4}|\*)$/, t) !== null ||
    RegExpPrototypeExec(/^class:[0-9a-f]{2}([0-9a-f]{2})?$/, t) !== null) return t;
  return null;
}

function pciMatches(p, fn) {
  if (p === '*') return true;
  if (StringPrototypeStartsWith(p, 'class:')) return StringPrototypeStartsWith(fn.class, StringPrototypeSlice(p, 6));
  if (StringPrototypeEndsWith(p, ':*')) return StringPrototypeStartsWith(fn.id, StringPrototypeSlice(p, 0, 5));
  return p === fn.id;
}

function pciIntersection(a, b) {
  if (a === '*' || a === b) return b;
  if (b === '*') return a;
  const fa = pciTarget(a), fb = pciTarget(b);
  if (fb !== null && pciMatches(a, fb)) return b;
  if (fa !== null && pciMatches(b, fa)) return a;
  return null;
}

// A pattern's most specific member as a { id, class } target, for nesting tests.
function pciTarget(p) {
  if (StringPrototypeStartsWith(p, 'class:')) return StringPrototypeSlice(p, 6).length === 4 ? { id: '', class: StringPrototypeSlice(p, 6) } : null;
  return StringPrototypeEndsWith(p, ':*') ? null : { id: p, class: '' };
}

function rangeEntry(where, v, space) {
  if (typeof v === 'number') v = [v, 1];
  if (!ArrayIsArray(v) || v.length !== 2 || !NumberIsInteger(v[0]) || !NumberIsInteger(v[1]) ||
    v[0] < 0 || v[1] <= 0 || v[0] + v[1] > space) {
    throw invalid(where, `${show(v)} is not [base, length] within 0-${space}`);
  }
  const r = list();
  push(r, v[0]);
  push(r, v[1]);
  return r;
}

// ---- canonical grants -------------------------------------------------------------------

function empty() {
  const g = record();
  g.net = record(); g.net.listen = list(); g.net.connect = list(); g.net.raw = false;
  g.fs = record(); g.fs.read = list(); g.fs.write = list();
  g.hw = record(); g.hw.ports = list(); g.hw.memory = list(); g.hw.irqs = list(); g.hw.pci = list();
  g.env = list();
  g.spawn = false; g.power = false; g.console = false; g.audit = false;
  g.quota = null;
  g.deny = record();
  for (let i = 0; i < LISTS.length; i++) g.deny[LISTS[i]] = list();
  return g;
}

function entries(g, kind) {
  const dot = StringPrototypeIndexOf(kind, '.');
  return dot < 0 ? g[kind] : g[StringPrototypeSlice(kind, 0, dot)][StringPrototypeSlice(kind, dot + 1)];
}

function setSwitch(g, kind, value) {
  if (kind === 'net.raw') g.net.raw = value; else g[kind] = value;
}

function getSwitch(g, kind) {
  return kind === 'net.raw' ? g.net.raw : g[kind];
}

/** Every permission. */
export function all() {
  const g = empty();
  push(g.net.listen, '*'); push(g.net.connect, '*:*'); g.net.raw = true;
  push(g.fs.read, '/'); push(g.fs.write, '/');
  push(g.hw.ports, rangeEntry('', [0, PORT_SPACE], PORT_SPACE));
  push(g.hw.memory, rangeEntry('', [0, MEMORY_SPACE], MEMORY_SPACE));
  push(g.hw.irqs, rangeEntry('', [0, IRQ_SPACE], IRQ_SPACE));
  push(g.hw.pci, '*');
  push(g.env, '*');
  for (let i = 0; i < SWITCHES.length; i++) setSwitch(g, SWITCHES[i], true);
  return g;
}

/** No permission at all. */
export function none() { return empty(); }

// One list entry as given by an app, checked and in its canonical text, or an error.
function entry(kind, where, v) {
  if (kind === 'hw.ports') return rangeEntry(where, v, PORT_SPACE);
  if (kind === 'hw.memory') return rangeEntry(where, v, MEMORY_SPACE);
  if (kind === 'hw.irqs') return rangeEntry(where, v, IRQ_SPACE);
  if (typeof v === 'number' && kind === 'net.listen') v = `${v}`;
  if (typeof v !== 'string') throw invalid(where, `${show(v)} is not a string`);
  if (kind === 'net.listen') {
    const r = portRange(v);
    if (r === null) throw invalid(where, `${show(v)} is not a port, a port range 'low-high' (0-65535) or '*'`);
    return portText(r[0], r[1]);
  }
  if (kind === 'net.connect') {
    const e = connectEntry(v);
    if (e === null) throw invalid(where, `${show(v)} is not 'host:port' (host: a name, '*.domain', an IPv4 address or block, '*'; port: a number, 'low-high' or '*')`);
    return `${e.host}:${portText(e.lo, e.hi)}`;
  }
  if (kind === 'fs.read' || kind === 'fs.write') {
    const p = normalizePath(v);
    if (p === null) throw invalid(where, `${show(v)} is not an absolute path`);
    return p;
  }
  if (kind === 'env') {
    if (RegExpPrototypeExec(/^([A-Za-z_][A-Za-z0-9_]*\*?|\*)$/, v) === null) throw invalid(where, `${show(v)} is not a variable name (or a prefix ending in '*')`);
    return v;
  }
  const p = pciPattern(v);
  if (p === null) throw invalid(where, `${show(v)} is not 'vendor:device', 'vendor:*', 'class:cc[ss]' (hexadecimal) or '*'`);
  return p;
}

function parseList(g, kind, where, v) {
  const out = entries(g, kind);
  if (v === true) {
    const a = entries(all(), kind);
    for (let i = 0; i < a.length; i++) push(out, a[i]);
    return;
  }
  if (v === undefined || v === false) return;
  if (!ArrayIsArray(v)) throw invalid(where, `${show(v)} is not a list (or true for all)`);
  for (let i = 0; i < v.length; i++) push(out, entry(kind, `${where}[${i}]`, ObjectHasOwn(v, i) ? v[i] : undefined));
}

function parseSwitch(g, kind, where, v) {
  if (v === undefined) return;
  if (typeof v !== 'boolean') throw invalid(where, `${show(v)} is not true or false`);
  setSwitch(g, kind, v);
}

function parseSection(g, name, where, v, keys) {
  if (v === undefined || v === false) return;
  if (v === true) {
    const a = all();
    g[name] = a[name];
    if (name === 'net') g.net.raw = false; // raw frames are asked for by name: they can forge any address
    return;
  }
  if (!isPlain(v)) throw invalid(where, `${show(v)} is not an object (or true for all)`);
  const ks = ObjectKeys(v);
  for (let i = 0; i < ks.length; i++) {
    if (StringPrototypeIndexOf(keys, ` ${ks[i]} `) < 0) throw invalid(where, `unknown permission '${ks[i]}' (known:${keys})`);
  }
}

const TOP = ' net fs hw spawn env power console audit quota deny ';

function parseQuota(g, where, v) {
  if (v === undefined || v === null) return;
  if (!isPlain(v)) throw invalid(where, `${show(v)} is not { apps, group }`);
  const ks = ObjectKeys(v);
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] !== 'apps' && ks[i] !== 'group') throw invalid(where, `unknown key '${ks[i]}' (known: apps group)`);
  }
  const apps = own(v, 'apps'), group = own(v, 'group');
  if (!NumberIsInteger(apps) || apps < 1 || apps > MAX_APPS) throw invalid(`${where}.apps`, `${show(apps)} is not an integer from 1 to ${MAX_APPS}`);
  if (typeof group !== 'string' || RegExpPrototypeExec(/^[A-Za-z0-9_.:@-]{1,64}$/, group) === null) {
    throw invalid(`${where}.group`, `${show(group)} is not a name (letters, digits, _ . : @ -; at most 64)`);
  }
  g.quota = record();
  g.quota.apps = apps;
  g.quota.group = group;
}

/**
 * Checks what an app asked for (a manifest's "permissions", rt.spawn's `permissions`, or a
 * grant read back) and returns it in canonical form. `true` means every permission.
 * @throws {TypeError} code ERR_INVALID_ARG_VALUE, naming the bad entry (`where` first)
 */
export function parse(input, where = 'permissions') {
  if (input === true) return all();
  if (input === undefined || input === null) return none();
  if (!isPlain(input)) throw invalid(where, `${show(input)} is not an object (or true for every permission)`);
  const g = empty();
  const ks = ObjectKeys(input);
  for (let i = 0; i < ks.length; i++) {
    if (StringPrototypeIndexOf(TOP, ` ${ks[i]} `) < 0) throw invalid(where, `unknown permission '${ks[i]}' (known:${TOP})`);
  }
  const net = own(input, 'net');
  parseSection(g, 'net', `${where}.net`, net, ' listen connect raw ');
  if (isPlain(net)) {
    parseList(g, 'net.listen', `${where}.net.listen`, own(net, 'listen'));
    parseList(g, 'net.connect', `${where}.net.connect`, own(net, 'connect'));
    parseSwitch(g, 'net.raw', `${where}.net.raw`, own(net, 'raw'));
  }
  const fs = own(input, 'fs');
  parseSection(g, 'fs', `${where}.fs`, fs, ' read write ');
  if (isPlain(fs)) {
    parseList(g, 'fs.read', `${where}.fs.read`, own(fs, 'read'));
    parseList(g, 'fs.write', `${where}.fs.write`, own(fs, 'write'));
  }
  const hw = own(input, 'hw');
  parseSection(g, 'hw', `${where}.hw`, hw, ' ports memory irqs pci ');
  if (isPlain(hw)) {
    parseList(g, 'hw.ports', `${where}.hw.ports`, own(hw, 'ports'));
    parseList(g, 'hw.memory', `${where}.hw.memory`, own(hw, 'memory'));
    parseList(g, 'hw.irqs', `${where}.hw.irqs`, own(hw, 'irqs'));
    parseList(g, 'hw.pci', `${where}.hw.pci`, own(hw, 'pci'));
  }
  parseList(g, 'env', `${where}.env`, own(input, 'env'));
  for (let i = 1; i < SWITCHES.length; i++) parseSwitch(g, SWITCHES[i], `${where}.${SWITCHES[i]}`, own(input, SWITCHES[i]));
  parseQuota(g, `${where}.quota`, own(input, 'quota'));
  const deny = own(input, 'deny');
  if (deny !== undefined) {
    if (!isPlain(deny)) throw invalid(`${where}.deny`, 'not an object');
    for (let i = 0; i < LISTS.length; i++) {
      const v = own(deny, LISTS[i]);
      if (v === undefined) continue;
      if (!ArrayIsArray(v)) throw invalid(`${where}.deny.${LISTS[i]}`, 'not a list');
      for (let j = 0; j < v.length; j++) push(g.deny[LISTS[i]], entry(LISTS[i], `${where}.deny.${LISTS[i]}[${j}]`, v[j]));
    }
  }
  return g;
}

/** A grant as text (for the runtime to store); parse(JSONParse(text)) reads it back. */
export function stringify(g) {
  return JSONStringify(g); // prototype-less throughout: no toJSON an app planted is consulted
}

/** A grant from its stored text ('' = unrestricted). */
export function fromText(text) {
  return text === '' ? all() : parse(JSONParse(text), 'stored grant');
}

// ---- attenuation --------------------------------------------------------------------------

// The parts of asked entry `a` that held entry `h` also covers, in canonical text, or null.
function intersect(kind, a, h) {
  if (kind === 'net.listen') {
    const ra = portRange(a), rh = portRange(h);
    const lo = ra[0] > rh[0] ? ra[0] : rh[0], hi = ra[1] < rh[1] ? ra[1] : rh[1];
    return lo <= hi ? portText(lo, hi) : null;
  }
  if (kind === 'net.connect') {
    const ea = connectEntry(a), eh = connectEntry(h);
    const host = hostIntersection(ea.host, eh.host);
    const lo = ea.lo > eh.lo ? ea.lo : eh.lo, hi = ea.hi < eh.hi ? ea.hi : eh.hi;
    return host === null || lo > hi ? null : `${host}:${portText(lo, hi)}`;
  }
  if (kind === 'fs.read' || kind === 'fs.write') {
    if (under(a, h, false)) return a;
    return under(h, a, false) ? h : null;
  }
  if (kind === 'env') {
    const pa = StringPrototypeEndsWith(a, '*'), ph = StringPrototypeEndsWith(h, '*');
    if (!pa) return envMatches(h, a) ? a : null;
    if (!ph) return envMatches(a, h) ? h : null;
    const sa = StringPrototypeSlice(a, 0, -1), sh = StringPrototypeSlice(h, 0, -1);
    if (StringPrototypeStartsWith(sa, sh)) return a;
    return StringPrototypeStartsWith(sh, sa) ? h : null;
  }
  if (kind === 'hw.pci') return pciIntersection(a, h);
  const lo = a[0] > h[0] ? a[0] : h[0];
  const hi = a[0] + a[1] < h[0] + h[1] ? a[0] + a[1] : h[0] + h[1];
  if (lo >= hi) return null;
  const r = list();
  push(r, lo);
  push(r, hi - lo);
  return r;
}

const same = (x, y) => x === y || (ArrayIsArray(x) && ArrayIsArray(y) && x[0] === y[0] && x[1] === y[1]);
const entryText = (e) => (ArrayIsArray(e) ? `[${e[0]}, ${e[1]}]` : `'${e}'`);

/**
 * What `parent` (canonical) may hand on of `asked` (canonical): each asked entry cut down to
 * what the parent holds. Returns { grant, cut }, cut listing every narrowed or refused part
 * ("net.connect '*:443' (held: 'example.com:443')", "power"); empty when nothing was cut.
 */
export function attenuate(parent, asked) {
  const g = empty();
  const cut = list();
  for (let i = 0; i < LISTS.length; i++) {
    const kind = LISTS[i];
    const want = entries(asked, kind);
    let held = entries(parent, kind);
    if (kind === 'fs.read') { // write implies read
      const both = list();
      for (let j = 0; j < held.length; j++) push(both, held[j]);
      for (let j = 0; j < parent.fs.write.length; j++) push(both, parent.fs.write[j]);
      held = both;
    }
    const out = entries(g, kind);
    for (let j = 0; j < want.length; j++) {
      let whole = false, kept = '';
      for (let k = 0; k < held.length; k++) {
        const x = intersect(kind, want[j], held[k]);
        if (x === null) continue;
        push(out, x);
        if (same(x, want[j])) { whole = true; break; }
        kept = kept === '' ? entryText(x) : `${kept}, ${entryText(x)}`;
      }
      if (!whole) push(cut, `${kind} ${entryText(want[j])} (held: ${kept === '' ? 'none' : kept})`);
    }
    const deny = g.deny[kind];
    for (let j = 0; j < parent.deny[kind].length; j++) push(deny, parent.deny[kind][j]);
    for (let j = 0; j < asked.deny[kind].length; j++) push(deny, asked.deny[kind][j]);
  }
  for (let i = 0; i < SWITCHES.length; i++) {
    const kind = SWITCHES[i];
    if (!getSwitch(asked, kind)) continue;
    if (getSwitch(parent, kind)) setSwitch(g, kind, true); else push(cut, kind);
  }
  // A limit only ever tightens: the parent's group stays, with the smaller count.
  const pq = parent.quota, aq = asked.quota;
  const q = pq !== null ? pq : aq;
  if (q !== null) {
    g.quota = record();
    g.quota.group = q.group;
    g.quota.apps = pq !== null && aq !== null && aq.apps < pq.apps ? aq.apps : q.apps;
  }
  return { __proto__: null, grant: g, cut };
}

/** Is `inner` within `outer` (both canonical)? */
export function covers(outer, inner) {
  return attenuate(outer, inner).cut.length === 0;
}

// ---- checks -------------------------------------------------------------------------------

function matches(kind, pattern, target, fold) {
  if (kind === 'net.listen') {
    const r = portRange(pattern);
    return target >= r[0] && target <= r[1];
  }
  if (kind === 'net.connect') {
    const e = connectEntry(pattern);
    if (target.port < e.lo || target.port > e.hi) return false;
    return hostMatches(e.host, target.host) || (target.address !== undefined && hostMatches(e.host, target.address));
  }
  if (kind === 'fs.read' || kind === 'fs.write') return under(target, pattern, fold);
  if (kind === 'env') return envMatches(pattern, target);
  if (kind === 'hw.pci') return pciMatches(pattern, target);
  return target[0] >= pattern[0] && target[0] + target[1] <= pattern[0] + pattern[1];
}

// The target of a check in the form `matches` takes, or null when it is malformed.
function target(kind, t) {
  if (kind === 'net.listen') return NumberIsInteger(t) && t >= 0 && t <= MAX_PORT ? t : null;
  if (kind === 'net.connect') {
    if (typeof t === 'string') {
      const colon = StringPrototypeLastIndexOf(t, ':');
      t = { host: StringPrototypeSlice(t, 0, colon), port: NumberParseInt(StringPrototypeSlice(t, colon + 1), 10) };
    }
    if (typeof t !== 'object' || t === null || !NumberIsInteger(t.port)) return null;
    const host = StringPrototypeToLowerCase(StringCtor(t.host));
    const address = t.address === undefined ? undefined : StringCtor(t.address);
    return { __proto__: null, host: StringPrototypeEndsWith(host, '.') ? StringPrototypeSlice(host, 0, -1) : host, port: t.port, address };
  }
  if (kind === 'fs.read' || kind === 'fs.write') return normalizePath(t);
  if (kind === 'env') return typeof t === 'string' ? t : null;
  if (kind === 'hw.pci') {
    if (typeof t !== 'object' || t === null) return null;
    return { __proto__: null, id: StringPrototypeToLowerCase(StringCtor(t.id)), class: StringPrototypeToLowerCase(StringCtor(t.class ?? '')) };
  }
  if (typeof t === 'number') t = [t, 1];
  return ArrayIsArray(t) && NumberIsInteger(t[0]) && NumberIsInteger(t[1]) ? t : null;
}

/**
 * Does grant `g` (canonical) allow `kind` on `target`? kind: 'net.listen' (a port),
 * 'net.connect' ({ host, port, address? } or 'host:port'), 'net.raw', 'fs.read' / 'fs.write'
 * (an absolute path), 'env' (a name), 'hw.ports' / 'hw.memory' / 'hw.irqs' ([base, length] or
 * a number), 'hw.pci' ({ id: 'vvvv:dddd', class: 'ccss' }), 'spawn', 'power', 'console', 'audit';
 * 'net.ping' ({ host, address? }): an ICMP echo, allowed by any connect entry for the host;
 * 'fs.traverse' (a path): walking through a directory within a file grant or above one.
 * A malformed target is not allowed. What was revoked out of a broader entry (`deny`) wins; a
 * revoked file subtree is compared without case (FAT names are case-insensitive).
 */
export function allows(g, kind, t) {
  if (kind === 'net.ping') return pingable(g, t);
  if (kind === 'fs.traverse') return traversable(g, t);
  if (StringPrototypeIndexOf(SWITCH_NAMES, ` ${kind} `) >= 0) return getSwitch(g, kind) === true;
  if (StringPrototypeIndexOf(LIST_NAMES, ` ${kind} `) < 0) throw new ErrorCtor(`allows: unknown permission '${kind}'`);
  const x = target(kind, t);
  if (x === null) return false;
  const deny = g.deny[kind];
  for (let i = 0; i < deny.length; i++) if (matches(kind, deny[i], x, true)) return false;
  if (kind === 'fs.read') {
    const d = g.deny['fs.write'];
    for (let i = 0; i < d.length; i++) if (matches(kind, d[i], x, true)) return false;
  }
  const held = entries(g, kind);
  for (let i = 0; i < held.length; i++) if (matches(kind, held[i], x, false)) return true;
  if (kind === 'fs.read') return allows(g, 'fs.write', x);
  return false;
}

// Walking through (or stat'ing) a directory on the way to a granted subtree: the directory is
// within a grant, or above one.
function traversable(g, t) {
  if (allows(g, 'fs.read', t)) return true;
  const p = normalizePath(t);
  if (p === null) return false;
  const kinds = ['fs.read', 'fs.write'];
  for (let k = 0; k < kinds.length; k++) {
    const held = entries(g, kinds[k]);
    for (let i = 0; i < held.length; i++) if (under(held[i], p, false)) return true;
  }
  return false;
}

// ICMP echo to a host: any connect entry for it, whatever its ports.
function pingable(g, t) {
  if (typeof t !== 'object' || t === null) return false;
  const x = target('net.connect', { host: t.host, port: 0, address: t.address });
  if (x === null) return false;
  const deny = g.deny['net.connect'];
  for (let i = 0; i < deny.length; i++) {
    const e = connectEntry(deny[i]);
    if (e.lo === 0 && e.hi === MAX_PORT && (hostMatches(e.host, x.host) || (x.address !== undefined && hostMatches(e.host, x.address)))) return false;
  }
  const held = g.net.connect;
  for (let i = 0; i < held.length; i++) {
    const e = connectEntry(held[i]);
    if (hostMatches(e.host, x.host) || (x.address !== undefined && hostMatches(e.host, x.address))) return true;
  }
  return false;
}

// ---- revocation ---------------------------------------------------------------------------

/**
 * `g` without `what` (canonical): switches in `what` are cleared; a listed entry is removed
 * where the grant holds it (or something within it) and denied where a broader entry holds it.
 */
export function without(g, what) {
  const out = parse(JSONParse(stringify(g)), 'grant');
  for (let i = 0; i < SWITCHES.length; i++) if (getSwitch(what, SWITCHES[i])) setSwitch(out, SWITCHES[i], false);
  for (let i = 0; i < LISTS.length; i++) {
    const kind = LISTS[i];
    const gone = entries(what, kind);
    if (gone.length === 0) continue;
    const held = entries(out, kind);
    const kept = list();
    for (let j = 0; j < held.length; j++) {
      let drop = false;
      for (let k = 0; k < gone.length && !drop; k++) drop = same(intersect(kind, held[j], gone[k]), held[j]);
      if (!drop) push(kept, held[j]);
    }
    held.length = 0;
    for (let j = 0; j < kept.length; j++) push(held, kept[j]);
    for (let k = 0; k < gone.length; k++) push(out.deny[kind], gone[k]);
    if (kind === 'fs.read') { // revoking reading a subtree revokes writing it
      for (let k = 0; k < gone.length; k++) push(out.deny['fs.write'], gone[k]);
    }
  }
  return out;
}

// ---- command lines and messages -------------------------------------------------------------

const FLAG_KINDS = {
  __proto__: null, '--allow-read': 'fs.read', '--allow-write': 'fs.write', '--allow-env': 'env',
  '--allow-run': 'spawn', '--allow-power': 'power', '--allow-console': 'console', '--allow-audit': 'audit',
};

/**
 * The grant the command line's permission options make (-A, --permission, --allow-*; see
 * src/core/main.c), or undefined when there are none (every permission: the model is off, as
 * Node's is without --permission).
 * @throws {TypeError} a bad list entry, naming the option
 */
export function fromFlags(flags) {
  if (flags.length === 0) return undefined;
  const g = empty();
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === '-A' || f === '--allow-all') return all();
    if (f === '--permission') continue;
    const eq = StringPrototypeIndexOf(f, '=');
    const name = eq < 0 ? f : StringPrototypeSlice(f, 0, eq);
    const values = eq < 0 ? undefined : StringPrototypeSplit(StringPrototypeSlice(f, eq + 1), ',');
    if (name === '--allow-hw') { g.hw = all().hw; continue; }
    if (name === '--allow-net') {
      if (values === undefined) { push(g.net.listen, '*'); push(g.net.connect, '*:*'); continue; } // raw: by name
      for (let j = 0; j < values.length; j++) {
        const v = values[j];
        if (v === 'raw') g.net.raw = true;
        else if (StringPrototypeStartsWith(v, ':')) push(g.net.listen, entry('net.listen', f, StringPrototypeSlice(v, 1)));
        else push(g.net.connect, entry('net.connect', f, StringPrototypeIndexOf(v, ':') < 0 ? `${v}:*` : v));
      }
      continue;
    }
    const kind = FLAG_KINDS[name];
    if (StringPrototypeIndexOf(SWITCH_NAMES, ` ${kind} `) >= 0) { setSwitch(g, kind, true); continue; }
    if (values === undefined) { parseList(g, kind, f, true); continue; }
    for (let j = 0; j < values.length; j++) push(entries(g, kind), entry(kind, f, values[j]));
  }
  return g;
}

/** How to grant `kind` on `target`: the command-line option and the manifest line. */
export function howToGrant(kind, t) {
  const q = (v) => JSONStringify(v);
  switch (kind) {
    case 'net.listen': return `--allow-net=:${t}, or "net": { "listen": [${q(`${t}`)}] } in its manifest`;
    case 'net.connect': {
      const x = target(kind, t);
      const hp = x === null ? StringCtor(t) : `${x.host}:${x.port}`;
      return `--allow-net=${hp}, or "net": { "connect": [${q(hp)}] } in its manifest`;
    }
    case 'net.raw': return '--allow-net=raw, or "net": { "raw": true } in its manifest';
    case 'net.ping': return `--allow-net=${t}, or "net": { "connect": [${q(`${t}:*`)}] } in its manifest`;
    case 'fs.read': return `--allow-read=${t}, or "fs": { "read": [${q(t)}] } in its manifest`;
    case 'fs.write': return `--allow-write=${t}, or "fs": { "write": [${q(t)}] } in its manifest`;
    case 'env': return `--allow-env=${t}, or "env": [${q(t)}] in its manifest`;
    case 'spawn': return '--allow-run, or "spawn": true in its manifest';
    default:
      if (StringPrototypeStartsWith(kind, 'hw.')) return '--allow-hw, or "hw": { ... } in its manifest';
      return `--allow-${kind}, or ${q(kind)}: true in its manifest`;
  }
}

/** A copy of a canonical grant for an app to look at: plain frozen objects and arrays. */
export function view(g) {
  return deepFreeze(JSONParse(stringify(g)));
}

function deepFreeze(v) {
  if (typeof v === 'object' && v !== null) {
    const ks = ObjectKeys(v);
    for (let i = 0; i < ks.length; i++) deepFreeze(v[ks[i]]);
    ObjectFreeze(v);
  }
  return v;
}
