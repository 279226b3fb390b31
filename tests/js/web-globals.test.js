// The web-platform globals besides URL, streams and crypto: base64, structured clone, events,
// aborting, immediates, DOMException, performance, navigator, console.table.
import { test, assertEqual, assertThrows } from './harness.js';

test('btoa/atob round-trip Latin-1, ignore whitespace, reject what is not base64', () => {
  assertEqual(btoa('hello'), 'aGVsbG8=');
  assertEqual(btoa(''), '');
  assertEqual(btoa('\xff\xfe'), '//4=');
  assertEqual(atob(' aGVs\nbG8= '), 'hello');
  assertEqual(atob('//4'), '\xff\xfe');
  const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  assertEqual(atob(btoa(all)), all);
  const e = assertThrows(() => btoa('✓'), /InvalidCharacterError/);
  assertEqual(e instanceof DOMException, true);
  assertThrows(() => atob('a'), /InvalidCharacterError/);
  assertThrows(() => atob('ab=c'), /InvalidCharacterError/);
  assertThrows(() => atob('*'), /InvalidCharacterError/);
});

test('structuredClone copies deep structures, keeps cycles, and transfers buffers', () => {
  const src = { m: new Map([[1, new Set(['a'])]]), d: new Date(5), r: /x/g, big: 2n ** 70n, u: new Uint8Array([1, 2]) };
  src.self = src;
  const c = structuredClone(src);
  assertEqual(c === src, false);
  assertEqual(c.self, c);
  assertEqual([...c.m.get(1)], ['a']);
  assertEqual(c.d.getTime(), 5);
  assertEqual(c.big, 2n ** 70n);
  assertEqual(c.u, new Uint8Array([1, 2]));
  const buf = new Uint8Array([9, 8, 7]).buffer;
  const moved = structuredClone(buf, { transfer: [buf] });
  assertEqual(buf.byteLength, 0, 'the transferred buffer is detached');
  assertEqual(new Uint8Array(moved), new Uint8Array([9, 8, 7]));
});

test('structuredClone refuses functions and symbols with a DataCloneError DOMException', () => {
  const e = assertThrows(() => structuredClone({ f() {} }), /DataCloneError/);
  assertEqual(e instanceof DOMException, true);
  assertEqual(e.code, DOMException.DATA_CLONE_ERR);
  assertThrows(() => structuredClone(Symbol('s')), /DataCloneError/);
  assertThrows(() => structuredClone(), /TypeError/);
});

test('structuredClone transfer lists: TypeError for what is not a sequence of objects, DataCloneError for what cannot move', () => {
  const kind = (fn) => { try { fn(); } catch (e) { return `${e.constructor.name} ${e.name}`; } return 'none'; };
  const buf = new ArrayBuffer(4);
  assertEqual(kind(() => structuredClone(1, { transfer: 5 })), 'TypeError TypeError');
  assertEqual(kind(() => structuredClone(1, { transfer: [1] })), 'TypeError TypeError');
  assertEqual(kind(() => structuredClone(1, 'options')), 'TypeError TypeError');
  assertEqual(kind(() => structuredClone(buf, { transfer: [buf, buf] })), 'DOMException DataCloneError');
  assertEqual(kind(() => structuredClone(new Blob(), { transfer: [new Blob()] })), 'DOMException DataCloneError');
  assertEqual(kind(() => structuredClone(1, { transfer: [new SharedArrayBuffer(4)] })), 'DOMException DataCloneError');
  // A bad entry anywhere leaves every buffer where it was.
  assertEqual(kind(() => structuredClone(buf, { transfer: [buf, {}] })), 'DOMException DataCloneError');
  assertEqual(buf.byteLength, 4);
  structuredClone(buf, { transfer: [buf] });
  assertEqual(kind(() => structuredClone(buf, { transfer: [buf] })), 'DOMException DataCloneError');
});

test('structuredClone moves a MessagePort in its transfer list: the copy talks to the same peer', async () => {
  const { port1, port2 } = new MessageChannel();
  const copy = structuredClone({ nested: [port2] }, { transfer: [port2] }).nested[0];
  assertEqual([copy instanceof MessagePort, copy === port2], [true, false]);
  const got = new Promise((resolve) => { port1.onmessage = (e) => resolve(e.data); });
  copy.postMessage('through the copy');
  assertEqual(await got, 'through the copy');
  const kind = (fn) => { try { fn(); } catch (e) { return e.name; } return 'none'; };
  assertEqual(kind(() => structuredClone(port2, { transfer: [port2] })), 'DataCloneError');
  assertEqual(kind(() => structuredClone({ p: port1 }, { transfer: [copy] })), 'DataCloneError');
  port1.close();
  copy.close();
});

test('EventTarget: order, once, removal, handleEvent objects, preventDefault', () => {
  const t = new EventTarget();
  const seen = [];
  const a = (e) => seen.push(['a', e.type, e.target === t, e.currentTarget === t, e.eventPhase]);
  t.addEventListener('ping', a);
  t.addEventListener('ping', a); // a duplicate is ignored
  t.addEventListener('ping', { handleEvent(e) { seen.push(['obj', this !== t]); } });
  t.addEventListener('ping', () => seen.push(['once']), { once: true });
  assertEqual(t.dispatchEvent(new Event('ping')), true);
  t.removeEventListener('ping', a);
  t.dispatchEvent(new Event('ping'));
  assertEqual(seen, [['a', 'ping', true, true, 2], ['obj', true], ['once'], ['obj', true]]);
  const c = new Event('c', { cancelable: true });
  t.addEventListener('c', (e) => e.preventDefault());
  assertEqual(t.dispatchEvent(c), false);
  assertEqual(c.defaultPrevented, true);
  assertEqual(c.eventPhase, 0);
  const passive = new Event('p', { cancelable: true });
  t.addEventListener('p', (e) => e.preventDefault(), { passive: true });
  assertEqual(t.dispatchEvent(passive), true, 'a passive listener cannot cancel');
});

test('stopImmediatePropagation stops the remaining listeners', () => {
  const t = new EventTarget();
  const seen = [];
  t.addEventListener('x', (e) => { seen.push(1); e.stopImmediatePropagation(); });
  t.addEventListener('x', () => seen.push(2));
  t.dispatchEvent(new Event('x'));
  assertEqual(seen, [1]);
});

test('CustomEvent carries detail; Event checks its arguments', () => {
  assertEqual(new CustomEvent('x', { detail: { n: 1 } }).detail, { n: 1 });
  assertEqual(new CustomEvent('x').detail, null);
  assertEqual(new CustomEvent('x') instanceof Event, true);
  assertThrows(() => new Event(), /TypeError/);
  assertThrows(() => new EventTarget().dispatchEvent({ type: 'x' }), /TypeError/);
  assertThrows(() => EventTarget.prototype.addEventListener.call({}, 'x', () => {}), /TypeError/);
});

test('a listener added with an aborted signal is removed', () => {
  const t = new EventTarget();
  const ac = new AbortController();
  let n = 0;
  t.addEventListener('x', () => n++, { signal: ac.signal });
  t.dispatchEvent(new Event('x'));
  ac.abort();
  t.dispatchEvent(new Event('x'));
  assertEqual(n, 1);
});

test('AbortController aborts once, with an AbortError or the given reason', () => {
  const ac = new AbortController();
  let events = 0;
  ac.signal.addEventListener('abort', () => events++);
  assertEqual(ac.signal.aborted, false);
  ac.signal.throwIfAborted();
  ac.abort();
  ac.abort('again');
  assertEqual(events, 1);
  assertEqual(ac.signal.reason instanceof DOMException, true);
  assertEqual(ac.signal.reason.name, 'AbortError');
  assertThrows(() => ac.signal.throwIfAborted(), /AbortError/);
  const r = new AbortController();
  r.abort('why');
  assertEqual(r.signal.reason, 'why');
  assertEqual(AbortSignal.abort(7).reason, 7);
  assertThrows(() => new AbortSignal(), /TypeError: Illegal constructor/);
});

test('AbortSignal.timeout aborts with a TimeoutError; AbortSignal.any follows its sources', async () => {
  const s = AbortSignal.timeout(5);
  const reason = await new Promise((resolve) => { s.onabort = () => resolve(s.reason); });
  assertEqual(reason.name, 'TimeoutError');
  const a = new AbortController();
  const b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  assertEqual(any.aborted, false);
  b.abort('b went');
  assertEqual(any.aborted, true);
  assertEqual(any.reason, 'b went');
  assertEqual(AbortSignal.any([AbortSignal.abort(1)]).reason, 1);
});

test('setImmediate runs in order, after the current task; clearImmediate cancels', async () => {
  const seen = [];
  let sync = true;
  const done = new Promise((resolve) => {
    setImmediate((x) => seen.push(['first', x, sync]), 'arg');
    const cancelled = setImmediate(() => seen.push(['cancelled']));
    setImmediate(() => {
      seen.push(['second']);
      setImmediate(() => { seen.push(['nested']); resolve(); });
    });
    clearImmediate(cancelled);
  });
  sync = false;
  await done;
  assertEqual(seen, [['first', 'arg', false], ['second'], ['nested']]);
});

test('DOMException names, codes and legacy constants', () => {
  const e = new DOMException('msg', 'NotFoundError');
  assertEqual([e.name, e.message, e.code], ['NotFoundError', 'msg', 8]);
  assertEqual(e instanceof Error, true);
  assertEqual(Object.prototype.toString.call(e), '[object DOMException]');
  assertEqual(new DOMException('x', 'Custom').code, 0);
  assertEqual(new DOMException().name, 'Error');
  assertEqual(DOMException.ABORT_ERR, 20);
  assertEqual(new DOMException('m', { name: 'AbortError', cause: 1 }).cause, 1);
});

test('performance: timeOrigin, marks and measures', () => {
  assertEqual(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 1000, true);
  // The time origin is this app's start (as process.uptime()'s), not the machine's boot.
  const sinceStart = process.uptime() * 1000;
  assertEqual(Math.abs(performance.now() - sinceStart) < 5000, true, `now() ${performance.now()}, uptime ${sinceStart} ms`);
  assertEqual(new Event('e').timeStamp <= performance.now(), true);
  const a = performance.mark('a', { detail: { k: 1 } });
  assertEqual([a.name, a.entryType, a.duration, a.detail], ['a', 'mark', 0, { k: 1 }]);
  performance.mark('b', { startTime: a.startTime + 10 });
  const m = performance.measure('a-b', 'a', 'b');
  assertEqual([m.entryType, m.duration], ['measure', 10]);
  assertEqual(performance.getEntriesByName('a-b')[0], m);
  assertEqual(performance.getEntriesByType('mark').map((e) => e.name), ['a', 'b']);
  assertThrows(() => performance.measure('x', 'no-such-mark'), /SyntaxError/);
  // Options are a dictionary: a number or a string is a TypeError, as is a negative startTime.
  assertThrows(() => performance.mark('c', 123), /^TypeError: /);
  assertThrows(() => new PerformanceMark('c', 'string'), /^TypeError: /);
  assertThrows(() => performance.mark('c', { startTime: -1 }), /^TypeError: /);
  performance.clearMarks();
  assertEqual(performance.getEntriesByType('mark'), []);
});

test('navigator.hardwareConcurrency is the number of engines', () => {
  assertEqual(Number.isInteger(navigator.hardwareConcurrency) && navigator.hardwareConcurrency >= 1, true);
});

test('the new globals are there and not enumerable', () => {
  for (const name of ['atob', 'btoa', 'structuredClone', 'setImmediate', 'clearImmediate', 'EventTarget', 'Event',
    'CustomEvent', 'AbortController', 'AbortSignal', 'DOMException', 'reportError', 'navigator']) {
    assertEqual(name in globalThis, true, name);
    assertEqual(Object.keys(globalThis).includes(name), false, name);
  }
});

test('MessageChannel: messages are cloned, delivered in order in later tasks, once started', async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  const done = new Promise((resolve) => {
    port2.onmessage = (e) => {
      got.push(e.data);
      if (got.length === 3) resolve();
    };
  });
  const obj = { n: 1 };
  port1.postMessage(obj);
  obj.n = 99; // the clone was taken at postMessage
  port1.postMessage(new Map([['k', 2]]));
  const buf = new Uint8Array([7]).buffer;
  port1.postMessage(buf, [buf]);
  assertEqual(got, [], 'nothing is delivered synchronously');
  await done;
  assertEqual(got[0], { n: 1 });
  assertEqual(got[1].get('k'), 2);
  assertEqual(new Uint8Array(got[2]), new Uint8Array([7]));
  assertEqual(buf.byteLength, 0);
  assertThrows(() => port1.postMessage(() => {}), /DataCloneError/);
  port1.close();
  port2.close();
});

test('BroadcastChannel: the other channels of the name hear, the sender does not', async () => {
  const a = new BroadcastChannel('news');
  const b = new BroadcastChannel('news');
  const other = new BroadcastChannel('other');
  let heardByA = false;
  let heardByOther = false;
  a.onmessage = () => { heardByA = true; };
  other.onmessage = () => { heardByOther = true; };
  const data = await new Promise((resolve) => { b.onmessage = (e) => resolve(e.data); a.postMessage({ hello: 'b' }); });
  assertEqual(data, { hello: 'b' });
  assertEqual([heardByA, heardByOther], [false, false]);
  a.close(); b.close(); other.close();
  assertThrows(() => a.postMessage(1), /InvalidStateError/);
});

test('PerformanceObserver gets marks and measures in a task of its own, buffered ones when asked', async () => {
  const seen = [];
  const done = new Promise((resolve) => {
    const o = new PerformanceObserver((list, observer) => {
      seen.push(...list.getEntries().map((e) => `${e.entryType}:${e.name}`));
      assertEqual(observer, o);
      assertEqual(list.getEntriesByType('measure').length, 1);
      o.disconnect();
      resolve();
    });
    o.observe({ entryTypes: ['mark', 'measure', 'no-such-type'] });
  });
  performance.mark('po-a');
  performance.measure('po-m', 'po-a');
  assertEqual(seen, []); // not synchronously
  await done;
  assertEqual(seen, ['mark:po-a', 'measure:po-m']);
  assertEqual(PerformanceObserver.supportedEntryTypes.includes('mark'), true);
  const buffered = await new Promise((resolve) => {
    new PerformanceObserver((list, o) => { o.disconnect(); resolve(list.getEntriesByName('po-a').length); }).observe({ type: 'mark', buffered: true });
  });
  assertEqual(buffered, 1);
  const o = new PerformanceObserver(() => {});
  assertThrows(() => o.observe({}), /TypeError/);
  assertThrows(() => o.observe({ type: 'mark', entryTypes: ['mark'] }), /TypeError/);
  o.observe({ type: 'mark' });
  performance.mark('po-b');
  assertEqual(o.takeRecords().map((e) => e.name), ['po-b']);
  o.disconnect();
});
