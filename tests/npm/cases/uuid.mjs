// uuid (dual package): deterministic versions (v3/v5 names, parse/stringify, validate) and
// the shape of random v4/v7 ones (crypto.getRandomValues underneath).
import { v3, v4, v5, v7, validate, version, parse, stringify, NIL } from 'uuid';
console.log(v5('hello', v5.URL), v3('hello', v3.DNS));
console.log(validate(v4()), version(v4()), validate(v7()), version(v7()), validate('nope'), NIL);
const bytes = parse('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
console.log(bytes.length, stringify(bytes), version('6ba7b810-9dad-11d1-80b4-00c04fd430c8'));
console.log(v4({ random: new Uint8Array(16).fill(7) }));
