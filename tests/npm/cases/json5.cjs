const JSON5 = require('json5');
console.log(JSON.stringify(JSON5.parse("{unquoted: 'and you can quote me on that', trailing: [1,2,], hex: 0xDECAF, // c\n}")), JSON5.stringify({ a: [1, 'b'] }));
