// The crypto half of 'rtjs:binding': OpenSSL 3's libcrypto (the one in the runtime's
// library closure) does every cryptographic computation; js/internal/crypto*.js and
// js/node/crypto.js only check arguments and shape results. Randomness is OpenSSL's DRBG,
// seeded by getrandom(2): the host's hosted, RDRAND/RDSEED in the kernel.
//
//   randomFill(view)                                 fills the view's bytes
//   digest(alg, data) -> ArrayBuffer                 one-shot hash
//   hashNew(alg) / hmacNew(alg, key) -> handle       streaming: update(h, data), final(h)
//   hashUpdate(h, data), hashFinal(h) -> ArrayBuffer, hashCopy(h[, xofLength]) -> handle
//   (hashNew's optional second argument: the output length of an XOF, SHAKE)
//   pbkdf2(alg, password, salt, iterations, length) -> ArrayBuffer
//   hkdf(alg, ikm, salt, info, length) -> ArrayBuffer
//   scrypt(password, salt, N, r, p, maxmem, length) -> ArrayBuffer
//   cipher(name, encrypt, key, iv, data, aad, tagLength) -> ArrayBuffer (AEAD: tag appended)
//   cipherNew(name, encrypt, key, iv|null, tagLength|-1) -> handle    streaming (node:crypto's
//   cipherUpdate(h, data) -> ArrayBuffer, cipherFinal(h) -> ArrayBuffer   Cipheriv/Decipheriv)
//   cipherSetAAD(h, aad, plaintextLength|-1), cipherSetTag(h, tag), cipherGetTag(h) -> ArrayBuffer
//   cipherSetPadding(h, bool), ciphers() -> [name], cipherInfo(name | nid) -> {...} | undefined
//   timingSafeEqual(a, b) -> bool (equal lengths checked by the caller)
// Algorithm names are OpenSSL's ("SHA256", "AES-128-GCM"). Failures throw an Error whose
// message names the operation and OpenSSL's reason.
#include "binding-crypto.h"
#include "handles.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/objects.h>
#include <openssl/rand.h>

#include <cstring>
#include <vector>

namespace rtjs {

// GCM's authentication tag is at most one AES block (NIST SP 800-38D, 5.2.1.2).
static const int kMaxGcmTagBytes = 16;

void ThrowOpenSsl(v8::Isolate *isolate, const std::string &what)
{
	unsigned long e = ERR_peek_last_error();
	char reason[256] = "unknown reason";
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	ERR_clear_error();
	ThrowError(isolate, what + ": " + reason);
}

static const uint8_t kEmpty[1] = { 0 };

bool GetBytes(v8::Local<v8::Value> v, Bytes *out)
{
	std::shared_ptr<v8::BackingStore> store;
	size_t offset = 0, len = 0;
	if (v->IsArrayBufferView()) {
		v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
		store = view->Buffer()->GetBackingStore();
		offset = view->ByteOffset();
		len = view->ByteLength();
	} else if (v->IsArrayBuffer()) {
		store = v.As<v8::ArrayBuffer>()->GetBackingStore();
		len = store->ByteLength();
	} else {
		return false;
	}
	out->data = store->Data() ? static_cast<const uint8_t *>(store->Data()) + offset : kEmpty;
	out->len = len;
	return true;
}

static bool ArgBytes(const v8::FunctionCallbackInfo<v8::Value> &info, int i, Bytes *out,
		     const char *fn)
{
	if (GetBytes(info[i], out))
		return true;
	ThrowError(info.GetIsolate(), std::string(fn) + ": argument " + std::to_string(i + 1) +
					      " must be an ArrayBuffer or a view");
	return false;
}

static std::string ArgString(const v8::FunctionCallbackInfo<v8::Value> &info, int i)
{
	return ToStd(info.GetIsolate(), info[i]);
}

// A new ArrayBuffer of `len` bytes; `fill` writes it. Returns false if fill failed.
template <typename F>
static bool NewBuffer(v8::Isolate *isolate, size_t len, F fill, v8::Local<v8::ArrayBuffer> *out)
{
	auto store = v8::ArrayBuffer::NewBackingStore(isolate, len);
	if (!fill(static_cast<uint8_t *>(store->Data())))
		return false;
	*out = v8::ArrayBuffer::New(isolate, std::move(store));
	return true;
}

v8::Local<v8::ArrayBuffer> CopyToArrayBuffer(v8::Isolate *isolate, const uint8_t *p, size_t len)
{
	auto store = v8::ArrayBuffer::NewBackingStore(isolate, len);
	if (len)
		memcpy(store->Data(), p, len);
	return v8::ArrayBuffer::New(isolate, std::move(store));
}

static const EVP_MD *Md(v8::Isolate *isolate, const std::string &name)
{
	const EVP_MD *md = EVP_get_digestbyname(name.c_str());
	if (!md)
		ThrowError(isolate, "unsupported digest '" + name + "'");
	return md;
}

static void RandomFill(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Bytes b;
	if (!ArgBytes(info, 0, &b, "randomFill"))
		return;
	if (b.len && RAND_bytes(const_cast<uint8_t *>(b.data), (int)b.len) != 1)
		ThrowOpenSsl(info.GetIsolate(), "randomFill");
}

static void Digest(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	const EVP_MD *md = Md(isolate, ArgString(info, 0));
	Bytes data;
	if (!md || !ArgBytes(info, 1, &data, "digest"))
		return;
	v8::Local<v8::ArrayBuffer> out;
	unsigned len = (unsigned)EVP_MD_get_size(md);
	if (!NewBuffer(isolate, len, [&](uint8_t *p) {
		    return EVP_Digest(data.data, data.len, p, &len, md, nullptr) == 1;
	    }, &out))
		return ThrowOpenSsl(isolate, "digest");
	info.GetReturnValue().Set(out);
}

// A streaming hash or HMAC, owned by a JavaScript object and freed when that is collected
// (or at hashFinal).
struct HashState {
	EVP_MD_CTX *md = nullptr;
	EVP_MAC_CTX *mac = nullptr;
	// An extendable-output hash (SHAKE) gives this many bytes; 0: the digest's own size.
	size_t xof_len = 0;
	v8::Global<v8::Object> owner;

	~HashState()
	{
		EVP_MD_CTX_free(md);
		EVP_MAC_CTX_free(mac);
	}
};

static const HandleKind kHashKind{ "hash" };

static void ReturnHash(const v8::FunctionCallbackInfo<v8::Value> &info, HashState *s)
{
	v8::Local<v8::Object> o;
	if (NewHandle(info.GetIsolate(), kHashKind, s).ToLocal(&o))
		info.GetReturnValue().Set(o);
}

static HashState *UnwrapHash(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	bool is_hash;
	HashState *s = HandleState<HashState>(info[0], kHashKind, &is_hash);
	if (!is_hash)
		ThrowError(info.GetIsolate(), "not a hash handle");
	else if (!s)
		ThrowError(info.GetIsolate(), "Digest already called");
	return s;
}

static bool ArgLength(const v8::FunctionCallbackInfo<v8::Value> &info, int i, size_t *out);

static void HashNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	const EVP_MD *md = Md(isolate, ArgString(info, 0));
	if (!md)
		return;
	size_t xof_len = 0;
	if (info.Length() > 1 && !info[1]->IsUndefined()) {
		if (!ArgLength(info, 1, &xof_len))
			return;
		if (!(EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) && xof_len != (size_t)EVP_MD_get_size(md))
			return ThrowError(isolate, "output length not supported");
	}
	HashState *s = new HashState();
	s->md = EVP_MD_CTX_new();
	s->xof_len = xof_len;
	if (!s->md || EVP_DigestInit_ex(s->md, md, nullptr) != 1) {
		delete s;
		return ThrowOpenSsl(isolate, "createHash");
	}
	ReturnHash(info, s);
}

// hashCopy(h) -> handle: the state so far, to go on from separately (Node's hash.copy()).
static void HashCopy(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	HashState *from = UnwrapHash(info);
	if (!from)
		return;
	if (!from->md)
		return ThrowError(isolate, "not a hash handle");
	size_t xof_len = from->xof_len;
	if (info.Length() > 1 && !info[1]->IsUndefined() && !ArgLength(info, 1, &xof_len))
		return;
	HashState *s = new HashState();
	s->md = EVP_MD_CTX_new();
	s->xof_len = xof_len;
	if (!s->md || EVP_MD_CTX_copy_ex(s->md, from->md) != 1) {
		delete s;
		return ThrowOpenSsl(isolate, "copy");
	}
	ReturnHash(info, s);
}

static void HmacNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string digest = ArgString(info, 0);
	Bytes key;
	if (!Md(isolate, digest) || !ArgBytes(info, 1, &key, "hmac"))
		return;
	EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
	HashState *s = new HashState();
	s->mac = mac ? EVP_MAC_CTX_new(mac) : nullptr;
	EVP_MAC_free(mac);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, &digest[0], 0),
		OSSL_PARAM_construct_end(),
	};
	// HMAC with an empty key is valid (RFC 2104 pads the key with zeros).
	static const uint8_t zero = 0;
	if (!s->mac || EVP_MAC_init(s->mac, key.len ? key.data : &zero, key.len, params) != 1) {
		delete s;
		return ThrowOpenSsl(isolate, "createHmac");
	}
	ReturnHash(info, s);
}

static void HashUpdate(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	HashState *s = UnwrapHash(info);
	Bytes data;
	if (!s || !ArgBytes(info, 1, &data, "update"))
		return;
	int ok = s->md ? EVP_DigestUpdate(s->md, data.data, data.len)
		       : EVP_MAC_update(s->mac, data.data, data.len);
	if (ok != 1)
		ThrowOpenSsl(info.GetIsolate(), "update");
}

static void HashFinal(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	HashState *s = UnwrapHash(info);
	if (!s)
		return;
	size_t len = s->md ? (size_t)EVP_MD_CTX_get_size(s->md) : EVP_MAC_CTX_get_mac_size(s->mac);
	if (s->xof_len)
		len = s->xof_len;
	v8::Local<v8::ArrayBuffer> out;
	bool ok = NewBuffer(isolate, len, [&](uint8_t *p) {
		if (s->md && s->xof_len && (EVP_MD_get_flags(EVP_MD_CTX_get0_md(s->md)) & EVP_MD_FLAG_XOF))
			return EVP_DigestFinalXOF(s->md, p, len) == 1;
		if (s->md) {
			unsigned n = 0;
			return EVP_DigestFinal_ex(s->md, p, &n) == 1;
		}
		size_t n = 0;
		return EVP_MAC_final(s->mac, p, &n, len) == 1;
	}, &out);
	CloseHandle(info[0].As<v8::Object>(), s);
	if (!ok)
		return ThrowOpenSsl(isolate, "digest");
	info.GetReturnValue().Set(out);
}

static bool ArgLength(const v8::FunctionCallbackInfo<v8::Value> &info, int i, size_t *out)
{
	if (!info[i]->IsNumber() || info[i].As<v8::Number>()->Value() < 0 ||
	    info[i].As<v8::Number>()->Value() > (double)INT32_MAX) {
		ThrowError(info.GetIsolate(), "length out of range");
		return false;
	}
	*out = (size_t)info[i].As<v8::Number>()->Value();
	return true;
}

static void Pbkdf2(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	const EVP_MD *md = Md(isolate, ArgString(info, 0));
	Bytes password, salt;
	size_t iterations, len;
	if (!md || !ArgBytes(info, 1, &password, "pbkdf2") || !ArgBytes(info, 2, &salt, "pbkdf2") ||
	    !ArgLength(info, 3, &iterations) || !ArgLength(info, 4, &len))
		return;
	v8::Local<v8::ArrayBuffer> out;
	if (!NewBuffer(isolate, len, [&](uint8_t *p) {
		    return len == 0 || PKCS5_PBKDF2_HMAC(reinterpret_cast<const char *>(password.data),
						 (int)password.len, salt.data, (int)salt.len,
						 (int)iterations, md, (int)len, p) == 1;
	    }, &out))
		return ThrowOpenSsl(isolate, "pbkdf2");
	info.GetReturnValue().Set(out);
}

static void Hkdf(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string digest = ArgString(info, 0);
	Bytes ikm, salt, label;
	size_t len;
	if (!Md(isolate, digest) || !ArgBytes(info, 1, &ikm, "hkdf") ||
	    !ArgBytes(info, 2, &salt, "hkdf") || !ArgBytes(info, 3, &label, "hkdf") ||
	    !ArgLength(info, 4, &len))
		return;
	EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
	EVP_KDF_free(kdf);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, &digest[0], 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t *>(ikm.data), ikm.len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t *>(salt.data), salt.len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<uint8_t *>(label.data), label.len),
		OSSL_PARAM_construct_end(),
	};
	v8::Local<v8::ArrayBuffer> out;
	bool ok = ctx && NewBuffer(isolate, len, [&](uint8_t *p) {
		return len == 0 || EVP_KDF_derive(ctx, p, len, params) == 1;
	}, &out);
	EVP_KDF_CTX_free(ctx);
	if (!ok)
		return ThrowOpenSsl(isolate, "hkdf");
	info.GetReturnValue().Set(out);
}

static void Scrypt(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	Bytes password, salt;
	if (!ArgBytes(info, 0, &password, "scrypt") || !ArgBytes(info, 1, &salt, "scrypt"))
		return;
	for (int i = 2; i <= 6; i++) {
		if (!info[i]->IsNumber() || info[i].As<v8::Number>()->Value() < 0)
			return ThrowError(isolate, "scrypt: N, r, p, maxmem and length must be non-negative numbers");
	}
	uint64_t n = (uint64_t)info[2].As<v8::Number>()->Value();
	uint64_t r = (uint64_t)info[3].As<v8::Number>()->Value();
	uint64_t p = (uint64_t)info[4].As<v8::Number>()->Value();
	uint64_t maxmem = (uint64_t)info[5].As<v8::Number>()->Value();
	size_t len = (size_t)info[6].As<v8::Number>()->Value();
	v8::Local<v8::ArrayBuffer> out;
	if (!NewBuffer(isolate, len, [&](uint8_t *o) {
		    return EVP_PBE_scrypt(reinterpret_cast<const char *>(password.data), password.len,
					  salt.data, salt.len, n, r, p, maxmem, o, len) == 1;
	    }, &out))
		return ThrowOpenSsl(isolate, "scrypt");
	info.GetReturnValue().Set(out);
}

// cipher(name, encrypt, key, iv, data, aad, tagLength): one-shot. For GCM the tag is
// appended on encryption and expected at the end of `data` on decryption (as WebCrypto
// lays it out); a tag that does not verify is an OperationError-worthy failure.
static void Cipher(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string name = ArgString(info, 0);
	bool encrypt = info[1]->IsTrue();
	Bytes key, iv, data, aad;
	if (!ArgBytes(info, 2, &key, "cipher") || !ArgBytes(info, 3, &iv, "cipher") ||
	    !ArgBytes(info, 4, &data, "cipher") || !ArgBytes(info, 5, &aad, "cipher"))
		return;
	int tag_len = info[6]->IsInt32() ? info[6].As<v8::Int32>()->Value() : 0;
	const EVP_CIPHER *c = EVP_get_cipherbyname(name.c_str());
	if (!c)
		return ThrowError(isolate, "unsupported cipher '" + name + "'");
	bool aead = (EVP_CIPHER_get_flags(c) & EVP_CIPH_FLAG_AEAD_CIPHER) != 0;
	if (aead && (tag_len < 0 || tag_len > kMaxGcmTagBytes || (!encrypt && data.len < (size_t)tag_len)))
		return ThrowError(isolate, "cipher: bad tag length");
	if ((size_t)EVP_CIPHER_get_key_length(c) != key.len)
		return ThrowError(isolate, "cipher: a " + name + " key is " +
						   std::to_string(EVP_CIPHER_get_key_length(c)) + " bytes");
	size_t in_len = aead && !encrypt ? data.len - tag_len : data.len;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	std::string what = encrypt ? "encrypt" : "decrypt";
	bool ok = ctx && EVP_CipherInit_ex(ctx, c, nullptr, nullptr, nullptr, encrypt) == 1;
	if (ok && aead)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)iv.len, nullptr) == 1;
	else if (ok && (size_t)EVP_CIPHER_get_iv_length(c) != iv.len) {
		EVP_CIPHER_CTX_free(ctx);
		return ThrowError(isolate, "cipher: the " + name + " iv/counter is " +
						   std::to_string(EVP_CIPHER_get_iv_length(c)) + " bytes");
	}
	ok = ok && EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data, iv.data, encrypt) == 1;
	int n = 0;
	if (ok && aead && aad.len)
		ok = EVP_CipherUpdate(ctx, nullptr, &n, aad.data, (int)aad.len) == 1;
	if (ok && aead && !encrypt)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, tag_len,
					 const_cast<uint8_t *>(data.data + in_len)) == 1;
	// Stream and AEAD modes give exactly in_len bytes (plus the tag): they are written
	// straight into the result. CBC's padding makes the length known only at the end.
	size_t block = (size_t)EVP_CIPHER_get_block_size(c);
	bool exact = block == 1;
	size_t cap = in_len + (exact ? 0 : block) + (aead && encrypt ? tag_len : 0);
	std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(isolate, cap);
	uint8_t *out = static_cast<uint8_t *>(store->Data());
	int total = 0;
	if (ok && in_len) {
		ok = EVP_CipherUpdate(ctx, out, &n, data.data, (int)in_len) == 1;
		total = n;
	}
	if (ok) {
		ok = EVP_CipherFinal_ex(ctx, out + total, &n) == 1;
		total += n;
	}
	if (ok && aead && encrypt) {
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, tag_len, out + total) == 1;
		total += tag_len;
	}
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return ThrowOpenSsl(isolate, what);
	if ((size_t)total == cap) {
		info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
		return;
	}
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out, (size_t)total));
}

// A streaming cipher for node:crypto. Node's error texts come from here where they are
// OpenSSL's ("bad decrypt") and are chosen by js/internal/crypto-cipher.js otherwise; the
// messages below are the contract between the two ("invalid key length", "invalid iv",
// "invalid tag length", "unknown cipher", "authentication failed", "invalid state").
struct CipherState {
	EVP_CIPHER_CTX *ctx = nullptr;
	int mode = 0;
	bool encrypt = false;
	bool aead = false;
	int tag_len = 0;
	// CCM must be told the message's length before any data or AAD (RFC 3610 2.2).
	bool ccm_length_set = false;
	// CCM checks the tag in its one update; the failure is reported at final, as Node does.
	bool auth_failed = false;
	bool ccm_updated = false;
	bool finished = false;
	uint8_t tag[kMaxGcmTagBytes] = { 0 };
	v8::Global<v8::Object> owner;

	~CipherState() { EVP_CIPHER_CTX_free(ctx); }
};

static const HandleKind kCipherKind{ "cipher" };

static CipherState *UnwrapCipher(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	CipherState *s = HandleState<CipherState>(info[0], kCipherKind);
	if (!s)
		ThrowError(info.GetIsolate(), "not a cipher handle");
	return s;
}

// The tag lengths an AEAD mode allows: GCM 4, 8 and 12..16 bytes (NIST SP 800-38D 5.2.1.2),
// CCM even lengths 4..16 (RFC 3610 2), OCB 1..16 (RFC 7253 3.1 allows up to the block),
// ChaCha20-Poly1305 1..16 (Node truncates Poly1305's 16-byte tag).
static bool TagLengthValid(int mode, bool chacha, int len)
{
	if (len < 1 || len > kMaxGcmTagBytes)
		return false;
	if (chacha || mode == EVP_CIPH_OCB_MODE)
		return true;
	if (mode == EVP_CIPH_CCM_MODE)
		return len >= 4 && len % 2 == 0;
	return len == 4 || len == 8 || len >= 12;
}

// GCM's default tag is the whole block; CCM and OCB have none (Node requires authTagLength).
static const int kDefaultTagBytes = 16;

static void CipherNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string name = ArgString(info, 0);
	bool encrypt = info[1]->IsTrue();
	Bytes key, iv;
	if (!ArgBytes(info, 2, &key, "cipherNew"))
		return;
	bool has_iv = !info[3]->IsNullOrUndefined();
	if (has_iv && !ArgBytes(info, 3, &iv, "cipherNew"))
		return;
	int tag_len = info[4]->IsInt32() ? info[4].As<v8::Int32>()->Value() : -1;
	const EVP_CIPHER *c = EVP_get_cipherbyname(name.c_str());
	if (!c)
		return ThrowError(isolate, "unknown cipher");
	int mode = EVP_CIPHER_get_mode(c);
	bool aead = (EVP_CIPHER_get_flags(c) & EVP_CIPH_FLAG_AEAD_CIPHER) != 0;
	bool chacha = aead && mode == EVP_CIPH_STREAM_CIPHER;
	bool variable_key = (EVP_CIPHER_get_flags(c) & EVP_CIPH_VARIABLE_LENGTH) != 0;
	if (!variable_key && (size_t)EVP_CIPHER_get_key_length(c) != key.len)
		return ThrowError(isolate, "invalid key length");
	int want_iv = EVP_CIPHER_get_iv_length(c);
	// An AEAD mode takes a nonce of other lengths (set below, where OpenSSL checks it);
	// everything else takes exactly its IV, and ECB none (null or empty).
	if (aead ? (!has_iv || iv.len == 0) : (has_iv ? (size_t)want_iv != iv.len : want_iv != 0))
		return ThrowError(isolate, "invalid iv");
	if (aead) {
		if (tag_len < 0 && (mode == EVP_CIPH_CCM_MODE || mode == EVP_CIPH_OCB_MODE))
			return ThrowError(isolate, "tag length required");
		if (tag_len < 0)
			tag_len = kDefaultTagBytes;
		if (!TagLengthValid(mode, chacha, tag_len))
			return ThrowError(isolate, "invalid tag length");
	}
	CipherState *s = new CipherState();
	s->mode = mode;
	s->encrypt = encrypt;
	s->aead = aead;
	s->tag_len = aead ? tag_len : 0;
	s->ctx = EVP_CIPHER_CTX_new();
	bool ok = s->ctx && EVP_CipherInit_ex(s->ctx, c, nullptr, nullptr, nullptr, encrypt) == 1;
	if (ok && variable_key)
		ok = EVP_CIPHER_CTX_set_key_length(s->ctx, (int)key.len) == 1;
	if (ok && aead && EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)iv.len, nullptr) != 1) {
		delete s;
		ERR_clear_error();
		return ThrowError(isolate, "invalid iv");
	}
	// CCM and OCB fix the tag's length before the key (OpenSSL's EVP_EncryptInit(3), AEAD).
	if (ok && (mode == EVP_CIPH_CCM_MODE || mode == EVP_CIPH_OCB_MODE))
		ok = EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_SET_TAG, tag_len, nullptr) == 1;
	ok = ok && EVP_CipherInit_ex(s->ctx, nullptr, nullptr, key.data, has_iv ? iv.data : nullptr, encrypt) == 1;
	if (!ok) {
		delete s;
		return ThrowOpenSsl(isolate, "createCipheriv");
	}
	v8::Local<v8::Object> o;
	if (NewHandle(isolate, kCipherKind, s).ToLocal(&o))
		info.GetReturnValue().Set(o);
}

static bool SetCcmLength(CipherState *s, size_t len)
{
	int n = 0;
	if (s->mode != EVP_CIPH_CCM_MODE || s->ccm_length_set)
		return true;
	s->ccm_length_set = true;
	return EVP_CipherUpdate(s->ctx, nullptr, &n, nullptr, (int)len) == 1;
}

static void CipherUpdate(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	CipherState *s = UnwrapCipher(info);
	Bytes data;
	if (!s || !ArgBytes(info, 1, &data, "update"))
		return;
	if (s->finished)
		return ThrowError(isolate, "invalid state");
	if (data.len > (size_t)INT32_MAX - EVP_MAX_BLOCK_LENGTH)
		return ThrowError(isolate, "update: data too large");
	if (!SetCcmLength(s, data.len))
		return ThrowOpenSsl(isolate, "update");
	size_t cap = data.len + (size_t)EVP_CIPHER_CTX_get_block_size(s->ctx);
	std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(isolate, cap);
	int n = 0;
	s->ccm_updated = true;
	if (EVP_CipherUpdate(s->ctx, static_cast<uint8_t *>(store->Data()), &n, data.data, (int)data.len) != 1) {
		if (s->mode == EVP_CIPH_CCM_MODE && !s->encrypt) {
			// The tag did not match: no plaintext is given out, final reports it.
			ERR_clear_error();
			s->auth_failed = true;
			n = 0;
		} else {
			return ThrowOpenSsl(isolate, "update");
		}
	}
	if ((size_t)n == cap) {
		info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
		return;
	}
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, static_cast<const uint8_t *>(store->Data()), (size_t)n));
}

static void CipherFinal(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	CipherState *s = UnwrapCipher(info);
	if (!s)
		return;
	if (s->finished)
		return ThrowError(isolate, "invalid state");
	s->finished = true;
	uint8_t block[EVP_MAX_BLOCK_LENGTH];
	int n = 0;
	bool ok;
	if (s->mode == EVP_CIPH_CCM_MODE) {
		// CCM does all its work in its one update; an empty message still has a tag, so
		// one without an update gets an empty one here.
		ok = true;
		if (!s->ccm_updated) {
			ok = SetCcmLength(s, 0);
			if (ok && EVP_CipherUpdate(s->ctx, block, &n, block, 0) != 1) {
				ok = s->encrypt;
				s->auth_failed = !s->encrypt;
			}
			n = 0;
		}
		ok = ok && !s->auth_failed;
		if (ok && s->encrypt)
			ok = EVP_CipherFinal_ex(s->ctx, block, &n) == 1;
	} else {
		ok = EVP_CipherFinal_ex(s->ctx, block, &n) == 1;
	}
	if (!ok && s->aead && !s->encrypt) {
		ERR_clear_error();
		return ThrowError(isolate, "authentication failed");
	}
	if (ok && s->aead && s->encrypt)
		ok = EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_GET_TAG, s->tag_len, s->tag) == 1;
	if (!ok)
		return ThrowOpenSsl(isolate, "final");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, block, (size_t)n));
}

static void CipherSetAAD(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	CipherState *s = UnwrapCipher(info);
	Bytes aad;
	if (!s || !ArgBytes(info, 1, &aad, "setAAD"))
		return;
	if (!s->aead || s->finished)
		return ThrowError(isolate, "invalid state");
	if (s->mode == EVP_CIPH_CCM_MODE) {
		if (!info[2]->IsInt32() || info[2].As<v8::Int32>()->Value() < 0)
			return ThrowError(isolate, "plaintext length required");
		if (!SetCcmLength(s, (size_t)info[2].As<v8::Int32>()->Value()))
			return ThrowOpenSsl(isolate, "setAAD");
	}
	int n = 0;
	if (EVP_CipherUpdate(s->ctx, nullptr, &n, aad.data, (int)aad.len) != 1)
		return ThrowOpenSsl(isolate, "setAAD");
}

static void CipherSetTag(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	CipherState *s = UnwrapCipher(info);
	Bytes tag;
	if (!s || !ArgBytes(info, 1, &tag, "setAuthTag"))
		return;
	if (!s->aead || s->encrypt || s->finished)
		return ThrowError(isolate, "invalid state");
	bool chacha = s->mode == EVP_CIPH_STREAM_CIPHER;
	if (!TagLengthValid(s->mode, chacha, (int)tag.len) ||
	    ((s->mode == EVP_CIPH_CCM_MODE || s->mode == EVP_CIPH_OCB_MODE) && (int)tag.len != s->tag_len))
		return ThrowError(isolate, "invalid tag length");
	s->tag_len = (int)tag.len;
	memcpy(s->tag, tag.data, tag.len);
	if (EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_SET_TAG, (int)tag.len, s->tag) != 1)
		return ThrowOpenSsl(isolate, "setAuthTag");
}

static void CipherGetTag(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	CipherState *s = UnwrapCipher(info);
	if (!s)
		return;
	if (!s->aead || !s->encrypt || !s->finished)
		return ThrowError(isolate, "invalid state");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, s->tag, (size_t)s->tag_len));
}

static void CipherSetPadding(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	CipherState *s = UnwrapCipher(info);
	if (!s)
		return;
	if (s->finished)
		return ThrowError(info.GetIsolate(), "invalid state");
	EVP_CIPHER_CTX_set_padding(s->ctx, info[1]->IsTrue() ? 1 : 0);
}

// cipherInfo(name | nid) -> { nid, name, blockSize, ivLength, keyLength, mode, variableKey }
// or undefined for a cipher OpenSSL does not have. `name` is OpenSSL's short name and `mode`
// Node's word for EVP_CIPHER_get_mode's value.
static const char *ModeName(int mode)
{
	switch (mode) {
	case EVP_CIPH_ECB_MODE: return "ecb";
	case EVP_CIPH_CBC_MODE: return "cbc";
	case EVP_CIPH_CFB_MODE: return "cfb";
	case EVP_CIPH_OFB_MODE: return "ofb";
	case EVP_CIPH_CTR_MODE: return "ctr";
	case EVP_CIPH_GCM_MODE: return "gcm";
	case EVP_CIPH_CCM_MODE: return "ccm";
	case EVP_CIPH_XTS_MODE: return "xts";
	case EVP_CIPH_WRAP_MODE: return "wrap";
	case EVP_CIPH_OCB_MODE: return "ocb";
	case EVP_CIPH_SIV_MODE: return "siv";
	default: return "stream";
	}
}

static void CipherInfo(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	const EVP_CIPHER *c = info[0]->IsInt32() ? EVP_get_cipherbynid(info[0].As<v8::Int32>()->Value())
						 : EVP_get_cipherbyname(ArgString(info, 0).c_str());
	if (!c)
		return;
	int nid = EVP_CIPHER_get_nid(c);
	const char *sn = OBJ_nid2sn(nid);
	v8::Local<v8::Object> o = v8::Object::New(isolate);
	auto set = [&](const char *key, v8::Local<v8::Value> v) {
		o->Set(ctx, v8::String::NewFromUtf8(isolate, key).ToLocalChecked(), v).Check();
	};
	set("nid", v8::Integer::New(isolate, nid));
	set("name", v8::String::NewFromUtf8(isolate, sn ? sn : "").ToLocalChecked());
	set("blockSize", v8::Integer::New(isolate, EVP_CIPHER_get_block_size(c)));
	set("ivLength", v8::Integer::New(isolate, EVP_CIPHER_get_iv_length(c)));
	set("keyLength", v8::Integer::New(isolate, EVP_CIPHER_get_key_length(c)));
	set("mode", v8::String::NewFromUtf8(isolate, ModeName(EVP_CIPHER_get_mode(c))).ToLocalChecked());
	set("variableKey", v8::Boolean::New(isolate, (EVP_CIPHER_get_flags(c) & EVP_CIPH_VARIABLE_LENGTH) != 0));
	info.GetReturnValue().Set(o);
}

// Only ciphers a provider implements: OpenSSL 3 still names the legacy ones (DES, Blowfish)
// that its default provider cannot fetch, and Node's list leaves them out too.
static void CollectCipher(const OBJ_NAME *name, void *arg)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(nullptr, name->name, nullptr);
	if (c)
		static_cast<std::vector<std::string> *>(arg)->push_back(name->name);
	EVP_CIPHER_free(c);
	ERR_clear_error();
}

// Every cipher name OpenSSL can use (aliases included).
static void Ciphers(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::vector<std::string> names;
	OBJ_NAME_do_all_sorted(OBJ_NAME_TYPE_CIPHER_METH, CollectCipher, &names);
	v8::Local<v8::Array> out = v8::Array::New(isolate, (int)names.size());
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	for (size_t i = 0; i < names.size(); i++)
		out->Set(ctx, (uint32_t)i, v8::String::NewFromUtf8(isolate, names[i].c_str()).ToLocalChecked()).Check();
	info.GetReturnValue().Set(out);
}

static void TimingSafeEqual(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Bytes a, b;
	if (!ArgBytes(info, 0, &a, "timingSafeEqual") || !ArgBytes(info, 1, &b, "timingSafeEqual"))
		return;
	if (a.len != b.len)
		return ThrowError(info.GetIsolate(), "timingSafeEqual: lengths differ");
	info.GetReturnValue().Set(CRYPTO_memcmp(a.data, b.data, a.len) == 0);
}

void AddCryptoBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "randomFill", RandomFill);
	SetMethod(ctx, b, "digest", Digest);
	SetMethod(ctx, b, "hashNew", HashNew);
	SetMethod(ctx, b, "hmacNew", HmacNew);
	SetMethod(ctx, b, "hashCopy", HashCopy);
	SetMethod(ctx, b, "hashUpdate", HashUpdate);
	SetMethod(ctx, b, "hashFinal", HashFinal);
	SetMethod(ctx, b, "pbkdf2", Pbkdf2);
	SetMethod(ctx, b, "hkdf", Hkdf);
	SetMethod(ctx, b, "scrypt", Scrypt);
	SetMethod(ctx, b, "cipher", Cipher);
	SetMethod(ctx, b, "timingSafeEqual", TimingSafeEqual);
	SetMethod(ctx, b, "cipherNew", CipherNew);
	SetMethod(ctx, b, "cipherUpdate", CipherUpdate);
	SetMethod(ctx, b, "cipherFinal", CipherFinal);
	SetMethod(ctx, b, "cipherSetAAD", CipherSetAAD);
	SetMethod(ctx, b, "cipherSetTag", CipherSetTag);
	SetMethod(ctx, b, "cipherGetTag", CipherGetTag);
	SetMethod(ctx, b, "cipherSetPadding", CipherSetPadding);
	SetMethod(ctx, b, "ciphers", Ciphers);
	SetMethod(ctx, b, "cipherInfo", CipherInfo);
}

}  // namespace rtjs
