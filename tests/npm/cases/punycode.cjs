const punycode = require('punycode/');
console.log(punycode.encode('mañana'), punycode.toASCII('mañana.com'), punycode.toUnicode('xn--maana-pta.com'), punycode.ucs2.decode('𝌆'));
