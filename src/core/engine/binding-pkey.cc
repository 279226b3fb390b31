// Asymmetric keys for 'rtjs:binding', on OpenSSL 3's EVP_PKEY: generation, import and export
// (DER/PEM through OpenSSL's encoders and decoders, raw points and JWK components), signing,
// key agreement and RSA encryption. A key is a handle object whose material stays in
// OpenSSL's memory: JavaScript reaches it only through keyExport, which js/internal/crypto.js
// and js/node/crypto.js call only where the API allows an export.
//
//   keyGenerate(type, options) -> handle            type: 'RSA', 'EC', 'ED25519', 'X25519', ...
//   keyDecode(data, input, structure, private, passphrase) -> handle
//                                                   input 'DER'|'PEM', structure OpenSSL's name
//   keyFromRaw(type, curve, bytes, private) -> handle      EC points, Edwards/Montgomery keys
//   keyFromComponents(type, curve, record) -> handle       JWK numbers as big-endian bytes
//   keyEncode(h, output, structure, private, cipher, passphrase) -> ArrayBuffer|string
//   keyRaw(h, private, compressed) -> ArrayBuffer
//   keyComponents(h, private) -> record of big-endian ArrayBuffers
//   keyInfo(h) -> { type, private, bits, curve, publicExponent }
//   keyPublic(h) -> handle of the public half
//   pkeySign(h, digest, data, options) / pkeyVerify(h, digest, data, signature, options)
//   pkeyDerive(private, public) -> ArrayBuffer
//   pkeyCrypt(h, op, data, options) -> ArrayBuffer  op 'encrypt'|'decrypt'|'sign'|'recover'
//   ecPointConvert(curve, point, compressed) -> ArrayBuffer
#include "binding-crypto.h"
#include "handles.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace rtjs {

static const HandleKind kKeyKind{ "key" };

struct KeyState {
	EVP_PKEY *pkey = nullptr;
	bool is_private = false;
	v8::Global<v8::Object> owner;
	~KeyState() { EVP_PKEY_free(pkey); }
};

// Takes ownership of pkey.
static v8::Local<v8::Value> WrapKey(v8::Isolate *isolate, EVP_PKEY *pkey, bool is_private)
{
	KeyState *k = new KeyState();
	k->pkey = pkey;
	k->is_private = is_private;
	v8::Local<v8::Object> o;
	if (!NewHandle(isolate, kKeyKind, k).ToLocal(&o))
		return v8::Undefined(isolate);
	return o;
}

static KeyState *UnwrapKey(const v8::FunctionCallbackInfo<v8::Value> &info, int i)
{
	if (KeyState *k = HandleState<KeyState>(info[i], kKeyKind))
		return k;
	ThrowTypeError(info.GetIsolate(), "binding: argument " + std::to_string(i + 1) + " must be a key handle");
	return nullptr;
}

static bool ArgBytes(const v8::FunctionCallbackInfo<v8::Value> &info, int i, Bytes *out)
{
	if (GetBytes(info[i], out))
		return true;
	ThrowTypeError(info.GetIsolate(), "binding: argument " + std::to_string(i + 1) +
						  " must be an ArrayBuffer or a view");
	return false;
}

// An own property of an options record (the JavaScript side builds these records itself).
static v8::Local<v8::Value> Opt(v8::Isolate *isolate, v8::Local<v8::Value> options, const char *key)
{
	if (!options->IsObject())
		return v8::Undefined(isolate);
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> o = options.As<v8::Object>();
	v8::Local<v8::String> k = Str(isolate, key);
	v8::Local<v8::Value> v;
	if (!o->HasOwnProperty(ctx, k).FromMaybe(false) || !o->Get(ctx, k).ToLocal(&v))
		return v8::Undefined(isolate);
	return v;
}

static int OptInt(v8::Isolate *isolate, v8::Local<v8::Value> options, const char *key, int dflt)
{
	v8::Local<v8::Value> v = Opt(isolate, options, key);
	return v->IsInt32() ? v.As<v8::Int32>()->Value() : dflt;
}

static std::string OptString(v8::Isolate *isolate, v8::Local<v8::Value> options, const char *key)
{
	v8::Local<v8::Value> v = Opt(isolate, options, key);
	return v->IsString() ? ToStd(isolate, v) : std::string();
}

// ---- generation ---------------------------------------------------------------------------

static void KeyGenerate(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string type = ToStd(isolate, info[0]);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, type.c_str(), nullptr);
	EVP_PKEY *pkey = nullptr;
	bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1;
	if (ok && (type == "RSA" || type == "RSA-PSS")) {
		int bits = OptInt(isolate, info[1], "modulusLength", 0);
		Bytes e;
		BIGNUM *exponent = nullptr;
		if (GetBytes(Opt(isolate, info[1], "publicExponent"), &e))
			exponent = BN_bin2bn(e.data, (int)e.len, nullptr);
		ok = EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1 &&
		     (!exponent || EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, exponent) == 1);
		BN_free(exponent);
	} else if (ok && (type == "EC")) {
		std::string curve = OptString(isolate, info[1], "curve");
		ok = EVP_PKEY_CTX_set_group_name(ctx, curve.c_str()) == 1;
	} else if (ok && (type == "DH")) {
		std::string group = OptString(isolate, info[1], "group");
		ok = EVP_PKEY_CTX_set_group_name(ctx, group.c_str()) == 1;
	}
	ok = ok && EVP_PKEY_keygen(ctx, &pkey) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return ThrowOpenSsl(isolate, "generateKey(" + type + ")");
	info.GetReturnValue().Set(WrapKey(isolate, pkey, true));
}

// ---- decoding and encoding ----------------------------------------------------------------

static bool HasPrivate(EVP_PKEY *pkey)
{
	BIGNUM *bn = nullptr;
	size_t len = 0;
	bool has;
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		has = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &bn) == 1;
		break;
	case EVP_PKEY_EC:
	case EVP_PKEY_DH:
	case EVP_PKEY_DSA:
		has = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1;
		break;
	default:
		has = EVP_PKEY_get_raw_private_key(pkey, nullptr, &len) == 1;
	}
	BN_clear_free(bn);
	ERR_clear_error();
	return has;
}

// keyDecode(data, input, structure, private, passphrase): input "DER" or "PEM"; structure
// "SubjectPublicKeyInfo", "PrivateKeyInfo", "EncryptedPrivateKeyInfo", "type-specific"
// (PKCS#1, SEC1) or "" for whatever OpenSSL recognises; type "" or a key type to insist on.
static void KeyDecode(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	Bytes data;
	if (!ArgBytes(info, 0, &data))
		return;
	std::string input = ToStd(isolate, info[1]);
	std::string structure = ToStd(isolate, info[2]);
	bool is_private = info[3]->IsTrue();
	std::string type = info[5]->IsString() ? ToStd(isolate, info[5]) : std::string();
	EVP_PKEY *pkey = nullptr;
	int selection = is_private ? OSSL_KEYMGMT_SELECT_KEYPAIR | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS
				   : OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
	OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
		&pkey, input.c_str(), structure.empty() ? nullptr : structure.c_str(),
		type.empty() ? nullptr : type.c_str(), selection, nullptr, nullptr);
	bool ok = dctx != nullptr;
	Bytes pass;
	if (ok && GetBytes(info[4], &pass))
		ok = OSSL_DECODER_CTX_set_passphrase(dctx, pass.data, pass.len) == 1;
	const unsigned char *p = data.data;
	size_t left = data.len;
	ok = ok && OSSL_DECODER_from_data(dctx, &p, &left) == 1 && pkey;
	OSSL_DECODER_CTX_free(dctx);
	// A private decode that found only a public key (a PEM of the wrong kind) is refused.
	if (ok && is_private && !HasPrivate(pkey))
		ok = false;
	if (!ok) {
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return ThrowError(isolate, std::string("the data is not a valid ") +
						   (is_private ? "private" : "public") + " key in the format given");
	}
	info.GetReturnValue().Set(WrapKey(isolate, pkey, is_private));
}

// keyEncode(h, output, structure, private, cipher, passphrase): "DER" gives an ArrayBuffer,
// "PEM" a string.
static void KeyEncode(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	if (!k)
		return;
	std::string output = ToStd(isolate, info[1]);
	std::string structure = ToStd(isolate, info[2]);
	bool is_private = info[3]->IsTrue();
	if (is_private && !k->is_private)
		return ThrowError(isolate, "a public key has no private part to export");
	int selection = is_private ? OSSL_KEYMGMT_SELECT_KEYPAIR | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS
				   : OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
	OSSL_ENCODER_CTX *ectx = OSSL_ENCODER_CTX_new_for_pkey(k->pkey, selection, output.c_str(),
							       structure.c_str(), nullptr);
	bool ok = ectx && OSSL_ENCODER_CTX_get_num_encoders(ectx) > 0;
	if (ok && info[4]->IsString()) {
		std::string cipher = ToStd(isolate, info[4]);
		Bytes pass;
		ok = GetBytes(info[5], &pass) &&
		     OSSL_ENCODER_CTX_set_cipher(ectx, cipher.c_str(), nullptr) == 1 &&
		     OSSL_ENCODER_CTX_set_passphrase(ectx, pass.data, pass.len) == 1;
	}
	unsigned char *out = nullptr;
	size_t len = 0;
	ok = ok && OSSL_ENCODER_to_data(ectx, &out, &len) == 1;
	OSSL_ENCODER_CTX_free(ectx);
	if (!ok) {
		OPENSSL_free(out);
		return ThrowOpenSsl(isolate, "cannot export the key as " + output + " " + structure);
	}
	if (output == "PEM")
		info.GetReturnValue().Set(Str(isolate, std::string(reinterpret_cast<char *>(out), len)));
	else
		info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out, len));
	OPENSSL_free(out);
}

// ---- raw keys and points ------------------------------------------------------------------

static bool IsEc(EVP_PKEY *pkey) { return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC; }

static int CurveNid(const std::string &curve)
{
	int nid = OBJ_txt2nid(curve.c_str());
	if (nid == NID_undef)
		nid = EC_curve_nist2nid(curve.c_str());
	return nid;
}

// An EC public key from a SEC1 point (compressed or not), checked to be on the curve.
static EVP_PKEY *EcFromPoint(const std::string &curve, const Bytes &point, const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
	EVP_PKEY *pkey = nullptr;
	OSSL_PARAM *params = nullptr;
	bool ok = bld && ctx &&
		  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve.c_str(), 0) == 1 &&
		  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data, point.len) == 1 &&
		  (!priv || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) == 1) &&
		  (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr &&
		  EVP_PKEY_fromdata_init(ctx) == 1 &&
		  EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) == 1;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	if (ok) {
		EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
		ok = check && EVP_PKEY_public_check(check) == 1 && (!priv || EVP_PKEY_pairwise_check(check) == 1);
		EVP_PKEY_CTX_free(check);
	}
	if (!ok) {
		EVP_PKEY_free(pkey);
		return nullptr;
	}
	return pkey;
}

// The public point of an EC private scalar: d·G on the named curve, uncompressed.
static bool EcPublicOf(const std::string &curve, const BIGNUM *priv, std::vector<uint8_t> *out)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(CurveNid(curve));
	EC_POINT *point = group ? EC_POINT_new(group) : nullptr;
	bool ok = point && BN_cmp(priv, EC_GROUP_get0_order(group)) < 0 && !BN_is_zero(priv) &&
		  EC_POINT_mul(group, point, priv, nullptr, nullptr, nullptr) == 1;
	size_t len = ok ? EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, nullptr) : 0;
	if (len) {
		out->resize(len);
		EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, out->data(), len, nullptr);
	}
	EC_POINT_free(point);
	EC_GROUP_free(group);
	return len != 0;
}

// keyFromRaw(type, curve, bytes, private): EC: a SEC1 point, or with private the scalar
// (the public point is computed); Ed25519/X25519/Ed448/X448: the RFC 8032/7748 key bytes.
static void KeyFromRaw(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string type = ToStd(isolate, info[0]);
	std::string curve = ToStd(isolate, info[1]);
	Bytes raw;
	if (!ArgBytes(info, 2, &raw))
		return;
	bool is_private = info[3]->IsTrue();
	EVP_PKEY *pkey = nullptr;
	if (type == "EC" && is_private) {
		BIGNUM *d = BN_bin2bn(raw.data, (int)raw.len, nullptr);
		std::vector<uint8_t> pub;
		if (d && EcPublicOf(curve, d, &pub)) {
			Bytes point = { pub.data(), pub.size() };
			pkey = EcFromPoint(curve, point, d);
		}
		BN_clear_free(d);
	} else if (type == "EC") {
		pkey = EcFromPoint(curve, raw, nullptr);
	} else if (is_private) {
		pkey = EVP_PKEY_new_raw_private_key_ex(nullptr, type.c_str(), nullptr, raw.data, raw.len);
	} else {
		pkey = EVP_PKEY_new_raw_public_key_ex(nullptr, type.c_str(), nullptr, raw.data, raw.len);
	}
	if (!pkey) {
		ERR_clear_error();
		return ThrowError(isolate, "the bytes are not a valid " + std::string(is_private ? "private" : "public") +
						   " " + (type == "EC" ? curve : type) + " key");
	}
	info.GetReturnValue().Set(WrapKey(isolate, pkey, is_private));
}

static void KeyRaw(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	if (!k)
		return;
	bool is_private = info[1]->IsTrue();
	bool compressed = info[2]->IsTrue();
	if (is_private && !k->is_private)
		return ThrowError(isolate, "a public key has no private part to export");
	std::vector<uint8_t> out;
	size_t len = 0;
	bool ok;
	if (IsEc(k->pkey) && is_private) {
		BIGNUM *d = nullptr;
		ok = EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1;
		if (ok) {
			out.resize((size_t)(EVP_PKEY_get_bits(k->pkey) + 7) / 8);
			ok = BN_bn2binpad(d, out.data(), (int)out.size()) >= 0;
		}
		BN_clear_free(d);
	} else if (IsEc(k->pkey)) {
		ok = EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) == 1;
		out.resize(len);
		ok = ok && EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(), len, &len) == 1;
		if (ok && compressed) {
			char group[64];
			EC_GROUP *g = EVP_PKEY_get_utf8_string_param(k->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr) == 1
				? EC_GROUP_new_by_curve_name(CurveNid(group)) : nullptr;
			EC_POINT *pt = g ? EC_POINT_new(g) : nullptr;
			ok = pt && EC_POINT_oct2point(g, pt, out.data(), len, nullptr) == 1;
			len = ok ? EC_POINT_point2oct(g, pt, POINT_CONVERSION_COMPRESSED, nullptr, 0, nullptr) : 0;
			out.resize(len);
			ok = ok && EC_POINT_point2oct(g, pt, POINT_CONVERSION_COMPRESSED, out.data(), len, nullptr) == len;
			EC_POINT_free(pt);
			EC_GROUP_free(g);
		}
	} else if (is_private) {
		ok = EVP_PKEY_get_raw_private_key(k->pkey, nullptr, &len) == 1;
		out.resize(len);
		ok = ok && EVP_PKEY_get_raw_private_key(k->pkey, out.data(), &len) == 1;
	} else {
		ok = EVP_PKEY_get_raw_public_key(k->pkey, nullptr, &len) == 1;
		out.resize(len);
		ok = ok && EVP_PKEY_get_raw_public_key(k->pkey, out.data(), &len) == 1;
	}
	if (!ok)
		return ThrowOpenSsl(isolate, "this key has no raw form");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out.data(), out.size()));
	OPENSSL_cleanse(out.data(), out.size());
}

// ecPointConvert(curve, point, compressed): the same point in the other SEC1 form.
static void EcPointConvert(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string curve = ToStd(isolate, info[0]);
	Bytes in;
	if (!ArgBytes(info, 1, &in))
		return;
	EC_GROUP *g = EC_GROUP_new_by_curve_name(CurveNid(curve));
	EC_POINT *pt = g ? EC_POINT_new(g) : nullptr;
	point_conversion_form_t form = info[2]->IsTrue() ? POINT_CONVERSION_COMPRESSED : POINT_CONVERSION_UNCOMPRESSED;
	bool ok = pt && EC_POINT_oct2point(g, pt, in.data, in.len, nullptr) == 1;
	size_t len = ok ? EC_POINT_point2oct(g, pt, form, nullptr, 0, nullptr) : 0;
	std::vector<uint8_t> out(len);
	ok = ok && len && EC_POINT_point2oct(g, pt, form, out.data(), len, nullptr) == len;
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	if (!ok) {
		ERR_clear_error();
		return ThrowError(isolate, "not a point on " + curve);
	}
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out.data(), out.size()));
}

// ---- JWK components -------------------------------------------------------------------------

struct Component {
	const char *jwk;    // the JWK member (RFC 7518 section 6)
	const char *param;  // OpenSSL's parameter
	bool is_private;
};

// RFC 7518 section 6.3.
static const Component kRsaComponents[] = {
	{ "n", OSSL_PKEY_PARAM_RSA_N, false },
	{ "e", OSSL_PKEY_PARAM_RSA_E, false },
	{ "d", OSSL_PKEY_PARAM_RSA_D, true },
	{ "p", OSSL_PKEY_PARAM_RSA_FACTOR1, true },
	{ "q", OSSL_PKEY_PARAM_RSA_FACTOR2, true },
	{ "dp", OSSL_PKEY_PARAM_RSA_EXPONENT1, true },
	{ "dq", OSSL_PKEY_PARAM_RSA_EXPONENT2, true },
	{ "qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1, true },
};

// keyComponents(h, private): RSA n, e (d, p, q, dp, dq, qi); EC x, y (d), padded to the
// field size as RFC 7518 section 6.2.1 requires.
static void KeyComponents(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	KeyState *k = UnwrapKey(info, 0);
	if (!k)
		return;
	bool is_private = info[1]->IsTrue() && k->is_private;
	v8::Local<v8::Object> rec = NewRecord(isolate);
	auto put = [&](const char *name, const BIGNUM *bn, int pad) {
		std::vector<uint8_t> b(pad > 0 ? (size_t)pad : (size_t)BN_num_bytes(bn));
		BN_bn2binpad(bn, b.data(), (int)b.size());
		bool ok = Put(ctx, rec, name, CopyToArrayBuffer(isolate, b.data(), b.size()));
		OPENSSL_cleanse(b.data(), b.size());
		return ok;
	};
	int base = EVP_PKEY_get_base_id(k->pkey);
	if (base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) {
		for (const Component &c : kRsaComponents) {
			if (c.is_private && !is_private)
				continue;
			BIGNUM *bn = nullptr;
			if (EVP_PKEY_get_bn_param(k->pkey, c.param, &bn) != 1)
				return ThrowOpenSsl(isolate, std::string("the key has no RSA ") + c.jwk);
			bool ok = put(c.jwk, bn, 0);
			BN_clear_free(bn);
			if (!ok)
				return;
		}
	} else if (base == EVP_PKEY_EC) {
		int size = (EVP_PKEY_get_bits(k->pkey) + 7) / 8;
		BIGNUM *x = nullptr, *y = nullptr, *d = nullptr;
		bool ok = EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
			  EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1 &&
			  (!is_private || EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1);
		if (ok)
			ok = put("x", x, size) && put("y", y, size) && (!d || put("d", d, size));
		else
			ThrowOpenSsl(isolate, "the EC key has no coordinates");
		BN_free(x);
		BN_free(y);
		BN_clear_free(d);
		if (!ok)
			return;
	} else {
		return ThrowError(isolate, "the key has no JWK components");
	}
	info.GetReturnValue().Set(rec);
}

// keyFromComponents(type, curve, record): the inverse of keyComponents; a record with d (and
// for RSA the CRT members) makes a private key. The result is checked by OpenSSL.
static void KeyFromComponents(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string type = ToStd(isolate, info[0]);
	std::string curve = ToStd(isolate, info[1]);
	v8::Local<v8::Value> rec = info[2];
	auto bn = [&](const char *name) -> BIGNUM * {
		Bytes b;
		if (!GetBytes(Opt(isolate, rec, name), &b))
			return nullptr;
		return BN_bin2bn(b.data, (int)b.len, nullptr);
	};
	EVP_PKEY *pkey = nullptr;
	bool is_private = false;
	if (type == "EC") {
		Bytes x, y;
		if (!GetBytes(Opt(isolate, rec, "x"), &x) || !GetBytes(Opt(isolate, rec, "y"), &y) || x.len != y.len)
			return ThrowError(isolate, "an EC JWK needs x and y of the same length");
		std::vector<uint8_t> point(1 + x.len + y.len);
		point[0] = POINT_CONVERSION_UNCOMPRESSED;
		memcpy(point.data() + 1, x.data, x.len);
		memcpy(point.data() + 1 + x.len, y.data, y.len);
		BIGNUM *d = bn("d");
		is_private = d != nullptr;
		Bytes p = { point.data(), point.size() };
		pkey = EcFromPoint(curve, p, d);
		BN_clear_free(d);
	} else {
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		std::vector<BIGNUM *> nums;
		bool ok = bld != nullptr;
		for (const Component &c : kRsaComponents) {
			BIGNUM *v = bn(c.jwk);
			if (!v) {
				if (!c.is_private)
					ok = false;
				continue;
			}
			nums.push_back(v);
			is_private |= c.is_private;
			ok = ok && OSSL_PARAM_BLD_push_BN(bld, c.param, v) == 1;
		}
		OSSL_PARAM *params = ok ? OSSL_PARAM_BLD_to_param(bld) : nullptr;
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
		ok = params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
		     EVP_PKEY_fromdata(ctx, &pkey, is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) == 1;
		EVP_PKEY_CTX_free(ctx);
		if (ok && is_private) {
			EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
			ok = check && EVP_PKEY_pairwise_check(check) == 1;
			EVP_PKEY_CTX_free(check);
		}
		if (!ok) {
			EVP_PKEY_free(pkey);
			pkey = nullptr;
		}
		OSSL_PARAM_free(params);
		OSSL_PARAM_BLD_free(bld);
		for (BIGNUM *v : nums)
			BN_clear_free(v);
	}
	if (!pkey) {
		ERR_clear_error();
		return ThrowError(isolate, "the JWK is not a valid " + (type == "EC" ? curve : type) + " key");
	}
	info.GetReturnValue().Set(WrapKey(isolate, pkey, is_private));
}

// ---- information --------------------------------------------------------------------------

static const char *TypeName(int base)
{
	switch (base) {
	case EVP_PKEY_RSA: return "rsa";
	case EVP_PKEY_RSA_PSS: return "rsa-pss";
	case EVP_PKEY_EC: return "ec";
	case EVP_PKEY_ED25519: return "ed25519";
	case EVP_PKEY_ED448: return "ed448";
	case EVP_PKEY_X25519: return "x25519";
	case EVP_PKEY_X448: return "x448";
	case EVP_PKEY_DH: return "dh";
	case EVP_PKEY_DSA: return "dsa";
	default: return "unknown";
	}
}

static void KeyInfo(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	KeyState *k = UnwrapKey(info, 0);
	if (!k)
		return;
	v8::Local<v8::Object> rec = NewRecord(isolate);
	int base = EVP_PKEY_get_base_id(k->pkey);
	if (!Put(ctx, rec, "type", Str(isolate, TypeName(base))) ||
	    !Put(ctx, rec, "private", v8::Boolean::New(isolate, k->is_private)) ||
	    !Put(ctx, rec, "bits", v8::Integer::New(isolate, EVP_PKEY_get_bits(k->pkey))))
		return;
	char group[64];
	if (base == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(k->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr) == 1 &&
	    !Put(ctx, rec, "curve", Str(isolate, group)))
		return;
	BIGNUM *e = nullptr;
	if ((base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) &&
	    EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
		std::vector<uint8_t> b((size_t)BN_num_bytes(e));
		BN_bn2bin(e, b.data());
		BN_free(e);
		if (!Put(ctx, rec, "publicExponent", CopyToArrayBuffer(isolate, b.data(), b.size())))
			return;
	}
	info.GetReturnValue().Set(rec);
}

// The public half: encoded as SubjectPublicKeyInfo and decoded again, which is how OpenSSL 3
// separates a provider key's halves without reaching into its internals.
static void KeyPublic(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	if (!k)
		return;
	unsigned char *der = nullptr;
	int len = i2d_PUBKEY(k->pkey, &der);
	const unsigned char *p = der;
	EVP_PKEY *pub = len > 0 ? d2i_PUBKEY(nullptr, &p, len) : nullptr;
	OPENSSL_free(der);
	if (!pub)
		return ThrowOpenSsl(isolate, "cannot take the public key");
	info.GetReturnValue().Set(WrapKey(isolate, pub, false));
}

// ---- operations ---------------------------------------------------------------------------

// Options shared by sign, verify and the RSA cipher: padding (RSA_PKCS1_PADDING,
// RSA_PKCS1_PSS_PADDING, RSA_PKCS1_OAEP_PADDING, RSA_NO_PADDING), saltLength, oaepHash,
// oaepLabel.
static bool ApplyRsaOptions(v8::Isolate *isolate, EVP_PKEY_CTX *pctx, v8::Local<v8::Value> options)
{
	int padding = OptInt(isolate, options, "padding", -1);
	if (padding >= 0 && EVP_PKEY_CTX_set_rsa_padding(pctx, padding) != 1)
		return false;
	int salt = OptInt(isolate, options, "saltLength", INT32_MIN);
	if (salt != INT32_MIN && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) != 1)
		return false;
	std::string oaep = OptString(isolate, options, "oaepHash");
	if (!oaep.empty() && (EVP_PKEY_CTX_set_rsa_oaep_md_name(pctx, oaep.c_str(), nullptr) != 1 ||
			      EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, oaep.c_str(), nullptr) != 1))
		return false;
	Bytes label;
	if (GetBytes(Opt(isolate, options, "oaepLabel"), &label) && label.len) {
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL,
							  const_cast<uint8_t *>(label.data), label.len),
			OSSL_PARAM_construct_end(),
		};
		if (EVP_PKEY_CTX_set_params(pctx, params) != 1)
			return false;
	}
	return true;
}

// ECDSA signatures: DER (RFC 3279 Ecdsa-Sig-Value) from OpenSSL, r||s each padded to the
// order's size (IEEE P1363, as Web Crypto and Node's 'ieee-p1363' want).
static bool DerToP1363(EVP_PKEY *pkey, const std::vector<uint8_t> &der, std::vector<uint8_t> *out)
{
	const unsigned char *p = der.data();
	ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &p, (long)der.size());
	if (!sig)
		return false;
	size_t n = (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
	out->assign(2 * n, 0);
	bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out->data(), (int)n) >= 0 &&
		  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out->data() + n, (int)n) >= 0;
	ECDSA_SIG_free(sig);
	return ok;
}

// The inverse; a signature of the wrong length converts to nothing (and fails to verify).
static bool P1363ToDer(EVP_PKEY *pkey, const Bytes &in, std::vector<uint8_t> *out)
{
	size_t n = (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
	if (in.len != 2 * n)
		return false;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(in.data, (int)n, nullptr);
	BIGNUM *s = BN_bin2bn(in.data + n, (int)n, nullptr);
	if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return false;
	}
	unsigned char *der = nullptr;
	int len = i2d_ECDSA_SIG(sig, &der);
	ECDSA_SIG_free(sig);
	if (len <= 0)
		return false;
	out->assign(der, der + len);
	OPENSSL_free(der);
	return true;
}

static EVP_MD_CTX *SignInit(v8::Isolate *isolate, KeyState *k, const std::string &digest,
			    v8::Local<v8::Value> options, bool sign)
{
	// OpenSSL's legacy table knows every alias Node accepts ("RSA-SHA256", "sha256WithRSAEncryption");
	// the provider fetch inside DigestSignInit knows only the canonical names.
	const char *mdname = nullptr;
	if (!digest.empty()) {
		const EVP_MD *m = EVP_get_digestbyname(digest.c_str());
		if (!m) {
			ThrowError(isolate, "unsupported digest '" + digest + "'");
			return nullptr;
		}
		mdname = EVP_MD_get0_name(m);
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = nullptr;
	int ok = md ? (sign ? EVP_DigestSignInit_ex(md, &pctx, mdname, nullptr, nullptr, k->pkey, nullptr)
			    : EVP_DigestVerifyInit_ex(md, &pctx, mdname, nullptr, nullptr, k->pkey, nullptr))
		    : 0;
	int base = EVP_PKEY_get_base_id(k->pkey);
	if (ok == 1 && (base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) && !ApplyRsaOptions(isolate, pctx, options))
		ok = 0;
	if (ok != 1) {
		EVP_MD_CTX_free(md);
		return nullptr;
	}
	return md;
}

// pkeySign(h, digest, data, options): digest "" for Ed25519/Ed448; options.dsaEncoding
// "ieee-p1363" for r||s.
static void PkeySign(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	Bytes data;
	if (!k || !ArgBytes(info, 2, &data))
		return;
	if (!k->is_private)
		return ThrowError(isolate, "signing needs a private key");
	v8::TryCatch tc(isolate);
	EVP_MD_CTX *md = SignInit(isolate, k, ToStd(isolate, info[1]), info[3], true);
	if (tc.HasCaught()) {
		tc.ReThrow();
		return;
	}
	size_t len = 0;
	std::vector<uint8_t> sig;
	bool ok = md && EVP_DigestSign(md, nullptr, &len, data.data, data.len) == 1;
	if (ok) {
		sig.resize(len);
		ok = EVP_DigestSign(md, sig.data(), &len, data.data, data.len) == 1;
		sig.resize(len);
	}
	EVP_MD_CTX_free(md);
	if (ok && IsEc(k->pkey) && OptString(isolate, info[3], "dsaEncoding") == "ieee-p1363") {
		std::vector<uint8_t> p1363;
		ok = DerToP1363(k->pkey, sig, &p1363);
		sig.swap(p1363);
	}
	if (!ok)
		return ThrowOpenSsl(isolate, "sign");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, sig.data(), sig.size()));
}

static void PkeyVerify(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	Bytes data, sig;
	if (!k || !ArgBytes(info, 2, &data) || !ArgBytes(info, 3, &sig))
		return;
	std::vector<uint8_t> der;
	if (IsEc(k->pkey) && OptString(isolate, info[4], "dsaEncoding") == "ieee-p1363") {
		if (!P1363ToDer(k->pkey, sig, &der))
			return info.GetReturnValue().Set(false);
		sig = { der.data(), der.size() };
	}
	v8::TryCatch tc(isolate);
	EVP_MD_CTX *md = SignInit(isolate, k, ToStd(isolate, info[1]), info[4], false);
	if (tc.HasCaught()) {
		tc.ReThrow();
		return;
	}
	if (!md)
		return ThrowOpenSsl(isolate, "verify");
	int r = EVP_DigestVerify(md, sig.data, sig.len, data.data, data.len);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	info.GetReturnValue().Set(r == 1);
}

static void PkeyDerive(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *priv = UnwrapKey(info, 0);
	KeyState *pub = priv ? UnwrapKey(info, 1) : nullptr;
	if (!pub)
		return;
	if (!priv->is_private)
		return ThrowError(isolate, "key agreement needs a private key");
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, priv->pkey, nullptr);
	size_t len = 0;
	std::vector<uint8_t> out;
	bool ok = ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, pub->pkey) == 1 &&
		  EVP_PKEY_derive(ctx, nullptr, &len) == 1;
	if (ok) {
		out.resize(len);
		ok = EVP_PKEY_derive(ctx, out.data(), &len) == 1;
		out.resize(len);
	}
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return ThrowOpenSsl(isolate, "deriveBits");
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out.data(), out.size()));
	OPENSSL_cleanse(out.data(), out.size());
}

// pkeyCrypt(h, op, data, options): RSA encrypt (public), decrypt (private), and the raw
// PKCS#1 operations Node calls privateEncrypt ('sign') and publicDecrypt ('recover').
static void PkeyCrypt(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	KeyState *k = UnwrapKey(info, 0);
	Bytes data;
	if (!k || !ArgBytes(info, 2, &data))
		return;
	std::string op = ToStd(isolate, info[1]);
	if ((op == "decrypt" || op == "sign") && !k->is_private)
		return ThrowError(isolate, op + " needs a private key");
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, k->pkey, nullptr);
	using Init = int (*)(EVP_PKEY_CTX *);
	using Run = int (*)(EVP_PKEY_CTX *, unsigned char *, size_t *, const unsigned char *, size_t);
	Init init = op == "encrypt" ? EVP_PKEY_encrypt_init : op == "decrypt" ? EVP_PKEY_decrypt_init
		  : op == "sign" ? EVP_PKEY_sign_init : EVP_PKEY_verify_recover_init;
	Run run = op == "encrypt" ? EVP_PKEY_encrypt : op == "decrypt" ? EVP_PKEY_decrypt
		: op == "sign" ? EVP_PKEY_sign : EVP_PKEY_verify_recover;
	size_t len = 0;
	std::vector<uint8_t> out;
	bool ok = ctx && init(ctx) == 1 && ApplyRsaOptions(isolate, ctx, info[3]) &&
		  run(ctx, nullptr, &len, data.data, data.len) == 1;
	if (ok) {
		out.resize(len);
		ok = run(ctx, out.data(), &len, data.data, data.len) == 1;
		out.resize(len);
	}
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return ThrowOpenSsl(isolate, op);
	info.GetReturnValue().Set(CopyToArrayBuffer(isolate, out.data(), out.size()));
	OPENSSL_cleanse(out.data(), out.size());
}

// keyEquals(a, b): the same public key (and both private or both public).
static void KeyEquals(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	KeyState *a = UnwrapKey(info, 0);
	KeyState *b = a ? UnwrapKey(info, 1) : nullptr;
	if (!b)
		return;
	bool same = a->is_private == b->is_private && EVP_PKEY_eq(a->pkey, b->pkey) == 1;
	ERR_clear_error();
	info.GetReturnValue().Set(same);
}

void AddPkeyBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "keyGenerate", KeyGenerate);
	SetMethod(ctx, b, "keyDecode", KeyDecode);
	SetMethod(ctx, b, "keyEncode", KeyEncode);
	SetMethod(ctx, b, "keyFromRaw", KeyFromRaw);
	SetMethod(ctx, b, "keyRaw", KeyRaw);
	SetMethod(ctx, b, "keyComponents", KeyComponents);
	SetMethod(ctx, b, "keyFromComponents", KeyFromComponents);
	SetMethod(ctx, b, "keyInfo", KeyInfo);
	SetMethod(ctx, b, "keyPublic", KeyPublic);
	SetMethod(ctx, b, "keyEquals", KeyEquals);
	SetMethod(ctx, b, "pkeySign", PkeySign);
	SetMethod(ctx, b, "pkeyVerify", PkeyVerify);
	SetMethod(ctx, b, "pkeyDerive", PkeyDerive);
	SetMethod(ctx, b, "pkeyCrypt", PkeyCrypt);
	SetMethod(ctx, b, "ecPointConvert", EcPointConvert);
}

}  // namespace rtjs
