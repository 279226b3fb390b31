const cx = require('classnames');
console.log(cx('a', { b: true, c: false }, ['d', ['e']], null, 0, 'f'));
