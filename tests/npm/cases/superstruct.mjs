import { object, string, number, validate, assert } from 'superstruct';
const S = object({ id: number(), name: string() });
const [err] = validate({ id: '1', name: 'x' }, S);
console.log(err.message);
assert({ id: 1, name: 'ok' }, S);
console.log('valid');
