// Helpers shared by the OpenSSL bindings (binding-crypto.cc, binding-pkey.cc).
#ifndef RTJS_BINDING_CRYPTO_H
#define RTJS_BINDING_CRYPTO_H

#include "app.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtjs {

// The bytes of an ArrayBuffer or a view, valid while the caller holds the value.
struct Bytes {
	const uint8_t *data = nullptr;
	size_t len = 0;
};

// False for anything but an ArrayBuffer or a view; an empty one gives a non-null pointer.
bool GetBytes(v8::Local<v8::Value> v, Bytes *out);

// A new ArrayBuffer holding a copy of `len` bytes at `p`.
v8::Local<v8::ArrayBuffer> CopyToArrayBuffer(v8::Isolate *isolate, const uint8_t *p, size_t len);

// Throws an Error "what: OpenSSL's reason" and clears OpenSSL's error queue.
void ThrowOpenSsl(v8::Isolate *isolate, const std::string &what);

}  // namespace rtjs

#endif
