import { __assign, __rest, __awaiter } from 'tslib';
console.log(__assign({ a: 1 }, { b: 2 }), __rest({ a: 1, b: 2, c: 3 }, ['a']));
console.log(await __awaiter(undefined, undefined, undefined, function* () { return (yield Promise.resolve(20)) + 1; }));
