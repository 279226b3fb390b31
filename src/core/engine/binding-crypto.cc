// The crypto half of 'rtjs:binding': OpenSSL 3's libcrypto (the one in the runtime's
// library closure) does every cryptographic computation; js/internal/crypto*.js and
// js/node/crypto.js only check arguments and shape results. Randomness is OpenSSL's DRBG,
// seeded by getrandom(2): the host's hosted, RDRAND/RDSEED in the kernel.
//
//   randomFill(view)                                 fills the view's bytes
//   digest(alg, data) -> ArrayBuffer                 one-shot hash
//   hashNew(alg) / hmacNew(alg, key) -> handle       streaming: update(h, data), final(h)
//   hashUpdate(h, data), hashFinal(h) -> ArrayBuffer
//   pbkdf2(alg, password, salt, iterations, length) -> ArrayBuffer
//   hkdf(alg, ikm, salt, info, length) -> ArrayBuffer
//   scrypt(password, salt, N, r, p, maxmem, length) -> ArrayBuffer
//   cipher(name, encrypt, key, iv, data, aad, tagLength) -> ArrayBuffer (AEAD: tag appended)
//   timingSafeEqual(a, b) -> bool (equal lengths checked by the caller)
// Algorithm names are OpenSSL's ("SHA256", "AES-128-GCM"). Failures throw an Error whose
// message names the operation and OpenSSL's reason.
#include "binding-crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>

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
	v8::Global<v8::Object> owner;

	~HashState()
	{
		EVP_MD_CTX_free(md);
		EVP_MAC_CTX_free(mac);
	}
};

static void FreeHashState(const v8::WeakCallbackInfo<HashState> &data)
{
	HashState *s = data.GetParameter();
	s->owner.Reset();
	delete s;
}

static v8::Local<v8::Object> WrapHash(v8::Isolate *isolate, HashState *s)
{
	v8::Local<v8::ObjectTemplate> t = v8::ObjectTemplate::New(isolate);
	t->SetInternalFieldCount(1);
	v8::Local<v8::Object> o = t->NewInstance(isolate->GetCurrentContext()).ToLocalChecked();
	o->SetAlignedPointerInInternalField(0, s);
	s->owner.Reset(isolate, o);
	s->owner.SetWeak(s, FreeHashState, v8::WeakCallbackType::kParameter);
	return o;
}

static HashState *UnwrapHash(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsObject() || info[0].As<v8::Object>()->InternalFieldCount() != 1) {
		ThrowError(info.GetIsolate(), "not a hash handle");
		return nullptr;
	}
	HashState *s = static_cast<HashState *>(
		info[0].As<v8::Object>()->GetAlignedPointerFromInternalField(0));
	if (!s)
		ThrowError(info.GetIsolate(), "Digest already called");
	return s;
}

static void HashNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	const EVP_MD *md = Md(isolate, ArgString(info, 0));
	if (!md)
		return;
	HashState *s = new HashState();
	s->md = EVP_MD_CTX_new();
	if (!s->md || EVP_DigestInit_ex(s->md, md, nullptr) != 1) {
		delete s;
		return ThrowOpenSsl(isolate, "createHash");
	}
	info.GetReturnValue().Set(WrapHash(isolate, s));
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
	info.GetReturnValue().Set(WrapHash(isolate, s));
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
	v8::Local<v8::ArrayBuffer> out;
	bool ok = NewBuffer(isolate, len, [&](uint8_t *p) {
		if (s->md) {
			unsigned n = 0;
			return EVP_DigestFinal_ex(s->md, p, &n) == 1;
		}
		size_t n = 0;
		return EVP_MAC_final(s->mac, p, &n, len) == 1;
	}, &out);
	info[0].As<v8::Object>()->SetAlignedPointerInInternalField(0, nullptr);
	s->owner.ClearWeak();
	s->owner.Reset();
	delete s;
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
	v8::Local<v8::ArrayBuffer> result;
	NewBuffer(isolate, (size_t)total, [&](uint8_t *p) {
		memcpy(p, out, (size_t)total);
		return true;
	}, &result);
	info.GetReturnValue().Set(result);
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
	SetMethod(ctx, b, "hashUpdate", HashUpdate);
	SetMethod(ctx, b, "hashFinal", HashFinal);
	SetMethod(ctx, b, "pbkdf2", Pbkdf2);
	SetMethod(ctx, b, "hkdf", Hkdf);
	SetMethod(ctx, b, "scrypt", Scrypt);
	SetMethod(ctx, b, "cipher", Cipher);
	SetMethod(ctx, b, "timingSafeEqual", TimingSafeEqual);
}

}  // namespace rtjs
