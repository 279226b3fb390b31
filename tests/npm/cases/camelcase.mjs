import camelCase from 'camelcase';
console.log(camelCase('foo-bar_baz'), camelCase(['Foo', 'bar'], { pascalCase: true }), camelCase('XMLHttpRequest', { preserveConsecutiveUppercase: true }));
