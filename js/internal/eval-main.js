// `rtjs -e CODE` and `rtjs -p CODE`: the code runs as a classic script in the global scope
// (as Node's --eval), so its declarations are globals and -p can print its completion value.
// An exception propagates: it is reported as any uncaught one, and the status is 1.
import binding from 'rtjs:binding';
import { console } from './console.js';

const result = binding.evalScript(binding.evalSource, '[eval]');
if (binding.printEval) console.log(result);
