// node:perf_hooks: the app's Performance Timeline (the same `performance` as the global one),
// observers, and Node's histograms (createHistogram, monitorEventLoopDelay).
import {
  PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
  PerformanceObserverEntryList, PerformanceResourceTiming,
} from '../internal/performance.js';
import { createHistogram, monitorEventLoopDelay, Histogram, RecordableHistogram, IntervalHistogram } from '../internal/histogram.js';

export const performance = globalThis.performance;

// Node's kinds of garbage collection entry (v8's GCType bits); rtjs records no 'gc' entries.
export const constants = Object.freeze({
  NODE_PERFORMANCE_GC_MAJOR: 4, NODE_PERFORMANCE_GC_MINOR: 1, NODE_PERFORMANCE_GC_INCREMENTAL: 8,
  NODE_PERFORMANCE_GC_WEAKCB: 16, NODE_PERFORMANCE_GC_FLAGS_NO: 0,
  NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2, NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
  NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
  NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
  NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
  NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
});

export {
  PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
  PerformanceObserverEntryList, PerformanceResourceTiming, createHistogram, monitorEventLoopDelay,
  Histogram, RecordableHistogram, IntervalHistogram,
};

export default {
  performance, constants, PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
  PerformanceObserverEntryList, PerformanceResourceTiming, createHistogram, monitorEventLoopDelay,
};
