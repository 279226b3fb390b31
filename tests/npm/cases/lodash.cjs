const _ = require('lodash');
console.log(_.chunk([1, 2, 3, 4, 5], 2), _.uniqBy([{ x: 1 }, { x: 1 }, { x: 2 }], 'x'), _.kebabCase('Foo Bar'), _.template('hi <%= who %>')({ who: 'rtjs' }));
console.log(_.merge({ a: { b: 1 } }, { a: { c: 2 } }), _.debounce !== undefined, _.VERSION);
