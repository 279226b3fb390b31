// The web-platform half of 'rtjs:binding': what js/internal/ cannot do in JavaScript.
//   structuredClone(value, transfer) -> the clone (V8's ValueSerializer, as IPC uses)
//   postImmediate()                  -> the timers hook runs with id 0 in a task of its own
//   domainToASCII(domain, beStrict)  -> UTS #46 ToASCII as the URL Standard asks, or null
//   decoderNew(icuName, fatal) / decode(handle, bytes, flush) -> string   legacy encodings (ICU)
//   utf8Encode(string) -> Uint8Array           TextEncoder.encode (lone surrogates: U+FFFD)
//   utf8EncodeInto(string, Uint8Array) -> [read, written]   TextEncoder.encodeInto: as much as
//                                       fits, never half a character (read counts UTF-16 units)
//   getenv(name)                     -> the variable's value or undefined (NO_COLOR for the REPL)
//   writeFile(path, text, append)    -> undefined, or why the platform's own file system
//                                       refused (the REPL's .save and history, hosted)
//   checkSyntax(source, name, kind)  compiles without running ('module', 'commonjs', or a
//                                       classic 'script'); a SyntaxError is thrown (--check)
#include "app.h"
#include "handles.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/uidna.h>

#include <vector>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "core/loop.h"
}

namespace rtjs {

// The timer id the timers hook reads as "run the immediates" (timer ids start at 1).
static const uint32_t kImmediateTimerId = 0;

static void StructuredClone(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	std::unique_ptr<Serialized> s = Serialize(App::From(info), info[0], info[1]);
	v8::Local<v8::Value> clone;
	if (s && App::From(info)->Deserialize(*s).ToLocal(&clone))
		info.GetReturnValue().Set(clone);
}

struct ImmediateTask {
	struct task task;
	App *app;
};

static void RunImmediate(struct task *t)
{
	ImmediateTask *im = reinterpret_cast<ImmediateTask *>(t);
	App *app = im->app;
	delete im;
	if (app->exited() || !app->HasHook(App::HookId::kTimer))
		return;
	app->RunTask([&] {
		v8::Isolate *isolate = app->isolate();
		v8::Local<v8::Value> arg = v8::Integer::NewFromUnsigned(isolate, kImmediateTimerId);
		return !app->Hook(App::HookId::kTimer)
				->Call(app->context(), v8::Undefined(isolate), 1, &arg)
				.IsEmpty();
	});
}

static void DropImmediate(struct task *t)
{
	delete reinterpret_cast<ImmediateTask *>(t);
}

// A task rather than a timer: immediates run after what is already queued, with no 1 ms floor.
// The task holds no reference: js/internal/timers.js keeps the app alive (keepAlive) while
// a ref'd immediate waits, so that an unref'd one, as in Node, does not.
static void PostImmediate(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	ImmediateTask *im = new ImmediateTask();
	im->task.run = RunImmediate;
	im->task.drop = DropImmediate;
	im->app = app;
	loop_post(app->loop(), &im->task);
}

// The URL Standard's "domain to ASCII": UTS #46 ToASCII with CheckBidi, CheckJoiners and
// nontransitional processing; CheckHyphens off; UseSTD3ASCIIRules and VerifyDnsLength only
// when beStrict. ICU always checks hyphens and lengths, so those errors are dropped here.
static void DomainToASCII(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string domain = ToStd(isolate, info[0]);
	bool strict = info[1]->IsTrue();
	UErrorCode status = U_ZERO_ERROR;
	uint32_t options = UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII;
	if (strict)
		options |= UIDNA_USE_STD3_RULES;
	UIDNA *idna = uidna_openUTS46(options, &status);
	if (U_FAILURE(status)) {
		ThrowError(isolate, std::string("domainToASCII: ICU: ") + u_errorName(status));
		return;
	}
	std::string out(domain.size() * 4 + 64, '\0');
	UIDNAInfo uinfo = UIDNA_INFO_INITIALIZER;
	int32_t len = uidna_nameToASCII_UTF8(idna, domain.data(), (int32_t)domain.size(), &out[0],
					     (int32_t)out.size(), &uinfo, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		status = U_ZERO_ERROR;
		out.resize((size_t)len);
		uinfo = UIDNA_INFO_INITIALIZER;
		len = uidna_nameToASCII_UTF8(idna, domain.data(), (int32_t)domain.size(), &out[0],
					     (int32_t)out.size(), &uinfo, &status);
	}
	uidna_close(idna);
	uint32_t errors = uinfo.errors;
	errors &= ~(uint32_t)(UIDNA_ERROR_HYPHEN_3_4 | UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN);
	if (!strict)
		errors &= ~(uint32_t)(UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
				      UIDNA_ERROR_DOMAIN_NAME_TOO_LONG);
	if (U_FAILURE(status) || errors) {
		info.GetReturnValue().SetNull();
		return;
	}
	out.resize((size_t)len);
	info.GetReturnValue().Set(Str(isolate, out));
}

// A TextDecoder for an encoding other than UTF-8: an ICU converter, owned by a JavaScript
// object and closed when that is collected. Fatal decoders stop at the first malformed
// sequence; the others substitute U+FFFD, as the Encoding Standard's "replacement" mode.
struct Decoder {
	UConverter *cnv = nullptr;
	v8::Global<v8::Object> owner;
	~Decoder()
	{
		if (cnv)
			ucnv_close(cnv);
	}
};

static const HandleKind kDecoderKind{ "text decoder" };

// V8's own UTF-8 writer: no terminating NUL; unpaired surrogates become U+FFFD, as the
// Encoding Standard's UTF-8 encoder (via USVString conversion) requires.
static const int kUtf8WriteFlags = v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8;

static void Utf8Encode(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::String> str;
	if (!info[0]->ToString(isolate->GetCurrentContext()).ToLocal(&str))
		return;
	size_t len = (size_t)str->Utf8Length(isolate);
	std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(isolate, len);
	if (len)
		str->WriteUtf8(isolate, static_cast<char *>(store->Data()), (int)len, nullptr, kUtf8WriteFlags);
	v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, std::move(store));
	info.GetReturnValue().Set(v8::Uint8Array::New(ab, 0, len));
}

static void Utf8EncodeInto(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::String> str;
	if (!info[1]->IsUint8Array())
		return ThrowError(isolate, "utf8EncodeInto(string, Uint8Array)");
	if (!info[0]->ToString(ctx).ToLocal(&str))
		return;
	v8::Local<v8::Uint8Array> view = info[1].As<v8::Uint8Array>();
	char *dest = static_cast<char *>(view->Buffer()->GetBackingStore()->Data());
	int read = 0;
	int written = 0;
	if (view->ByteLength() && dest)
		written = str->WriteUtf8(isolate, dest + view->ByteOffset(), (int)view->ByteLength(), &read, kUtf8WriteFlags);
	v8::Local<v8::Array> out = v8::Array::New(isolate, 2);
	out->Set(ctx, 0, v8::Integer::New(isolate, read)).Check();
	out->Set(ctx, 1, v8::Integer::New(isolate, written)).Check();
	info.GetReturnValue().Set(out);
}

// A decoding error becomes U+FFFD, as every decoder of the Encoding Standard emits: ICU's
// own substitution writes U+001A for converters whose substitution byte is 0x1A (Shift_JIS).
static void ToUReplacement(const void *, UConverterToUnicodeArgs *args, const char *, int32_t,
			   UConverterCallbackReason reason, UErrorCode *err)
{
	static const UChar kReplacement = 0xfffd;
	if (reason > UCNV_IRREGULAR)
		return;  // reset, close, clone: nothing to write
	*err = U_ZERO_ERROR;
	ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

static void DecoderNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string name = ToStd(isolate, info[0]);
	UErrorCode status = U_ZERO_ERROR;
	Decoder *d = new Decoder();
	d->cnv = ucnv_open(name.c_str(), &status);
	if (U_SUCCESS(status))
		ucnv_setToUCallBack(d->cnv, info[1]->IsTrue() ? UCNV_TO_U_CALLBACK_STOP : ToUReplacement,
				    nullptr, nullptr, nullptr, &status);
	if (U_FAILURE(status)) {
		delete d;
		return ThrowError(isolate, "TextDecoder: ICU has no converter '" + name + "' (" + u_errorName(status) + ")");
	}
	v8::Local<v8::Object> o;
	if (NewHandle(isolate, kDecoderKind, d).ToLocal(&o))
		info.GetReturnValue().Set(o);
}

static void Decode(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	Decoder *d = HandleState<Decoder>(info[0], kDecoderKind);
	if (!d || !info[1]->IsArrayBufferView())
		return ThrowError(isolate, "decode(handle, bytes, flush)");
	v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
	auto store = view->Buffer()->GetBackingStore();
	const char *src = static_cast<const char *>(store->Data()) + view->ByteOffset();
	const char *src_end = src + view->ByteLength();
	bool flush = info[2]->IsTrue();
	// One UTF-16 unit per byte, plus room for what the converter held back, suffices for
	// every single- and multi-byte encoding; the loop grows it otherwise.
	std::vector<UChar> out(view->ByteLength() + 16);
	size_t used = 0;
	for (;;) {
		UChar *target = out.data() + used;
		UErrorCode status = U_ZERO_ERROR;
		ucnv_toUnicode(d->cnv, &target, out.data() + out.size(), &src, src_end, nullptr, flush, &status);
		used = (size_t)(target - out.data());
		if (status == U_BUFFER_OVERFLOW_ERROR) {
			out.resize(out.size() * 2);
			continue;
		}
		if (U_FAILURE(status)) {
			ucnv_resetToUnicode(d->cnv);
			UErrorCode name_status = U_ZERO_ERROR;
			const char *name = ucnv_getName(d->cnv, &name_status);
			isolate->ThrowException(v8::Exception::TypeError(Str(isolate,
				std::string("The encoded data was not valid for encoding ") + (name ? name : "?"))));
			return;
		}
		break;
	}
	if (flush)
		ucnv_resetToUnicode(d->cnv);
	v8::Local<v8::String> result;
	if (!v8::String::NewFromTwoByte(isolate, reinterpret_cast<const uint16_t *>(out.data()),
					v8::NewStringType::kNormal, (int)used)
		     .ToLocal(&result))
		return;
	info.GetReturnValue().Set(result);
}

static void GetEnv(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	std::string name = ToStd(info.GetIsolate(), info[0]);
	const char *value = getenv(name.c_str());
	if (value)
		info.GetReturnValue().Set(Str(info.GetIsolate(), value));
}

static void WriteFile(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsString() && info[1]->IsString(), "writeFile(path, text, append)"))
		return;
	v8::Isolate *isolate = info.GetIsolate();
	std::string path = ToStd(isolate, info[0]);
	std::string text = ToStd(isolate, info[1]);
	FILE *f = fopen(path.c_str(), info[2]->IsTrue() ? "ab" : "wb");
	bool ok = f && fwrite(text.data(), 1, text.size(), f) == text.size();
	int err = errno;
	if (f && fclose(f) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok)
		info.GetReturnValue().Set(Str(isolate, strerror(err)));
}

static void CheckSyntax(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsString() && info[1]->IsString() && info[2]->IsString(),
		     "checkSyntax(source, name, kind)"))
		return;
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	std::string kind = ToStd(isolate, info[2]);
	bool module = kind == "module";
	v8::ScriptOrigin origin(isolate, info[1], 0, 0, false, -1, v8::Local<v8::Value>(), false, false, module);
	v8::Local<v8::String> text = info[0].As<v8::String>();
	if (module) {
		v8::ScriptCompiler::Source src(text, origin);
		v8::Local<v8::Module> m;
		if (!v8::ScriptCompiler::CompileModule(isolate, &src).ToLocal(&m))
			return;
	} else if (kind == "commonjs") {
		// A CommonJS module is the body of a function of these five (Node's wrapper); a
		// leading #! line is a comment to it, as Node strips it.
		std::string body = ToStd(isolate, text);
		if (body.compare(0, 2, "#!") == 0)
			body.replace(0, 2, "//");
		v8::ScriptCompiler::Source src(Str(isolate, body), origin);
		v8::Local<v8::String> params[] = { Str(isolate, "exports"), Str(isolate, "require"),
						   Str(isolate, "module"), Str(isolate, "__filename"),
						   Str(isolate, "__dirname") };
		v8::Local<v8::Function> fn;
		if (!v8::ScriptCompiler::CompileFunction(ctx, &src, 5, params, 0, nullptr).ToLocal(&fn))
			return;
	} else {
		v8::Local<v8::Script> script;
		if (!v8::Script::Compile(ctx, text, &origin).ToLocal(&script))
			return;
	}
	// A failed compile returned above with its SyntaxError pending for the caller.
}

void AddWebBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	SetMethod(ctx, b, "structuredClone", StructuredClone);
	SetMethod(ctx, b, "postImmediate", PostImmediate);
	SetMethod(ctx, b, "domainToASCII", DomainToASCII);
	SetMethod(ctx, b, "getenv", GetEnv);
	SetMethod(ctx, b, "writeFile", WriteFile);
	SetMethod(ctx, b, "checkSyntax", CheckSyntax);
	SetMethod(ctx, b, "utf8Encode", Utf8Encode);
	SetMethod(ctx, b, "utf8EncodeInto", Utf8EncodeInto);
	SetMethod(ctx, b, "decoderNew", DecoderNew);
	SetMethod(ctx, b, "decode", Decode);
}

}  // namespace rtjs
