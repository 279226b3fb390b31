const split2 = require('split2');
const { Readable } = require('stream');
Readable.from(['a\nb', '\nc\n', 'd']).pipe(split2()).on('data', (line) => console.log('line', line)).on('end', () => console.log('end'));
