// ICU's data for English only (scripts/icu-small, `--icu small`): Intl works for English and
// its regions, every other locale is reported unsupported and resolves to en-US, and what
// comes from ICU's root data (normalisation, IDNA, converters, segmentation) still works.
// With the full data the locale checks fail: 'de' is then supported.
import { test, assertEqual } from '../js/harness.js';

const epoch = new Date(0);

test('English dates, numbers and regions', () => {
  assertEqual(new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: 'UTC' }).format(epoch),
    'Thursday, January 1, 1970');
  assertEqual((1234567.891).toLocaleString('en-IN'), '12,34,567.891');
  assertEqual(new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC' }).format(epoch), '01/01/1970');
});

test('other locales are unsupported and resolve to en-US', () => {
  assertEqual(Intl.DateTimeFormat.supportedLocalesOf(['de', 'ja', 'en-GB']), ['en-GB']);
  assertEqual(new Intl.NumberFormat('de').resolvedOptions().locale, 'en-US');
  assertEqual((1234567.891).toLocaleString('de'), '1,234,567.891');
});

test('root data: normalisation, IDNA, converters, segmentation, time zones', () => {
  assertEqual('\u00e9'.normalize('NFD').length, 2);
  assertEqual(new URL('http://b\u00fccher.de/').host, 'xn--bcher-kva.de');
  assertEqual(new TextDecoder('shift_jis').decode(new Uint8Array([0x82, 0xa0])), '\u3042');
  const words = [...new Intl.Segmenter('en', { granularity: 'word' }).segment('hi there')].map((s) => s.segment);
  assertEqual(words, ['hi', ' ', 'there']);
  assertEqual(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', hourCycle: 'h23' })
    .format(epoch), '09');
});
