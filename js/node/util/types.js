// node:util/types: what kind of built-in object a value is, by its internal brand
// (Object.prototype.toString and the built-ins' own checks), as Node's util.types.
import primordials from '../../internal/primordials.js';

const { ObjectPrototypeToString } = primordials;
const tag = (v) => ObjectPrototypeToString(v);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const isObj = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

function brand(getter) {
  return (v) => { try { getter(v); return true; } catch { return false; } };
}

export const isDate = brand((v) => Date.prototype.getTime.call(v));
export const isRegExp = (v) => isObj(v) && brand((x) => Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get.call(x))(v) && v !== RegExp.prototype;
export const isMap = brand((v) => Object.getOwnPropertyDescriptor(Map.prototype, 'size').get.call(v));
export const isSet = brand((v) => Object.getOwnPropertyDescriptor(Set.prototype, 'size').get.call(v));
export const isWeakMap = brand((v) => WeakMap.prototype.has.call(v, {}));
export const isWeakSet = brand((v) => WeakSet.prototype.has.call(v, {}));
export const isPromise = (v) => isObj(v) && tag(v) === '[object Promise]' && brand((x) => Promise.prototype.then.call(x, undefined, undefined))(v);
export const isArrayBuffer = brand((v) => Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get.call(v));
export const isSharedArrayBuffer = typeof SharedArrayBuffer === 'function'
  ? brand((v) => Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get.call(v)) : () => false;
export const isAnyArrayBuffer = (v) => isArrayBuffer(v) || isSharedArrayBuffer(v);
export const isDataView = brand((v) => Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get.call(v));
export const isTypedArray = (v) => typedArrayTag.call(v) !== undefined;
export const isArrayBufferView = (v) => ArrayBuffer.isView(v);
const typedIs = (name) => (v) => typedArrayTag.call(v) === name;
export const isUint8Array = typedIs('Uint8Array');
export const isUint8ClampedArray = typedIs('Uint8ClampedArray');
export const isUint16Array = typedIs('Uint16Array');
export const isUint32Array = typedIs('Uint32Array');
export const isInt8Array = typedIs('Int8Array');
export const isInt16Array = typedIs('Int16Array');
export const isInt32Array = typedIs('Int32Array');
export const isFloat32Array = typedIs('Float32Array');
export const isFloat64Array = typedIs('Float64Array');
export const isBigInt64Array = typedIs('BigInt64Array');
export const isBigUint64Array = typedIs('BigUint64Array');
export const isNativeError = (v) => isObj(v) && tag(v) === '[object Error]' && v instanceof Error;
export const isGeneratorFunction = (v) => typeof v === 'function' && /^\[object (Async)?GeneratorFunction\]$/.test(tag(v));
export const isAsyncFunction = (v) => typeof v === 'function' && /^\[object Async(Generator)?Function\]$/.test(tag(v));
export const isGeneratorObject = (v) => isObj(v) && tag(v) === '[object Generator]';
export const isMapIterator = (v) => isObj(v) && tag(v) === '[object Map Iterator]';
export const isSetIterator = (v) => isObj(v) && tag(v) === '[object Set Iterator]';
export const isNumberObject = brand((v) => { if (typeof v !== 'object') throw 0; Number.prototype.valueOf.call(v); });
export const isStringObject = brand((v) => { if (typeof v !== 'object') throw 0; String.prototype.valueOf.call(v); });
export const isBooleanObject = brand((v) => { if (typeof v !== 'object') throw 0; Boolean.prototype.valueOf.call(v); });
export const isBigIntObject = brand((v) => { if (typeof v !== 'object') throw 0; BigInt.prototype.valueOf.call(v); });
export const isSymbolObject = brand((v) => { if (typeof v !== 'object') throw 0; Symbol.prototype.valueOf.call(v); });
export const isBoxedPrimitive = (v) => isNumberObject(v) || isStringObject(v) || isBooleanObject(v) || isBigIntObject(v) || isSymbolObject(v);
export const isProxy = () => false;
export const isModuleNamespaceObject = (v) => isObj(v) && tag(v) === '[object Module]';
export const isArgumentsObject = (v) => isObj(v) && tag(v) === '[object Arguments]';
export const isExternal = () => false;
export const isKeyObject = () => false;
export const isCryptoKey = () => false;

// require('util/types') and util.types are this one plain object, as in Node.
export default {
  isDate, isRegExp, isMap, isSet, isWeakMap, isWeakSet, isPromise, isArrayBuffer,
  isSharedArrayBuffer, isAnyArrayBuffer, isDataView, isTypedArray, isArrayBufferView,
  isUint8Array, isUint8ClampedArray, isUint16Array, isUint32Array, isInt8Array, isInt16Array,
  isInt32Array, isFloat32Array, isFloat64Array, isBigInt64Array, isBigUint64Array,
  isNativeError, isGeneratorFunction, isAsyncFunction, isGeneratorObject, isMapIterator,
  isSetIterator, isNumberObject, isStringObject, isBooleanObject, isBigIntObject,
  isSymbolObject, isBoxedPrimitive, isProxy, isModuleNamespaceObject, isArgumentsObject,
  isExternal, isKeyObject, isCryptoKey,
};
