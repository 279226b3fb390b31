// node:cluster: rtjs has no processes to fork, so every app is a primary with no workers;
// fork() fails (apps start apps with rt.spawn, and several apps may listen on one port
// through the network service).
import { EventEmitter } from './events.js';
import { unavailable } from '../internal/unavailable.js';

const WHY = 'there are no processes to fork (apps start apps with rt.spawn)';
const cluster = new EventEmitter();
Object.assign(cluster, {
  isPrimary: true, isMaster: true, isWorker: false, workers: {}, settings: {},
  SCHED_NONE: 1, SCHED_RR: 2, schedulingPolicy: 2,
  fork: unavailable('cluster', 'fork', WHY),
  setupPrimary: unavailable('cluster', 'setupPrimary', WHY),
  setupMaster: unavailable('cluster', 'setupMaster', WHY),
  disconnect(cb) { if (typeof cb === 'function') queueMicrotask(cb); },
});
export default cluster;
