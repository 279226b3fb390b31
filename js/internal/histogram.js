// Node's histograms (perf_hooks.createHistogram and monitorEventLoopDelay): integer samples
// with their count, min, max, mean, standard deviation and percentiles. Values are kept
// exactly, one count per distinct value, where Node keeps an HdrHistogram of 3 significant
// digits: the same answers to that precision, and a program's distinct delays and
// durations are few enough to hold.
import { codedError } from './modules/errors.js';
import { invalidArgType, outOfRange } from './node-errors.js';

export class Histogram {
  #counts = new Map();   // value -> how many times recorded
  #count = 0;
  #min = 9223372036854775807;   // Node's values before any sample: INT64_MAX and 0
  #max = 0;
  #sum = 0;
  #sumSquares = 0;
  #exceeds = 0;
  #lowest;
  #highest;

  constructor(lowest = 1, highest = Number.MAX_SAFE_INTEGER) {
    this.#lowest = lowest;
    this.#highest = highest;
  }

  get count() { return this.#count; }
  get countBigInt() { return BigInt(this.#count); }
  get min() { return this.#min; }
  get minBigInt() { return BigInt(this.#min); }
  get max() { return this.#max; }
  get maxBigInt() { return BigInt(this.#max); }
  get mean() { return this.#count ? this.#sum / this.#count : NaN; }
  get stddev() {
    if (this.#count === 0) return NaN;
    const mean = this.#sum / this.#count;
    return Math.sqrt(Math.max(0, this.#sumSquares / this.#count - mean * mean));
  }
  get exceeds() { return this.#exceeds; }
  get exceedsBigInt() { return BigInt(this.#exceeds); }

  /** The smallest recorded value at or above `p` percent of the samples. */
  percentile(p) {
    if (typeof p !== 'number') throw invalidArgType('percentile', 'number', p);
    if (!(p > 0 && p <= 100)) throw outOfRange('percentile', '> 0 && <= 100', p);
    if (this.#count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.#count);
    let seen = 0;
    for (const value of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(value);
      if (seen >= rank) return value;
    }
    return this.#max;
  }
  percentileBigInt(p) { return BigInt(this.percentile(p)); }

  /** Each percentile reached by the sorted samples, as Node lists them: a Map p -> value. */
  get percentiles() {
    const out = new Map();
    if (this.#count === 0) { out.set(100, 0); return out; }
    let seen = 0;
    for (const value of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(value);
      out.set((seen / this.#count) * 100, value);
    }
    return out;
  }
  get percentilesBigInt() {
    return new Map([...this.percentiles].map(([p, v]) => [p, BigInt(v)]));
  }

  reset() {
    this.#counts.clear();
    this.#count = this.#exceeds = this.#max = this.#sum = this.#sumSquares = 0;
    this.#min = 9223372036854775807;
  }

  // Adds one sample; out-of-range samples count in `exceeds` only, as HdrHistogram's.
  _add(value) {
    if (value < this.#lowest || value > this.#highest) { this.#exceeds++; return; }
    this.#counts.set(value, (this.#counts.get(value) ?? 0) + 1);
    this.#count++;
    this.#sum += value;
    this.#sumSquares += value * value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  // Adds every sample of another histogram.
  _merge(other) {
    for (const [value, n] of other.#counts) {
      this.#counts.set(value, (this.#counts.get(value) ?? 0) + n);
      this.#count += n;
      this.#sum += value * n;
      this.#sumSquares += value * value * n;
      if (value < this.#min) this.#min = value;
      if (value > this.#max) this.#max = value;
    }
    this.#exceeds += other.#exceeds;
  }

  toJSON() {
    return { count: this.count, min: this.min, max: this.max, mean: this.mean, exceeds: this.exceeds,
      stddev: this.stddev, percentiles: Object.fromEntries(this.percentiles) };
  }
}

/** perf_hooks.createHistogram's: values recorded by the program. */
export class RecordableHistogram extends Histogram {
  #lastDelta = undefined;

  record(value) {
    if (typeof value === 'bigint') value = Number(value);
    else if (typeof value !== 'number') throw invalidArgType('val', ['number', 'bigint'], value);
    if (!Number.isInteger(value) || value < 1) throw outOfRange('val', '>= 1 && <= 9007199254740991', value);
    this._add(value);
  }

  /** Records the nanoseconds since the previous call (the first call records nothing). */
  recordDelta() {
    const now = process.hrtime.bigint();
    if (this.#lastDelta !== undefined) this._add(Number(now - this.#lastDelta));
    this.#lastDelta = now;
  }

  add(other) {
    if (!(other instanceof Histogram)) throw invalidArgType('other', 'RecordableHistogram', other);
    this._merge(other);
  }
}

/** createHistogram({ lowest, highest, figures }). */
export function createHistogram(options = {}) {
  const { lowest = 1, highest = Number.MAX_SAFE_INTEGER, figures = 3 } = options ?? {};
  for (const [name, v] of [['options.lowest', lowest], ['options.highest', highest], ['options.figures', figures]]) {
    if (typeof v !== 'number' && typeof v !== 'bigint') throw invalidArgType(name, ['number', 'bigint'], v);
  }
  if (Number(figures) < 1 || Number(figures) > 5) throw outOfRange('options.figures', '>= 1 && <= 5', figures);
  if (Number(highest) < 2 * Number(lowest)) {
    throw codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "options.highest" is out of range. It must be >= ${2 * Number(lowest)}. Received ${highest}`);
  }
  return new RecordableHistogram(Number(lowest), Number(highest));
}

/**
 * monitorEventLoopDelay's histogram: while enabled, a timer every `resolution` ms records in
 * nanoseconds how late it fired, which is how long the app's loop was busy past it.
 */
export class IntervalHistogram extends Histogram {
  #resolution;
  #timer = null;
  #due = 0n;

  constructor(resolution) {
    super();
    this.#resolution = resolution;
  }

  enable() {
    if (this.#timer) return false;
    const periodNs = BigInt(this.#resolution) * 1000000n;
    this.#due = process.hrtime.bigint() + periodNs;
    this.#timer = setInterval(() => {
      const now = process.hrtime.bigint();
      const late = now - this.#due;
      this._add(Number(late > 0n ? late : 1n));
      this.#due = now + periodNs;
    }, this.#resolution);
    this.#timer.unref();
    return true;
  }

  disable() {
    if (!this.#timer) return false;
    clearInterval(this.#timer);
    this.#timer = null;
    return true;
  }
}

export function monitorEventLoopDelay(options = {}) {
  const { resolution = 10 } = options ?? {};
  if (typeof resolution !== 'number') throw invalidArgType('options.resolution', 'number', resolution);
  if (!Number.isInteger(resolution) || resolution < 1) throw outOfRange('options.resolution', '>= 1 && <= 2147483647', resolution);
  return new IntervalHistogram(resolution);
}
