const { Buffer } = require('safe-buffer');
const b = Buffer.from('héllo wörld');
console.log(b.length, b.toString('hex'), b.toString('base64'), Buffer.alloc(3, 'ab').toString(), Buffer.isBuffer(b));
