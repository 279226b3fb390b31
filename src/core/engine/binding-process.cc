// What node:process and node:os read from the runtime: the app's heap use and V8's version.
#include "app.h"

#include <cstring>
#include <sys/sysinfo.h>

namespace rtjs {

// heapStats(): [rss-like total physical, heapTotal, heapUsed, external] in bytes.
static void HeapStats(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::HeapStatistics stats;
	isolate->GetHeapStatistics(&stats);
	double values[] = { (double)stats.total_physical_size(), (double)stats.total_heap_size(),
			    (double)stats.used_heap_size(), (double)stats.external_memory() };
	// Made with its elements: Set would run index setters an app put on Array.prototype.
	v8::Local<v8::Value> elements[4];
	for (uint32_t i = 0; i < 4; i++)
		elements[i] = v8::Number::New(isolate, values[i]);
	info.GetReturnValue().Set(v8::Array::New(isolate, elements, 4));
}

// memoryInfo(): [total, free] memory of the machine in bytes, as sysinfo(2) gives them: on the
// kernel its physical pages (the page allocator's counts), hosted the host's, as Node's
// os.totalmem()/freemem() give them. An app's V8 heap limit is a separate, smaller bound.
static void MemoryInfo(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	struct sysinfo si;
	if (sysinfo(&si) != 0)
		return ThrowError(isolate, "memoryInfo: sysinfo failed");
	double unit = si.mem_unit ? (double)si.mem_unit : 1.0;
	v8::Local<v8::Value> elements[] = { v8::Number::New(isolate, (double)si.totalram * unit),
					    v8::Number::New(isolate, (double)si.freeram * unit) };
	info.GetReturnValue().Set(v8::Array::New(isolate, elements, 2));
}

// appMemory(): [limit, used] of the calling app's memory account in bytes (memory.h): its V8
// heap as last sampled plus the ArrayBuffers it holds, against the limit an allocation may
// not pass. The app's own bound, as a cgroup's is a Linux process's.
static void AppMemory(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	const Account &account = *App::From(info)->account();
	v8::Local<v8::Value> elements[] = { v8::Number::New(isolate, (double)account.limit),
					    v8::Number::New(isolate, (double)account.used()) };
	info.GetReturnValue().Set(v8::Array::New(isolate, elements, 2));
}

// setProcessHook(fn): fn(event, value, extra) is called for 'uncaughtException' (extra:
// its origin) and 'unhandledRejection' (extra: the promise), true when a listener handled
// it and the app goes on; for 'beforeExit' and 'exit' (the app's status, when it ends by
// itself).
static void SetProcessHook(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsFunction())
		return ThrowError(info.GetIsolate(), "setProcessHook: a function expected");
	App::From(info)->SetHook(App::HookId::kProcess, info[0].As<v8::Function>());
}

// Calls the process hook; true when it returned true. An exception it throws from an
// error event or 'exit' ends the app (it is reported, status 7 as Node's "internal
// exception handler" failure).
bool App::CallProcessHook(const char *event, v8::Local<v8::Value> arg,
			  v8::Local<v8::Value> *result, v8::Local<v8::Value> extra)
{
	static const int kExitHandlerFailed = 7;
	if (!HasHook(HookId::kProcess) || exited_ || isolate_->IsExecutionTerminating())
		return false;
	v8::Local<v8::Context> ctx = context();
	v8::Local<v8::Value> args[] = { Str(isolate_, event), arg,
					extra.IsEmpty() ? v8::Undefined(isolate_).As<v8::Value>() : extra };
	v8::Local<v8::Value> out;
	v8::TryCatch tc(isolate_);
	if (!Hook(HookId::kProcess)->Call(ctx, v8::Undefined(isolate_), 3, args).ToLocal(&out)) {
		// 'beforeExit' listeners run as any callback of the loop does (Node emits it from
		// native code): what they throw is an ordinary uncaught exception.
		if (!exited_ && strcmp(event, "beforeExit") == 0) {
			HandleUncaught(tc);
			return false;
		}
		if (!exited_ && tc.HasCaught() && !tc.HasTerminated()) {
			ReportException(tc.Exception(), tc.Message(), "Uncaught ");
			Exit(kExitHandlerFailed, "error");
		}
		return false;
	}
	RunTicksAndMicrotasks();
	if (result)
		*result = out;
	return out->IsTrue();
}

// scheduleTicks(fn): process.nextTick queued work; fn runs it at the end of the task.
static void ScheduleTicks(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsFunction())
		return ThrowError(info.GetIsolate(), "scheduleTicks: a function expected");
	App::From(info)->ScheduleTicks(info[0].As<v8::Function>());
}

// runTicksAndMicrotasks(): what the end of a task runs, run now: between two callbacks the
// runtime makes in one task (immediates), as Node runs its queues after each.
static void RunTicksNow(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	app->RunTicksAndMicrotasks();
	// A tick that ended the app (an uncaught error, process.exit) ends the caller's code too.
	if (app->exited())
		info.GetIsolate()->TerminateExecution();
}

void AddProcessBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "heapStats", HeapStats);
	SetMethod(ctx, b, "memoryInfo", MemoryInfo);
	SetMethod(ctx, b, "appMemory", AppMemory);
	SetMethod(ctx, b, "setProcessHook", SetProcessHook);
	SetMethod(ctx, b, "scheduleTicks", ScheduleTicks);
	SetMethod(ctx, b, "runTicksAndMicrotasks", RunTicksNow);
	Put(ctx, b, "v8Version", Str(ctx->GetIsolate(), v8::V8::GetVersion()));
}

}  // namespace rtjs
