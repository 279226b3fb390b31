// validator (CommonJS, one module per check): strings checked and sanitized.
const validator = require('validator');
console.log(validator.isEmail('ada@example.com'), validator.isEmail('ada@'), validator.isURL('https://rtjs.dev/a?b=1'),
  validator.isUUID('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), validator.isIP('10.0.2.15', 4), validator.isIP('::1', 6));
console.log(validator.isISO8601('2024-02-29T12:00:00Z'), validator.isCreditCard('4111111111111111'), validator.isJSON('{"a":1}'),
  validator.isStrongPassword('Abcdef1!'), validator.isLength('héllo', { min: 5, max: 5 }), validator.isBase64('aGVsbG8='));
console.log(validator.escape('<a href="x">&</a>'), validator.normalizeEmail('Ada.Lovelace+tag@GMAIL.com'),
  validator.trim('  x  '), validator.toInt('42px'), validator.blacklist('a-b-c', '-'), validator.version);
