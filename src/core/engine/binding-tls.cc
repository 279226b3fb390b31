// The TLS half of 'rtjs:binding': OpenSSL 3's libssl (the one in the runtime's library
// closure, next to the libcrypto binding-crypto.cc uses) runs the TLS state machine over two
// memory BIOs. The binding never touches a socket: JavaScript (js/node/tls.js) hands it the
// ciphertext a TCP socket received and sends the ciphertext it gives back, so the record
// layer runs over whatever carries the bytes (node:net over the network service).
//
//   tlsContext({ server, cert, key, passphrase, ca: [pem], minVersion, maxVersion, ciphers,
//                alpn: wire-format bytes, requestCert }) -> context handle
//   tlsNew(context, servername | undefined) -> connection handle (client or server as the context)
//   tlsAskServername(context)            a server's handshakes stop at the ClientHello to ask
//                                        for the context of the name it asks for (SNICallback)
//   tlsUseContext(conn, context | null)  the answer: that context's certificate, or the first
//   tlsCycle(conn, cipherIn | null, plainOut | null) -> { out, data, secure, peerClosed, error }
//       feeds received ciphertext, advances the handshake, encrypts plainOut once the handshake
//       is done, decrypts what it can; `out` is ciphertext to send, `data` plaintext received,
//       `secure` true when the handshake finished in this call, `peerClosed` a close_notify seen,
//       `error` a fatal error ({ message, code, library, reason }): the connection is dead;
//       `servername` the name a ClientHello asks for, when the context asks (tlsAskServername):
//       the handshake waits for tlsUseContext
//       `sessions` [ArrayBuffer...] a client's new sessions (DER), each resumable by tlsSetSession
//   tlsSetSession(conn, bytes) -> bool   a client offers that session (before its first cycle);
//                                        false: not a session, none offered
//   tlsGetSession(conn, ticket) -> ArrayBuffer | undefined   the connection's session (DER),
//                                        or with `ticket` true the session ticket it holds
//   tlsShutdown(conn) -> ArrayBuffer    our close_notify alert, to send
//   tlsInfo(conn) -> { protocol, cipher, standardName, version, alpn, servername, verifyCode,
//                      verifyMessage, reused }
//   tlsPeerCertificates(conn) -> [record...] the peer's certificate first, then its chain
//   tlsFree(conn)                        frees the connection now (else when collected)
//   tlsRootCertificates() -> [pem...]    the default trust store's certificates
// The default trust store (used when a context has no `ca`) is the PEM bundle at
// kCaBundle: the host's, hosted; on the kernel, the copy scripts/mkinitrd puts in the initrd.
#include "binding-crypto.h"
#include "handles.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rtjs {

// Debian's ca-certificates bundle (update-ca-certificates writes it); the kernel's initrd
// carries the build host's copy at the same path.
static const char kCaBundle[] = "/etc/ssl/certs/ca-certificates.crt";
// A TLS record carries at most 2^14 plaintext bytes (RFC 8446 5.1): the read buffer's size.
static const size_t kMaxPlaintextRecord = 16384;

// What a context keeps besides OpenSSL's SSL_CTX: the ALPN list a server selects from must
// outlive every connection made from it, which hold a reference to this.
struct CtxState {
	SSL_CTX *ctx = nullptr;
	std::vector<uint8_t> alpn;  // wire format: length-prefixed names (RFC 7301 3.1)
	bool server = false;
	bool ask_servername = false;
	~CtxState() { SSL_CTX_free(ctx); }
};

struct ConnState {
	std::shared_ptr<CtxState> ctx;
	std::shared_ptr<CtxState> chosen;  // the context tlsUseContext switched to
	SSL *ssl = nullptr;
	BIO *in = nullptr, *out = nullptr;  // owned by ssl
	bool secure = false, dead = false;
	enum { kNotAsked, kAsking, kAnswered } servername = kNotAsked;
	std::string asked;  // the name the ClientHello asks for
	// A client's new sessions (DER), not yet handed to JavaScript: TLS 1.3 servers send them
	// after the handshake (NewSessionTicket, RFC 8446 4.6.1), possibly several.
	std::vector<std::vector<uint8_t>> sessions;

	~ConnState() { SSL_free(ssl); }
};

// A context or connection as JavaScript holds it: the connection's state goes at tlsFree,
// before the object does.
template <typename T>
struct Handle {
	T *state;
	v8::Global<v8::Object> owner;
	~Handle() { delete state; }
};

static const HandleKind kContextKind{ "TLS context" };
static const HandleKind kConnKind{ "TLS connection" };

template <typename T>
static void ReturnHandle(const v8::FunctionCallbackInfo<v8::Value> &info, T *state, const HandleKind &kind)
{
	v8::Local<v8::Object> o;
	if (NewHandle(info.GetIsolate(), kind, new Handle<T>{ state, {} }).ToLocal(&o))
		info.GetReturnValue().Set(o);
}

// The handle of that kind in argument `arg`, or null with an Error thrown.
template <typename T>
static Handle<T> *Unwrap(const v8::FunctionCallbackInfo<v8::Value> &info, const HandleKind &kind, int arg = 0)
{
	if (Handle<T> *h = HandleState<Handle<T>>(info[arg], kind))
		return h;
	ThrowError(info.GetIsolate(), std::string("not a ") + kind.name);
	return nullptr;
}

static v8::Local<v8::String> S(v8::Isolate *isolate, const char *s)
{
	return v8::String::NewFromUtf8(isolate, s ? s : "").ToLocalChecked();
}

// Node's code for an OpenSSL error: ERR_SSL_ and the reason in capitals for the SSL library
// ("wrong version number" -> ERR_SSL_WRONG_VERSION_NUMBER), ERR_OSSL_<LIB>_<REASON> for others
// (ERR_OSSL_PEM_NO_START_LINE).
static std::string CodeFor(unsigned long e)
{
	const char *lib;
	switch (ERR_GET_LIB(e)) {
	case ERR_LIB_SSL: lib = nullptr; break;
	case ERR_LIB_PEM: lib = "PEM"; break;
	case ERR_LIB_X509: lib = "X509"; break;
	case ERR_LIB_X509V3: lib = "X509V3"; break;
	case ERR_LIB_EVP: lib = "EVP"; break;
	case ERR_LIB_ASN1: lib = "ASN1"; break;
	case ERR_LIB_BIO: lib = "BIO"; break;
	case ERR_LIB_RSA: lib = "RSA"; break;
	case ERR_LIB_EC: lib = "EC"; break;
	case ERR_LIB_PROV: lib = "PROV"; break;
	default: lib = "UNKNOWN"; break;
	}
	std::string code = lib ? std::string("ERR_OSSL_") + lib + "_" : "ERR_SSL_";
	const char *reason = ERR_reason_error_string(e);
	for (const char *p = reason ? reason : "unknown"; *p; p++)
		code += *p == ' ' || *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return code;
}

// The last queued OpenSSL error as { message, code, library, reason }; clears the queue.
static v8::Local<v8::Object> SslErrorRecord(v8::Isolate *isolate, const std::string &what)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	unsigned long e = ERR_peek_last_error();
	v8::Local<v8::Object> r = NewRecord(isolate);
	char text[256] = "unknown error";
	if (e)
		ERR_error_string_n(e, text, sizeof(text));
	Put(ctx, r, "message", Str(isolate, what.empty() ? std::string(text) : what + ": " + text));
	Put(ctx, r, "code", Str(isolate, e ? CodeFor(e) : "ERR_SSL_UNKNOWN"));
	Put(ctx, r, "library", S(isolate, e ? ERR_lib_error_string(e) : "SSL routines"));
	Put(ctx, r, "reason", S(isolate, e ? ERR_reason_error_string(e) : "unknown"));
	ERR_clear_error();
	return r;
}

static void ThrowSsl(v8::Isolate *isolate, const std::string &what)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> r = SslErrorRecord(isolate, what);
	v8::Local<v8::Value> msg = r->Get(ctx, S(isolate, "message")).ToLocalChecked();
	v8::Local<v8::Object> err = v8::Exception::Error(msg.As<v8::String>()).As<v8::Object>();
	for (const char *k : { "code", "library", "reason" })
		err->Set(ctx, S(isolate, k), r->Get(ctx, S(isolate, k)).ToLocalChecked()).Check();
	isolate->ThrowException(err);
}

static v8::MaybeLocal<v8::Value> Field(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o,
				       const char *key)
{
	return o->Get(ctx, S(ctx->GetIsolate(), key));
}

// The default trust store, read once per process and shared by every context without `ca`
// (X509_STORE is reference-counted and safe to look up from several threads).
static X509_STORE *DefaultStore()
{
	static X509_STORE *store;
	static std::once_flag once;
	std::call_once(once, [] {
		store = X509_STORE_new();
		if (store && !X509_STORE_load_file(store, kCaBundle))
			ERR_clear_error();  // no bundle: nothing is trusted but what `ca` names
	});
	return store;
}

// Certificates of a PEM text, in order; false if it holds none or a bad one.
static bool ReadPemCerts(const std::string &pem, std::vector<X509 *> *out)
{
	BIO *bio = BIO_new_mem_buf(pem.data(), (int)pem.size());
	if (!bio)
		return false;
	X509 *x;
	while ((x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)))
		out->push_back(x);
	unsigned long e = ERR_peek_last_error();
	bool clean_end = ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
	BIO_free(bio);
	if (clean_end && !out->empty()) {
		ERR_clear_error();
		return true;
	}
	return false;
}

static int VersionNumber(const std::string &name)
{
	if (name == "TLSv1") return TLS1_VERSION;
	if (name == "TLSv1.1") return TLS1_1_VERSION;
	if (name == "TLSv1.2") return TLS1_2_VERSION;
	if (name == "TLSv1.3") return TLS1_3_VERSION;
	return -1;
}

// The client's certificate is checked after the handshake (JavaScript reads the result and
// decides, as Node's rejectUnauthorized does), so verification never fails the handshake.
static int AcceptForLater(int, X509_STORE_CTX *) { return 1; }

static int SelectAlpn(SSL *, const unsigned char **out, unsigned char *outlen,
		      const unsigned char *in, unsigned int inlen, void *arg)
{
	CtxState *c = static_cast<CtxState *>(arg);
	unsigned char *sel = nullptr;
	if (SSL_select_next_proto(&sel, outlen, c->alpn.data(), (unsigned)c->alpn.size(), in,
				  inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol (RFC 7301 3.2)
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

// The host name of a ClientHello's server_name extension (RFC 6066 3: a list of
// { type, length, name }, type 0 a host name); false when it is malformed.
static bool ParseServerName(const unsigned char *p, size_t len, std::string *name)
{
	if (len < 2 || (size_t)((p[0] << 8) | p[1]) != len - 2)
		return false;
	for (size_t i = 2; i + 3 <= len;) {
		unsigned type = p[i];
		size_t n = (size_t)((p[i + 1] << 8) | p[i + 2]);
		if (i + 3 + n > len)
			return false;
		if (type == 0) {  // host_name
			name->assign((const char *)p + i + 3, n);
			return name->find('\0') == std::string::npos;
		}
		i += 3 + n;
	}
	return true;
}

// Stops the handshake at the ClientHello until JavaScript has chosen the context for the
// name it asks for (OpenSSL calls this again when the handshake resumes).
static int AskServername(SSL *ssl, int *alert, void *)
{
	ConnState *c = static_cast<ConnState *>(SSL_get_app_data(ssl));
	if (!c || !c->ctx->ask_servername || c->servername == ConnState::kAnswered)
		return SSL_CLIENT_HELLO_SUCCESS;
	const unsigned char *p;
	size_t len;
	if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) || len == 0)
		return SSL_CLIENT_HELLO_SUCCESS;  // no name: the server's own context
	if (!ParseServerName(p, len, &c->asked)) {
		*alert = SSL_AD_DECODE_ERROR;
		return SSL_CLIENT_HELLO_ERROR;
	}
	if (c->asked.empty())
		return SSL_CLIENT_HELLO_SUCCESS;
	c->servername = ConnState::kAsking;
	return SSL_CLIENT_HELLO_RETRY;
}

// A session in its DER form (i2d_SSL_SESSION: the master secret or resumption secret, the
// ticket, the peer's certificate and its verification result); empty if it has none.
static std::vector<uint8_t> SessionBytes(SSL_SESSION *sess)
{
	int n = i2d_SSL_SESSION(sess, nullptr);
	if (n <= 0)
		return {};
	std::vector<uint8_t> der((size_t)n);
	unsigned char *p = der.data();
	i2d_SSL_SESSION(sess, &p);
	return der;
}

// A client's new session, kept in DER until tlsCycle hands it to JavaScript (the 'session'
// event); OpenSSL keeps no client sessions itself (SSL_SESS_CACHE_NO_INTERNAL_STORE).
static int OnNewSession(SSL *ssl, SSL_SESSION *sess)
{
	ConnState *c = static_cast<ConnState *>(SSL_get_app_data(ssl));
	if (c && !SSL_is_server(ssl) && SSL_SESSION_is_resumable(sess)) {
		std::vector<uint8_t> der = SessionBytes(sess);
		if (!der.empty())
			c->sessions.push_back(std::move(der));
	}
	return 0;  // the callback keeps no reference
}

static void TlsContext(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	if (!Require(info, info[0]->IsObject(), "tlsContext: options must be an object"))
		return;
	v8::Local<v8::Object> o = info[0].As<v8::Object>();
	v8::Local<v8::Value> v;
	auto str = [&](const char *key, std::string *out) -> bool {
		if (!Field(ctx, o, key).ToLocal(&v) || !v->IsString())
			return false;
		*out = ToStd(isolate, v);
		return true;
	};
	auto c = std::make_unique<CtxState>();
	c->server = Field(ctx, o, "server").ToLocal(&v) && v->IsTrue();
	// Either role: a context made for a client (tls.createSecureContext) may answer a server's
	// SNICallback.
	c->ctx = SSL_CTX_new(TLS_method());
	if (!c->ctx)
		return ThrowSsl(isolate, "tlsContext");
	SSL_CTX_set_mode(c->ctx, SSL_MODE_RELEASE_BUFFERS);
	// Renegotiation lets a peer make the server redo its costliest step at will; TLS 1.3 has none.
	SSL_CTX_set_options(c->ctx, SSL_OP_NO_RENEGOTIATION);

	std::string s, lo = "TLSv1.2", hi = "TLSv1.3";
	str("minVersion", &lo);
	str("maxVersion", &hi);
	int vlo = VersionNumber(lo), vhi = VersionNumber(hi);
	if (vlo < 0 || vhi < 0)
		return ThrowError(isolate, "tlsContext: unknown TLS version '" + (vlo < 0 ? lo : hi) + "'");
	if (!SSL_CTX_set_min_proto_version(c->ctx, vlo) || !SSL_CTX_set_max_proto_version(c->ctx, vhi))
		return ThrowSsl(isolate, "tlsContext: protocol versions");

	if (str("ciphers", &s)) {
		// Node's one list names TLS 1.3 suites (TLS_*) and TLS 1.2 ciphers; OpenSSL takes two.
		std::string v12, v13;
		size_t start = 0;
		while (start <= s.size()) {
			size_t end = s.find(':', start);
			std::string item = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
			std::string &to = item.rfind("TLS_", 0) == 0 ? v13 : v12;
			if (!item.empty())
				to += (to.empty() ? "" : ":") + item;
			if (end == std::string::npos)
				break;
			start = end + 1;
		}
		if (!SSL_CTX_set_ciphersuites(c->ctx, v13.c_str()) ||
		    (!v12.empty() && !SSL_CTX_set_cipher_list(c->ctx, v12.c_str())) ||
		    (v12.empty() && v13.empty()))
			return ThrowSsl(isolate, "tlsContext: ciphers");
		if (v12.empty())
			SSL_CTX_set_cipher_list(c->ctx, "");
		ERR_clear_error();
	}

	std::string pass;
	bool has_pass = str("passphrase", &pass);
	if (str("cert", &s)) {
		std::vector<X509 *> certs;
		if (!ReadPemCerts(s, &certs)) {
			for (X509 *x : certs)
				X509_free(x);
			return ThrowSsl(isolate, "tlsContext: cert");
		}
		bool ok = SSL_CTX_use_certificate(c->ctx, certs[0]) == 1;
		X509_free(certs[0]);
		for (size_t i = 1; i < certs.size(); i++)
			if (!ok || !SSL_CTX_add0_chain_cert(c->ctx, certs[i]))
				X509_free(certs[i]);
		if (!ok)
			return ThrowSsl(isolate, "tlsContext: cert");
	}
	if (str("key", &s)) {
		BIO *bio = BIO_new_mem_buf(s.data(), (int)s.size());
		EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr,
							      has_pass ? (void *)pass.c_str() : (void *)"")
				    : nullptr;
		BIO_free(bio);
		bool ok = key && SSL_CTX_use_PrivateKey(c->ctx, key) == 1;
		EVP_PKEY_free(key);
		if (!ok)
			return ThrowSsl(isolate, "tlsContext: key");
		if (SSL_CTX_check_private_key(c->ctx) != 1)
			return ThrowSsl(isolate, "tlsContext: key does not match cert");
	}

	if (Field(ctx, o, "ca").ToLocal(&v) && v->IsArray()) {
		X509_STORE *store = X509_STORE_new();
		v8::Local<v8::Array> a = v.As<v8::Array>();
		for (uint32_t i = 0; store && i < a->Length(); i++) {
			v8::Local<v8::Value> item;
			std::vector<X509 *> certs;
			if (!a->Get(ctx, i).ToLocal(&item))
				break;
			bool ok = ReadPemCerts(ToStd(isolate, item), &certs);
			for (X509 *x : certs) {
				if (ok)
					X509_STORE_add_cert(store, x);
				X509_free(x);
			}
			if (!ok) {
				X509_STORE_free(store);
				return ThrowSsl(isolate, "tlsContext: ca");
			}
		}
		ERR_clear_error();  // a certificate named twice is already there: not an error
		SSL_CTX_set_cert_store(c->ctx, store);
	} else if (X509_STORE *def = DefaultStore()) {
		SSL_CTX_set1_cert_store(c->ctx, def);
	}

	bool request_cert = Field(ctx, o, "requestCert").ToLocal(&v) && v->IsTrue();
	if (!c->server || request_cert)
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, AcceptForLater);

	Bytes alpn;
	if (Field(ctx, o, "alpn").ToLocal(&v) && GetBytes(v, &alpn) && alpn.len) {
		c->alpn.assign(alpn.data, alpn.data + alpn.len);
		SSL_CTX_set_alpn_select_cb(c->ctx, SelectAlpn, c.get());
		if (SSL_CTX_set_alpn_protos(c->ctx, c->alpn.data(), (unsigned)c->alpn.size()) != 0)
			return ThrowSsl(isolate, "tlsContext: ALPNProtocols");
	}
	if (c->server) {
		SSL_CTX_set_client_hello_cb(c->ctx, AskServername, nullptr);
	} else {
		SSL_CTX_set_session_cache_mode(c->ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
		SSL_CTX_sess_set_new_cb(c->ctx, OnNewSession);
	}
	// A server without a session id context refuses to resume sessions of clients it verified.
	static const unsigned char kSessionContext[] = "rtjs";
	SSL_CTX_set_session_id_context(c->ctx, kSessionContext, sizeof(kSessionContext) - 1);

	ReturnHandle(info, new std::shared_ptr<CtxState>(c.release()), kContextKind);
}

static void TlsNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	auto *h = Unwrap<std::shared_ptr<CtxState>>(info, kContextKind);
	if (!h)
		return;
	auto c = std::make_unique<ConnState>();
	c->ctx = *h->state;
	c->ssl = SSL_new(c->ctx->ctx);
	c->in = BIO_new(BIO_s_mem());
	c->out = BIO_new(BIO_s_mem());
	if (!c->ssl || !c->in || !c->out) {
		BIO_free(c->in);
		BIO_free(c->out);
		return ThrowSsl(isolate, "tlsNew");
	}
	// An empty input BIO means "more to come", not the end of the stream.
	BIO_set_mem_eof_return(c->in, -1);
	SSL_set_bio(c->ssl, c->in, c->out);
	SSL_set_app_data(c->ssl, c.get());
	if (c->ctx->server) {
		SSL_set_accept_state(c->ssl);
	} else {
		SSL_set_connect_state(c->ssl);
		if (info[1]->IsString()) {
			std::string name = ToStd(isolate, info[1]);
			if (!name.empty() && !SSL_set_tlsext_host_name(c->ssl, name.c_str()))
				return ThrowSsl(isolate, "tlsNew: servername");
		}
	}
	ReturnHandle(info, c.release(), kConnKind);
}

static ConnState *Conn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Handle<ConnState> *h = Unwrap<ConnState>(info, kConnKind);
	if (h && !h->state)
		ThrowError(info.GetIsolate(), "TLS connection already freed");
	return h ? h->state : nullptr;
}

// What the output BIO holds, or undefined.
static v8::Local<v8::Value> TakeOutput(v8::Isolate *isolate, ConnState *c)
{
	size_t n = BIO_ctrl_pending(c->out);
	if (!n)
		return v8::Undefined(isolate);
	auto store = v8::ArrayBuffer::NewBackingStore(isolate, n);
	int got = BIO_read(c->out, store->Data(), (int)n);
	(void)got;  // a memory BIO gives all it holds
	return v8::ArrayBuffer::New(isolate, std::move(store));
}

static void TlsCycle(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	ConnState *c = Conn(info);
	if (!c)
		return;
	v8::Local<v8::Object> r = NewRecord(isolate);
	Bytes in, plain;
	bool has_in = GetBytes(info[1], &in), has_plain = GetBytes(info[2], &plain);
	if (c->dead)
		return ThrowError(isolate, "TLS connection failed earlier");
	ERR_clear_error();
	if (has_in && in.len && BIO_write(c->in, in.data, (int)in.len) != (int)in.len)
		return ThrowSsl(isolate, "tlsCycle");

	auto fail = [&]() {
		c->dead = true;
		Put(ctx, r, "error", SslErrorRecord(isolate, ""));
	};
	bool failed = false;
	if (!c->secure) {
		int rc = SSL_do_handshake(c->ssl);
		if (rc == 1) {
			c->secure = true;
			Put(ctx, r, "secure", v8::True(isolate));
		} else {
			int e = SSL_get_error(c->ssl, rc);
			if (e == SSL_ERROR_WANT_CLIENT_HELLO_CB) {
				Put(ctx, r, "servername", Str(isolate, c->asked));
			} else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
				fail();
				failed = true;
			}
		}
	}
	if (!failed && c->secure && has_plain && plain.len) {
		int rc = SSL_write(c->ssl, plain.data, (int)plain.len);
		if (rc <= 0) {
			fail();
			failed = true;
		}
	}
	if (!failed && c->secure) {
		std::vector<uint8_t> got;
		uint8_t buf[kMaxPlaintextRecord];
		for (;;) {
			int n = SSL_read(c->ssl, buf, sizeof(buf));
			if (n > 0) {
				got.insert(got.end(), buf, buf + n);
				continue;
			}
			int e = SSL_get_error(c->ssl, n);
			if (e == SSL_ERROR_ZERO_RETURN)
				Put(ctx, r, "peerClosed", v8::True(isolate));
			else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
				fail();
			break;
		}
		if (!got.empty())
			Put(ctx, r, "data", CopyToArrayBuffer(isolate, got.data(), got.size()));
	}
	if (!c->sessions.empty()) {
		v8::Local<v8::Array> list = v8::Array::New(isolate);
		for (const std::vector<uint8_t> &der : c->sessions)
			list->Set(ctx, list->Length(), CopyToArrayBuffer(isolate, der.data(), der.size())).Check();
		c->sessions.clear();
		Put(ctx, r, "sessions", list);
	}
	// A failure's alert goes to the peer too.
	Put(ctx, r, "out", TakeOutput(isolate, c));
	info.GetReturnValue().Set(r);
}

static void TlsSetSession(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	ConnState *c = Conn(info);
	if (!c)
		return;
	Bytes der;
	if (!Require(info, GetBytes(info[1], &der), "tlsSetSession: the session must be bytes"))
		return;
	// Bytes that are not a session are ignored (a full handshake follows), as Node does.
	const unsigned char *p = der.data;
	SSL_SESSION *sess = d2i_SSL_SESSION(nullptr, &p, (long)der.len);
	bool ok = sess && SSL_set_session(c->ssl, sess) == 1;
	SSL_SESSION_free(sess);  // the connection holds its own reference
	ERR_clear_error();
	info.GetReturnValue().Set(v8::Boolean::New(isolate, ok));
}

static void TlsGetSession(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	ConnState *c = Conn(info);
	if (!c)
		return;
	SSL_SESSION *sess = SSL_get_session(c->ssl);
	if (!sess)
		return;
	if (info[1]->IsTrue()) {  // the ticket (RFC 5077, RFC 8446 4.6.1), opaque to the client
		const unsigned char *tick = nullptr;
		size_t len = 0;
		SSL_SESSION_get0_ticket(sess, &tick, &len);
		if (tick && len)
			info.GetReturnValue().Set(CopyToArrayBuffer(info.GetIsolate(), tick, len));
		return;
	}
	std::vector<uint8_t> der = SessionBytes(sess);
	if (!der.empty())
		info.GetReturnValue().Set(CopyToArrayBuffer(info.GetIsolate(), der.data(), der.size()));
}

static void TlsAskServername(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	auto *h = Unwrap<std::shared_ptr<CtxState>>(info, kContextKind);
	if (h)
		(*h->state)->ask_servername = true;
}

static void TlsUseContext(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	ConnState *c = Conn(info);
	if (!c)
		return;
	if (c->servername != ConnState::kAsking)
		return ThrowError(info.GetIsolate(), "tlsUseContext: the handshake is not waiting for a context");
	if (!info[1]->IsNullOrUndefined()) {
		auto *h = Unwrap<std::shared_ptr<CtxState>>(info, kContextKind, 1);
		if (!h)
			return;
		c->chosen = *h->state;
		SSL_set_SSL_CTX(c->ssl, c->chosen->ctx);
	}
	c->servername = ConnState::kAnswered;
}

static void TlsShutdown(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	ConnState *c = Conn(info);
	if (!c)
		return;
	if (!c->dead && c->secure) {
		SSL_shutdown(c->ssl);  // queues close_notify; the peer's answer is not awaited
		ERR_clear_error();
	}
	info.GetReturnValue().Set(TakeOutput(info.GetIsolate(), c));
}

static void TlsFree(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Handle<ConnState> *h = Unwrap<ConnState>(info, kConnKind);
	if (!h)
		return;
	delete h->state;
	h->state = nullptr;
}

static const char *VerifyCode(long v)
{
	switch (v) {
#define CASE(name) case X509_V_ERR_##name: return #name
	CASE(UNABLE_TO_GET_ISSUER_CERT);
	CASE(UNABLE_TO_GET_CRL);
	CASE(UNABLE_TO_DECRYPT_CERT_SIGNATURE);
	CASE(UNABLE_TO_DECRYPT_CRL_SIGNATURE);
	CASE(UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY);
	CASE(CERT_SIGNATURE_FAILURE);
	CASE(CRL_SIGNATURE_FAILURE);
	CASE(CERT_NOT_YET_VALID);
	CASE(CERT_HAS_EXPIRED);
	CASE(CRL_NOT_YET_VALID);
	CASE(CRL_HAS_EXPIRED);
	CASE(ERROR_IN_CERT_NOT_BEFORE_FIELD);
	CASE(ERROR_IN_CERT_NOT_AFTER_FIELD);
	CASE(ERROR_IN_CRL_LAST_UPDATE_FIELD);
	CASE(ERROR_IN_CRL_NEXT_UPDATE_FIELD);
	CASE(OUT_OF_MEM);
	CASE(DEPTH_ZERO_SELF_SIGNED_CERT);
	CASE(SELF_SIGNED_CERT_IN_CHAIN);
	CASE(UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	CASE(UNABLE_TO_VERIFY_LEAF_SIGNATURE);
	CASE(CERT_CHAIN_TOO_LONG);
	CASE(CERT_REVOKED);
	CASE(INVALID_CA);
	CASE(PATH_LENGTH_EXCEEDED);
	CASE(INVALID_PURPOSE);
	CASE(CERT_UNTRUSTED);
	CASE(CERT_REJECTED);
	CASE(HOSTNAME_MISMATCH);
#undef CASE
	default: return "UNSPECIFIED";
	}
}

static void TlsInfo(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	ConnState *c = Conn(info);
	if (!c)
		return;
	v8::Local<v8::Object> r = NewRecord(isolate);
	Put(ctx, r, "protocol", S(isolate, SSL_get_version(c->ssl)));
	if (const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl)) {
		Put(ctx, r, "cipher", S(isolate, SSL_CIPHER_get_name(cipher)));
		Put(ctx, r, "standardName", S(isolate, SSL_CIPHER_standard_name(cipher)));
		Put(ctx, r, "version", S(isolate, SSL_CIPHER_get_version(cipher)));
	}
	const unsigned char *alpn = nullptr;
	unsigned alpn_len = 0;
	SSL_get0_alpn_selected(c->ssl, &alpn, &alpn_len);
	if (alpn_len)
		Put(ctx, r, "alpn", Str(isolate, std::string((const char *)alpn, alpn_len)));
	if (const char *name = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name))
		Put(ctx, r, "servername", S(isolate, name));
	long v = SSL_get_verify_result(c->ssl);
	bool has_peer = SSL_get0_peer_certificate(c->ssl) != nullptr;
	if (!has_peer) {  // Node's word for a peer that sent no certificate
		Put(ctx, r, "verifyCode", S(isolate, "UNABLE_TO_GET_ISSUER_CERT"));
		Put(ctx, r, "verifyMessage", S(isolate, X509_verify_cert_error_string(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT)));
	} else if (v != X509_V_OK) {
		Put(ctx, r, "verifyCode", S(isolate, VerifyCode(v)));
		Put(ctx, r, "verifyMessage", S(isolate, X509_verify_cert_error_string(v)));
	}
	Put(ctx, r, "reused", v8::Boolean::New(isolate, SSL_session_reused(c->ssl) == 1));
	info.GetReturnValue().Set(r);
}

// An X509 name as Node shows it: { CN: 'a', O: 'b' }, a field named twice as an array.
static v8::Local<v8::Object> NameRecord(v8::Isolate *isolate, const X509_NAME *name)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> r = NewRecord(isolate);
	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		const char *sn = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
		char oid[80];
		if (!sn) {
			OBJ_obj2txt(oid, sizeof(oid), X509_NAME_ENTRY_get_object(e), 1);
			sn = oid;
		}
		unsigned char *utf8 = nullptr;
		int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
		if (n < 0)
			continue;
		v8::Local<v8::Value> value = Str(isolate, std::string((char *)utf8, (size_t)n));
		OPENSSL_free(utf8);
		v8::Local<v8::String> key = S(isolate, sn);
		v8::Local<v8::Value> old;
		if (r->HasOwnProperty(ctx, key).FromMaybe(false) && r->Get(ctx, key).ToLocal(&old)) {
			v8::Local<v8::Array> a;
			if (old->IsArray()) {
				a = old.As<v8::Array>();
			} else {
				a = v8::Array::New(isolate);
				a->Set(ctx, 0, old).Check();
			}
			a->Set(ctx, a->Length(), value).Check();
			value = a;
		}
		r->CreateDataProperty(ctx, key, value).Check();
	}
	return r;
}

static std::string Hex(const unsigned char *p, size_t n, bool colons)
{
	static const char digits[] = "0123456789ABCDEF";
	std::string s;
	for (size_t i = 0; i < n; i++) {
		if (colons && i)
			s += ':';
		s += digits[p[i] >> 4];
		s += digits[p[i] & 15];
	}
	return s;
}

static std::string BioText(BIO *bio)
{
	char *p = nullptr;
	long n = BIO_get_mem_data(bio, &p);
	return std::string(p ? p : "", n > 0 ? (size_t)n : 0);
}

// One certificate as Node's getPeerCertificate() shows it (the fields apps read).
static v8::Local<v8::Object> CertRecord(v8::Isolate *isolate, X509 *x)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> r = NewRecord(isolate);
	Put(ctx, r, "subject", NameRecord(isolate, X509_get_subject_name(x)));
	Put(ctx, r, "issuer", NameRecord(isolate, X509_get_issuer_name(x)));
	Put(ctx, r, "ca", v8::Boolean::New(isolate, X509_check_ca(x) != 0));

	BIO *bio = BIO_new(BIO_s_mem());
	if (GENERAL_NAMES *names = static_cast<GENERAL_NAMES *>(
		    X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr))) {
		std::string alt;
		for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
			std::string item;
			if (g->type == GEN_DNS || g->type == GEN_URI || g->type == GEN_EMAIL) {
				const char *prefix = g->type == GEN_DNS ? "DNS:" : g->type == GEN_URI ? "URI:" : "email:";
				ASN1_IA5STRING *s = g->d.ia5;
				item = prefix + std::string((const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
			} else if (g->type == GEN_IPADD) {
				const unsigned char *p = ASN1_STRING_get0_data(g->d.ip);
				int n = ASN1_STRING_length(g->d.ip);
				char buf[64];
				if (n == 4) {
					snprintf(buf, sizeof(buf), "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
				} else if (n == 16) {
					std::string s6;
					for (int k = 0; k < 16; k += 2) {
						char part[8];
						snprintf(part, sizeof(part), "%s%X", k ? ":" : "", (p[k] << 8) | p[k + 1]);
						s6 += part;
					}
					snprintf(buf, sizeof(buf), "%s", s6.c_str());
				} else {
					continue;
				}
				item = std::string("IP Address:") + buf;
			} else {
				continue;
			}
			alt += (alt.empty() ? "" : ", ") + item;
		}
		GENERAL_NAMES_free(names);
		Put(ctx, r, "subjectaltname", Str(isolate, alt));
	}
	if (bio) {
		ASN1_TIME_print(bio, X509_get0_notBefore(x));
		Put(ctx, r, "valid_from", Str(isolate, BioText(bio)));
		(void)BIO_reset(bio);
		ASN1_TIME_print(bio, X509_get0_notAfter(x));
		Put(ctx, r, "valid_to", Str(isolate, BioText(bio)));
		BIO_free(bio);
	}
	if (BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr)) {
		char *hex = BN_bn2hex(bn);
		Put(ctx, r, "serialNumber", S(isolate, hex));
		OPENSSL_free(hex);
		BN_free(bn);
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (X509_digest(x, EVP_sha1(), md, &n))
		Put(ctx, r, "fingerprint", Str(isolate, Hex(md, n, true)));
	if (X509_digest(x, EVP_sha256(), md, &n))
		Put(ctx, r, "fingerprint256", Str(isolate, Hex(md, n, true)));
	if (X509_digest(x, EVP_sha512(), md, &n))
		Put(ctx, r, "fingerprint512", Str(isolate, Hex(md, n, true)));
	if (EVP_PKEY *key = X509_get0_pubkey(x))
		Put(ctx, r, "bits", v8::Integer::New(isolate, EVP_PKEY_get_bits(key)));
	int der_len = i2d_X509(x, nullptr);
	if (der_len > 0) {
		auto store = v8::ArrayBuffer::NewBackingStore(isolate, (size_t)der_len);
		unsigned char *p = static_cast<unsigned char *>(store->Data());
		i2d_X509(x, &p);
		Put(ctx, r, "raw", v8::ArrayBuffer::New(isolate, std::move(store)));
	}
	ERR_clear_error();
	return r;
}

static void TlsPeerCertificates(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	ConnState *c = Conn(info);
	if (!c)
		return;
	v8::Local<v8::Array> out = v8::Array::New(isolate);
	X509 *leaf = SSL_get0_peer_certificate(c->ssl);
	if (!leaf)
		return info.GetReturnValue().Set(out);
	out->Set(ctx, 0, CertRecord(isolate, leaf)).Check();
	// The verified chain when there is one (it ends at the trust anchor), else what was sent.
	STACK_OF(X509) *chain = SSL_get0_verified_chain(c->ssl);
	if (!chain)
		chain = SSL_get_peer_cert_chain(c->ssl);
	for (int i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		if (X509_cmp(x, leaf) == 0)
			continue;
		out->Set(ctx, out->Length(), CertRecord(isolate, x)).Check();
	}
	info.GetReturnValue().Set(out);
}

static void TlsRootCertificates(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Array> out = v8::Array::New(isolate);
	X509_STORE *store = DefaultStore();
	STACK_OF(X509_OBJECT) *objs = store ? X509_STORE_get0_objects(store) : nullptr;
	BIO *bio = BIO_new(BIO_s_mem());
	for (int i = 0; bio && objs && i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
		if (!x || !PEM_write_bio_X509(bio, x))
			continue;
		out->Set(ctx, out->Length(), Str(isolate, BioText(bio))).Check();
		(void)BIO_reset(bio);
	}
	BIO_free(bio);
	ERR_clear_error();
	info.GetReturnValue().Set(out);
}

void AddTlsBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "tlsContext", TlsContext);
	SetMethod(ctx, b, "tlsNew", TlsNew);
	SetMethod(ctx, b, "tlsCycle", TlsCycle);
	SetMethod(ctx, b, "tlsShutdown", TlsShutdown);
	SetMethod(ctx, b, "tlsSetSession", TlsSetSession);
	SetMethod(ctx, b, "tlsGetSession", TlsGetSession);
	SetMethod(ctx, b, "tlsAskServername", TlsAskServername);
	SetMethod(ctx, b, "tlsUseContext", TlsUseContext);
	SetMethod(ctx, b, "tlsFree", TlsFree);
	SetMethod(ctx, b, "tlsInfo", TlsInfo);
	SetMethod(ctx, b, "tlsPeerCertificates", TlsPeerCertificates);
	SetMethod(ctx, b, "tlsRootCertificates", TlsRootCertificates);
}

}  // namespace rtjs
