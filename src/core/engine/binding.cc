// The native functions the runtime's own JavaScript imports as 'rtjs:binding'. Apps never
// see this object: js/internal/ wraps it in the documented globals (console, timers, rt).
// Every argument is still validated and every failure is a JavaScript exception: the values
// reach here from app code, and nothing an app passes may end the process.
#include "app.h"
#include "apps.h"

#include <cstdlib>
#include <cstring>

extern "C" {
#include "platform/platform.h"
}

namespace rtjs {

v8::Local<v8::String> Str(v8::Isolate *isolate, const std::string &s)
{
	// Only a string past V8's length limit fails; none of ours come near it.
	return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
				       (int)s.size())
		.FromMaybe(v8::String::Empty(isolate));
}

std::string ToStd(v8::Isolate *isolate, v8::Local<v8::Value> v)
{
	v8::String::Utf8Value utf8(isolate, v);
	return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

void ThrowError(v8::Isolate *isolate, const std::string &message)
{
	isolate->ThrowException(v8::Exception::Error(Str(isolate, message)));
}

void ThrowTypeError(v8::Isolate *isolate, const std::string &message)
{
	v8::Local<v8::Value> err = v8::Exception::TypeError(Str(isolate, message));
	// An own data property: a setter on Error.prototype never sees the error being built.
	Put(isolate->GetCurrentContext(), err.As<v8::Object>(), "code",
	    Str(isolate, "ERR_INVALID_ARG_TYPE"));
	isolate->ThrowException(err);
}

bool Require(const v8::FunctionCallbackInfo<v8::Value> &info, bool ok, const char *what)
{
	if (!ok)
		ThrowTypeError(info.GetIsolate(), std::string("binding: ") + what);
	return ok;
}

v8::Local<v8::Object> NewRecord(v8::Isolate *isolate)
{
	return v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
}

bool Put(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o, const char *key,
	 v8::Local<v8::Value> value)
{
	return o->CreateDataProperty(ctx, Str(ctx->GetIsolate(), key), value).FromMaybe(false);
}

// print(stream, text): stream 1 is stdout, 2 stderr.
static void Print(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsInt32() && info[1]->IsString(), "print(stream, text)"))
		return;
	std::string text = ToStd(info.GetIsolate(), info[1]);
	platform_console_write(info[0].As<v8::Int32>()->Value(), text.data(), text.size());
}

static void TimerStart(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsUint32() && info[1]->IsNumber(), "timerStart(id, ms[, unref])"))
		return;
	App::From(info)->TimerStart(info[0].As<v8::Uint32>()->Value(),
				info[1].As<v8::Number>()->Value(), !info[2]->IsTrue());
}

// timerRef(id, ref): whether timer `id` keeps the app alive.
static void TimerRef(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsUint32(), "timerRef(id, ref)"))
		return;
	App::From(info)->TimerRef(info[0].As<v8::Uint32>()->Value(), info[1]->BooleanValue(info.GetIsolate()));
}

static void TimerStop(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsUint32(), "timerStop(id)"))
		return;
	App::From(info)->TimerStop(info[0].As<v8::Uint32>()->Value());
}

static void EnqueueMicrotask(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsFunction(), "enqueueMicrotask(fn)"))
		return;
	info.GetIsolate()->EnqueueMicrotask(info[0].As<v8::Function>());
}

static void Exit(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsInt32(), "exit(code)"))
		return;
	App::From(info)->Exit(info[0].As<v8::Int32>()->Value(), "exit");
}

// setHooks({ onTimer, onInput, inspect }): the JS entry points the native side calls.
static void SetHooks(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsObject(), "setHooks(hooks)"))
		return;
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> hooks = info[0].As<v8::Object>();
	App *app = App::From(info);
	struct {
		const char *name;
		App::HookId id;
	} table[] = { { "onTimer", App::HookId::kTimer },     { "onInput", App::HookId::kInput },
		      { "inspect", App::HookId::kInspect },     { "onMessage", App::HookId::kMessage },
		      { "onAppExit", App::HookId::kAppExit },   { "onIrq", App::HookId::kIrq },
		      { "onUncaught", App::HookId::kUncaught } };
	for (auto &entry : table) {
		v8::Local<v8::Value> fn;
		if (hooks->Get(ctx, Str(isolate, entry.name)).ToLocal(&fn) && fn->IsFunction())
			app->SetHook(entry.id, fn.As<v8::Function>());
	}
}

// evalScript(source, name, interactive): runs a classic script in the app's global scope
// (the REPL, -e). Interactive (a REPL line, where the platform delivers input while
// JavaScript runs): the watchdog leaves the line alone and Ctrl-C ends it instead, with an
// Error, and the app goes on.
static void EvalScript(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsString() && info[1]->IsString(), "evalScript(source, name)"))
		return;
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	App *app = App::From(info);
	bool interactive = info[2]->IsTrue() && platform_console_input_concurrent();
	v8::ScriptOrigin origin(isolate, info[1]);
	v8::Local<v8::Script> script;
	v8::Local<v8::Value> result;
	if (!v8::Script::Compile(ctx, info[0].As<v8::String>(), &origin).ToLocal(&script))
		return;  // the exception propagates to the caller
	if (interactive)
		app->BeginInteractive();
	bool ok = script->Run(ctx).ToLocal(&result);
	if (interactive) {
		if (app->EndInteractive() && isolate->IsExecutionTerminating()) {
			isolate->CancelTerminateExecution();
			ThrowError(isolate, "Script execution was interrupted by Ctrl-C");
			return;
		}
	}
	if (ok)
		info.GetReturnValue().Set(result);
}

struct InputTask {
	struct task task;
	App *app;
	bool eof;
	size_t len;
	uint8_t bytes[];
};

static void RunInput(struct task *t)
{
	InputTask *in = reinterpret_cast<InputTask *>(t);
	App *app = in->app;
	if (!app->exited() && app->HasHook(App::HookId::kInput)) {
		app->RunTask([&] {
			v8::Isolate *isolate = app->isolate();
			v8::Local<v8::Value> arg = v8::Null(isolate);
			if (!in->eof) {
				// Not from the app's allocator: V8 treats a refused allocation here as a
				// fatal error, and a few bytes of input are not the app's to account.
				void *copy = malloc(in->len ? in->len : 1);
				if (!copy)
					return true;
				memcpy(copy, in->bytes, in->len);
				auto store = v8::ArrayBuffer::NewBackingStore(
					copy, in->len, [](void *data, size_t, void *) { free(data); }, nullptr);
				auto buffer = v8::ArrayBuffer::New(isolate, std::move(store));
				arg = v8::Uint8Array::New(buffer, 0, in->len);
			}
			return !app->Hook(App::HookId::kInput)
					->Call(app->context(), v8::Undefined(isolate), 1, &arg)
					.IsEmpty();
		});
	}
	free(in);
}

static void DropInput(struct task *t)
{
	free(t);
}

// The ASCII control code Ctrl-C sends (ETX).
static const uint8_t kCtrlC = 0x03;

// Runs on the platform's input thread: copy, post, wake. Ctrl-C while a REPL line runs
// ends that line now (the byte is consumed: it must not also cancel the next line).
static void OnConsoleInput(void *ctx, const uint8_t *bytes, size_t len, int eof)
{
	App *app = static_cast<App *>(ctx);
	if (len && memchr(bytes, kCtrlC, len) && app->InterruptInteractive()) {
		app->isolate()->TerminateExecution();
		uint8_t *kept = static_cast<uint8_t *>(malloc(len));
		if (!kept)
			return;
		size_t n = 0;
		for (size_t i = 0; i < len; i++)
			if (bytes[i] != kCtrlC)
				kept[n++] = bytes[i];
		if (n)
			OnConsoleInput(ctx, kept, n, eof);
		free(kept);
		return;
	}
	InputTask *in = static_cast<InputTask *>(malloc(sizeof(InputTask) + len));
	if (!in)
		return;
	in->task.run = RunInput;
	in->task.drop = DropInput;
	in->app = app;
	in->eof = eof;
	in->len = len;
	if (len)
		memcpy(in->bytes, bytes, len);
	loop_post(app->loop(), &in->task);
}

static void ConsoleInputStart(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsBoolean(), "consoleInputStart(raw)"))
		return;
	App *app = App::From(info);
	if (app->input_active())
		return;
	int rc = platform_console_input_start(OnConsoleInput, app, info[0]->IsTrue());
	if (rc < 0) {
		ThrowError(info.GetIsolate(), "console input: cannot start (" +
						      std::string(strerror(-rc)) + ")");
		return;
	}
	app->SetInputActive(true);
	loop_ref(app->loop());
}

static void ConsoleInputStop(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	if (!app->input_active())
		return;
	app->SetInputActive(false);
	platform_console_input_stop();
	loop_unref(app->loop());
}

static void IsTerminal(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set(platform_console_is_terminal() != 0);
}

// terminalColumns() -> the console terminal's width, 0 when unknown (asked again on every
// keystroke by the REPL, which so follows a resize).
static void TerminalColumns(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set(platform_console_columns());
}

// now(): monotonic milliseconds, fractional (performance.now()).
static void Now(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set((double)platform_monotonic_ns() / NS_PER_MS);
}

static void WallTime(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set((double)platform_wall_ns() / NS_PER_MS);
}

// powerOff(status) / reboot(): the machine itself. Only init may: it holds the machine, and
// every other app was started by it.
static bool MayPower(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	if (app->id() == kInitAppId)
		return true;
	ThrowError(info.GetIsolate(), app->Label() + " cannot power the machine off or reboot it: only init can");
	return false;
}

static void PowerOff(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsInt32(), "powerOff(status)"))
		return;
	if (MayPower(info))
		platform_poweroff(info[0].As<v8::Int32>()->Value());
}

static void Reboot(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (MayPower(info))
		platform_reboot();
}

// promiseState(p) -> { state, value? } for inspect (JavaScript cannot peek at a promise);
// undefined for anything that is not a real promise (Object.create(Promise.prototype) is not).
// The record has no prototype, so reading `value` of a pending promise runs no getter.
static void PromiseState(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsPromise())
		return;
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Promise> p = info[0].As<v8::Promise>();
	v8::Local<v8::Object> out = NewRecord(isolate);
	static const char *const names[] = { "pending", "fulfilled", "rejected" };
	if (!Put(ctx, out, "state", Str(isolate, names[p->State()])))
		return;
	if (p->State() != v8::Promise::kPending && !Put(ctx, out, "value", p->Result()))
		return;
	info.GetReturnValue().Set(out);
}

// asyncContext() / setAsyncContext(v): V8's continuation-preserved embedder data, a value
// of the context that every promise reaction captures when it is created and restores
// while it runs (await included). AsyncLocalStorage keeps its stores there.
static void AsyncContext(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set(info.GetIsolate()->GetCurrentContext()->GetContinuationPreservedEmbedderData());
}

static void SetAsyncContext(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetIsolate()->GetCurrentContext()->SetContinuationPreservedEmbedderData(info[0]);
}

// proxyTarget(v) -> the target of a proxy, null if revoked, undefined for a non-proxy.
static void ProxyTarget(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsProxy())
		return;
	v8::Local<v8::Proxy> proxy = info[0].As<v8::Proxy>();
	if (proxy->IsRevoked())
		info.GetReturnValue().SetNull();
	else
		info.GetReturnValue().Set(proxy->GetTarget());
}

void(SetMethod)(v8::Local<v8::Context> ctx, v8::Local<v8::Object> target, const char *name,
		v8::FunctionCallback fn)
{
	v8::Isolate *isolate = ctx->GetIsolate();
	// At bootstrap, before any app code: only running out of memory could fail here.
	v8::Local<v8::Function> f = v8::Function::New(ctx, fn).ToLocalChecked();
	f->SetName(Str(isolate, name));
	Put(ctx, target, name, f);
}

v8::Local<v8::Object> CreateBinding(App *app)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Object> b = NewRecord(isolate);
	SetMethod(ctx, b, "print", Print);
	SetMethod(ctx, b, "timerStart", TimerStart);
	SetMethod(ctx, b, "timerStop", TimerStop);
	SetMethod(ctx, b, "timerRef", TimerRef);
	SetMethod(ctx, b, "enqueueMicrotask", EnqueueMicrotask);
	SetMethod(ctx, b, "exit", Exit);
	SetMethod(ctx, b, "setHooks", SetHooks);
	SetMethod(ctx, b, "evalScript", EvalScript);
	SetMethod(ctx, b, "consoleInputStart", ConsoleInputStart);
	SetMethod(ctx, b, "consoleInputStop", ConsoleInputStop);
	SetMethod(ctx, b, "isTerminal", IsTerminal);
	SetMethod(ctx, b, "terminalColumns", TerminalColumns);
	SetMethod(ctx, b, "now", Now);
	SetMethod(ctx, b, "wallTime", WallTime);
	SetMethod(ctx, b, "promiseState", PromiseState);
	SetMethod(ctx, b, "powerOff", PowerOff);
	SetMethod(ctx, b, "reboot", Reboot);
	SetMethod(ctx, b, "proxyTarget", ProxyTarget);
	SetMethod(ctx, b, "asyncContext", AsyncContext);
	SetMethod(ctx, b, "setAsyncContext", SetAsyncContext);
	AddAppsBinding(app, ctx, b);
	AddHwBinding(app, ctx, b);
	AddModulesBinding(app, ctx, b);
	AddProcessBinding(app, ctx, b);
	AddWebBinding(app, ctx, b);
	AddCryptoBinding(app, ctx, b);
	AddPkeyBinding(app, ctx, b);
	AddDhBinding(app, ctx, b);
	AddZlibBinding(app, ctx, b);
	AddV8Binding(app, ctx, b);
	AddTlsBinding(app, ctx, b);
	AddFilesBinding(app, ctx, b);
	return b;
}

void AddAppState(App *app, v8::Local<v8::Object> b)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	std::vector<v8::Local<v8::Value>> args;
	for (const std::string &a : app->argv())
		args.push_back(Str(isolate, a));
	Put(ctx, b, "argv", v8::Array::New(isolate, args.data(), args.size()));
	v8::Local<v8::Object> env = NewRecord(isolate);
	for (const auto &[name, value] : app->env())
		Put(ctx, env, name.c_str(), Str(isolate, value));
	Put(ctx, b, "env", env);
	Put(ctx, b, "appName", Str(isolate, app->name()));
	Put(ctx, b, "mainPath", Str(isolate, app->main_path()));
	Put(ctx, b, "evalSource", Str(isolate, app->eval_source()));
	Put(ctx, b, "printEval", v8::Boolean::New(isolate, app->print_eval()));
	AddAppsState(app, ctx, b);
}

}  // namespace rtjs
