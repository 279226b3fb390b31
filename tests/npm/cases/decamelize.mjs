import decamelize from 'decamelize';
console.log(decamelize('unicornRainbow'), decamelize('myURLString', { separator: '-', preserveConsecutiveUppercase: true }));
