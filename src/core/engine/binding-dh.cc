// Finite-field Diffie-Hellman for node:crypto's DiffieHellman objects (createDiffieHellman,
// getDiffieHellman), on OpenSSL's DH. Stateless: the group (prime, generator) and the keys
// are big-endian byte strings held by the JavaScript object, and each call builds the DH
// from them. Node's DiffieHellman is built on OpenSSL's DH object, and its observable
// behaviour comes from there: DH_set0_pqg recognises an RFC 3526/7919 prime and takes the
// group's subgroup order and shorter private-key length (224 bits for modp14), DH_check
// gives verifyError's bits. EVP_PKEY has no equivalent of either, so this file uses the DH
// API, which OpenSSL 3 marks deprecated but keeps.
//
//   dhGroup(name) -> [prime, generator] | undefined     RFC 2409 / RFC 3526 'modp1' ... 'modp18'
//   dhGeneratePrime(bits, generator) -> prime            a safe prime suiting the generator
//   dhCheck(prime, generator) -> DH_check's flags
//   dhGenerateKeys(prime, generator, private|undefined) -> [public, private]
//   dhCheckPublic(prime, generator, public) -> DH_check_pub_key's flags
//   dhComputeSecret(prime, generator, private, peerPublic) -> secret, as long as the prime
#define OPENSSL_SUPPRESS_DEPRECATED

#include "binding-crypto.h"

#include <openssl/bn.h>
#include <openssl/dh.h>
#include <openssl/err.h>

#include <memory>
#include <string>
#include <vector>

namespace rtjs {

struct DhFree {
	void operator()(DH *dh) const { DH_free(dh); }
};
using DhPtr = std::unique_ptr<DH, DhFree>;

static BIGNUM *BnOf(const Bytes &b) { return BN_bin2bn(b.data, (int)b.len, nullptr); }

static v8::Local<v8::ArrayBuffer> BnBytes(v8::Isolate *isolate, const BIGNUM *bn)
{
	std::vector<uint8_t> out((size_t)BN_num_bytes(bn));
	BN_bn2bin(bn, out.data());
	return CopyToArrayBuffer(isolate, out.data(), out.size());
}

// The prime and generator of info[0], info[1] as a DH, or nullptr with an exception thrown.
static DhPtr DhOf(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Bytes p, g;
	if (!GetBytes(info[0], &p) || !GetBytes(info[1], &g)) {
		ThrowError(info.GetIsolate(), "DiffieHellman: the prime and the generator must be bytes");
		return nullptr;
	}
	DhPtr dh(DH_new());
	BIGNUM *bp = BnOf(p), *bg = BnOf(g);
	if (!dh || !bp || !bg || DH_set0_pqg(dh.get(), bp, nullptr, bg) != 1) {
		BN_free(bp);
		BN_free(bg);
		ThrowOpenSsl(info.GetIsolate(), "DiffieHellman");
		return nullptr;
	}
	return dh;
}

// The groups node:crypto names (RFC 2409 section 6, RFC 3526 sections 2-7); all use 2.
struct Group {
	const char *name;
	BIGNUM *(*prime)(BIGNUM *);
};
static const Group kGroups[] = {
	{ "modp1", BN_get_rfc2409_prime_768 },   { "modp2", BN_get_rfc2409_prime_1024 },
	{ "modp5", BN_get_rfc3526_prime_1536 },  { "modp14", BN_get_rfc3526_prime_2048 },
	{ "modp15", BN_get_rfc3526_prime_3072 }, { "modp16", BN_get_rfc3526_prime_4096 },
	{ "modp17", BN_get_rfc3526_prime_6144 }, { "modp18", BN_get_rfc3526_prime_8192 },
};
static const uint8_t kGroupGenerator = 2;

static void DhGroup(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string name = *v8::String::Utf8Value(isolate, info[0]);
	for (const Group &g : kGroups) {
		if (name != g.name)
			continue;
		BIGNUM *p = g.prime(nullptr);
		if (!p)
			return ThrowOpenSsl(isolate, "DiffieHellmanGroup");
		v8::Local<v8::Value> pair[] = { BnBytes(isolate, p), CopyToArrayBuffer(isolate, &kGroupGenerator, 1) };
		BN_free(p);
		info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
		return;
	}
}

static void DhGeneratePrime(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!info[0]->IsInt32() || !info[1]->IsInt32())
		return ThrowError(isolate, "DiffieHellman: the prime's length and the generator must be integers");
	DhPtr dh(DH_new());
	if (!dh || DH_generate_parameters_ex(dh.get(), info[0].As<v8::Int32>()->Value(),
					      info[1].As<v8::Int32>()->Value(), nullptr) != 1)
		return ThrowOpenSsl(isolate, "DiffieHellman");
	info.GetReturnValue().Set(BnBytes(isolate, DH_get0_p(dh.get())));
}

static void DhCheck(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	DhPtr dh = DhOf(info);
	if (!dh)
		return;
	int flags = 0;
	if (DH_check(dh.get(), &flags) != 1)
		ERR_clear_error();   // the flags still say what is wrong
	info.GetReturnValue().Set(flags);
}

static void DhGenerateKeys(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	DhPtr dh = DhOf(info);
	if (!dh)
		return;
	Bytes priv;
	// A private key already set is kept and its public key computed from it (DH_generate_key).
	if (GetBytes(info[2], &priv)) {
		BIGNUM *bn = BnOf(priv);
		if (!bn || DH_set0_key(dh.get(), nullptr, bn) != 1) {
			BN_free(bn);
			return ThrowOpenSsl(isolate, "DiffieHellman.generateKeys");
		}
	}
	if (DH_generate_key(dh.get()) != 1)
		return ThrowOpenSsl(isolate, "DiffieHellman.generateKeys");
	v8::Local<v8::Value> pair[] = { BnBytes(isolate, DH_get0_pub_key(dh.get())),
					BnBytes(isolate, DH_get0_priv_key(dh.get())) };
	info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
}

static void DhCheckPublic(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	DhPtr dh = DhOf(info);
	Bytes pub;
	if (!dh)
		return;
	if (!GetBytes(info[2], &pub))
		return ThrowError(info.GetIsolate(), "DiffieHellman: the public key must be bytes");
	BIGNUM *bn = BnOf(pub);
	int flags = 0;
	if (!bn || DH_check_pub_key(dh.get(), bn, &flags) != 1)
		ERR_clear_error();
	BN_free(bn);
	info.GetReturnValue().Set(flags);
}

static void DhComputeSecret(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	DhPtr dh = DhOf(info);
	Bytes priv, pub;
	if (!dh)
		return;
	if (!GetBytes(info[2], &priv) || !GetBytes(info[3], &pub))
		return ThrowError(isolate, "DiffieHellman.computeSecret: the keys must be bytes");
	BIGNUM *bpriv = BnOf(priv), *bpub = BnOf(pub);
	if (!bpriv || !bpub || DH_set0_key(dh.get(), nullptr, bpriv) != 1) {
		BN_free(bpriv);
		BN_free(bpub);
		return ThrowOpenSsl(isolate, "DiffieHellman.computeSecret");
	}
	// DH_compute_key_padded: left-padded with zeros to the prime's size, as Node returns it.
	std::vector<uint8_t> out((size_t)DH_size(dh.get()));
	int n = DH_compute_key_padded(out.data(), bpub, dh.get());
	BN_free(bpub);
	if (n < 0)
		return ThrowOpenSsl(isolate, "DiffieHellman.computeSecret");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out.data(), (size_t)n));
}

void AddDhBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "dhGroup", DhGroup);
	SetMethod(ctx, b, "dhGeneratePrime", DhGeneratePrime);
	SetMethod(ctx, b, "dhCheck", DhCheck);
	SetMethod(ctx, b, "dhGenerateKeys", DhGenerateKeys);
	SetMethod(ctx, b, "dhCheckPublic", DhCheckPublic);
	SetMethod(ctx, b, "dhComputeSecret", DhComputeSecret);
}

}  // namespace rtjs
