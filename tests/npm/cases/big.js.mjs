import Big from 'big.js';
console.log(new Big(0.1).plus(0.2).toString(), new Big('1.23456789').round(3).toFixed(5), new Big(2).pow(100).toString());
