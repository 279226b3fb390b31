const BN = require('bn.js');
const a = new BN('123456789012345678901234567890');
console.log(a.mul(a).toString(16), a.pow(new BN(3)).toString(10).length, a.toArrayLike(Buffer, 'be', 16).toString('hex'));
