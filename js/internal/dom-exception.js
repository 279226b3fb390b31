// DOMException (WebIDL): the error web APIs throw, a name from the table below with its
// legacy numeric code (0 for names that have none).
import primordials from './primordials.js';

const { ErrorCaptureStackTrace, ObjectDefineProperty } = primordials;

// WebIDL "DOMException names" table: name -> legacy code.
const LEGACY_CODES = {
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
  InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
  InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
  AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
  InvalidNodeTypeError: 24, DataCloneError: 25,
};
const CODE_NAMES = [
  'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR', 'WRONG_DOCUMENT_ERR',
  'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR', 'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR',
  'NOT_SUPPORTED_ERR', 'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
  'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR', 'VALIDATION_ERR',
  'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR', 'ABORT_ERR', 'URL_MISMATCH_ERR',
  'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR', 'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
];

export class DOMException extends Error {
  #name;
  #message;

  constructor(message = '', options = 'Error') {
    super();
    this.#message = `${message}`;
    if (options !== null && typeof options === 'object') {
      this.#name = 'name' in options ? `${options.name}` : 'Error';
      if ('cause' in options) {
        ObjectDefineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
      }
    } else {
      this.#name = `${options}`;
    }
    if (ErrorCaptureStackTrace) ErrorCaptureStackTrace(this, DOMException);
  }

  get name() { return this.#name; }
  get message() { return this.#message; }
  get code() { return LEGACY_CODES[this.#name] ?? 0; }
}

for (let i = 0; i < CODE_NAMES.length; i++) {
  const desc = { value: i + 1, enumerable: true };
  ObjectDefineProperty(DOMException, CODE_NAMES[i], desc);
  ObjectDefineProperty(DOMException.prototype, CODE_NAMES[i], desc);
}
ObjectDefineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true });
