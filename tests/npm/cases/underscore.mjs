import _ from 'underscore';
console.log(_.pluck([{ n: 'a' }, { n: 'b' }], 'n'), _.range(0, 10, 3), _.escape('<a href="x">'));
