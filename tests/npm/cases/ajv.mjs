// ajv (JSON Schema, CommonJS with default-export interop): compiles schemas to functions
// with new Function, so this also checks code generation at run time.
import Ajv from 'ajv';
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    email: { type: 'string', pattern: '^[^@]+@[^@]+$' },
  },
  required: ['name', 'age'],
  additionalProperties: false,
});
console.log(validate({ name: 'ada', age: 36, tags: ['a', 'b'] }), validate.errors);
console.log(validate({ name: '', age: -1, tags: ['a', 'a'], email: 'x', extra: 1 }));
for (const e of validate.errors) console.log(e.instancePath, e.keyword, e.message);
console.log(ajv.validate({ enum: [1, 'two', null] }, 'two'), ajv.errorsText(ajv.errors));
