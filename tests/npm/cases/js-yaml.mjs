import yaml from 'js-yaml';
const doc = yaml.load('a: 1\nlist:\n  - x\n  - { y: true }\nstr: "hi"\n');
console.log(JSON.stringify(doc));
console.log(yaml.dump({ b: [1, 2], c: { d: 'e' } }));
