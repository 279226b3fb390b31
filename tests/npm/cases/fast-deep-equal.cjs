const equal = require('fast-deep-equal/es6');
console.log(equal({ a: [1, new Map([[1, 2]])] }, { a: [1, new Map([[1, 2]])] }), equal([1], [2]));
