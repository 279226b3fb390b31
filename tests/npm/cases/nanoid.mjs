import { customAlphabet, nanoid } from 'nanoid/non-secure';
const id = customAlphabet('abc', 12)();
console.log(id.length, /^[abc]{12}$/.test(id), nanoid().length, /^[\w-]{21}$/.test(nanoid()));
