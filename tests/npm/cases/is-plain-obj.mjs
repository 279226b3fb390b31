import isPlainObject from 'is-plain-obj';
console.log([{}, Object.create(null), [], new Map(), null, new (class X {})()].map(isPlainObject));
