const Decimal = require('decimal.js');
Decimal.set({ precision: 30 });
console.log(new Decimal(2).sqrt().toString(), new Decimal('0.1').add('0.2').toString(), Decimal.exp(1).toSignificantDigits(20).toString());
