import mapObject, { mapObjectSkip } from 'map-obj';
console.log(mapObject({ a: 1, b: 2, c: 3 }, (k, v) => (v === 2 ? mapObjectSkip : [k.toUpperCase(), v * 10])));
