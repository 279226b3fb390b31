// node:trace_events: rtjs records no V8/Node trace events, so none is enabled and tracing
// cannot be started.
import { unavailable } from '../internal/unavailable.js';

export const createTracing = unavailable('trace_events', 'createTracing', 'the runtime records no trace events');
export function getEnabledCategories() { return undefined; }
export default { createTracing, getEnabledCategories };
