// Its second test awaits a promise nothing settles: the event loop runs dry and the app would
// end with status 0 before the summary line. The harness must say so and end with status 1.
import { test } from '../js/harness.js';
test('settles', () => {});
test('never settles', () => new Promise(() => {}));
test('never runs', () => {});
