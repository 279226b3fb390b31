// V8's process-wide set-up and the lifetime of an app (isolate): creation, bootstrap,
// tasks, exceptions, promise rejections, heap limit, exit.
#include "app.h"

#include <libplatform/libplatform.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "apps.h"
#include "code-cache.h"
#include "free-ranges.h"

extern "C" {
#include "core/engines.h"
}

extern "C" {
#include "platform/platform.h"
}

namespace rtjs {

static std::unique_ptr<v8::Platform> g_platform;
// The V8 flags engine_init set: a startup snapshot is used only with the flags it was made with.
static std::string g_flags;
// The snapshot's file when --snapshot names none: the program's own path and a suffix
// (build/rtjs-sim.snapshot, /bin/rtjs.single-threaded.snapshot on the kernel): one per
// program, as each is its own build, and per V8 flag set the program runs with.
static std::string SnapshotBesideProgram(bool single_threaded)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return "";
	return std::string(exe, (size_t)n) + (single_threaded ? ".single-threaded.snapshot" : ".snapshot");
}
// --v8-flags asked for V8's snapshot checksum check (ShouldVerifyChecksum below).
static bool g_verify_snapshot_checksum = false;

static constexpr size_t kDefaultHeapLimitMb = 512;
static constexpr double kDefaultBudgetMs = 1000;
static constexpr size_t kMb = 1024 * 1024;
// Room V8 may use past the limit to finish the allocation that hit it and unwind the app
// (which is then ended). A single allocation can be as large as V8's largest object (a
// FixedArray of 2^27 elements: 1 GB), and one V8 cannot complete is a fatal error of the
// whole process, so the first time the room covers it; later calls, while the app unwinds,
// only give a little more.
static constexpr size_t kHeapUnwindSlackMb = 1024;
static constexpr size_t kHeapUnwindMoreMb = 64;
static constexpr uint64_t kHeapSamplePeriodNs = 50 * 1000 * 1000;

uint64_t MonotonicNs()
{
	return platform_monotonic_ns();
}

static void PromiseRejected(v8::PromiseRejectMessage msg)
{
	App::From(msg.GetPromise()->GetIsolate())->NotePromiseRejection(msg);
}

void App::NotePromiseRejection(v8::PromiseRejectMessage &msg)
{
	v8::Local<v8::Promise> promise = msg.GetPromise();
	v8::Isolate *isolate = isolate_;
	auto &list = rejections_;
	switch (msg.GetEvent()) {
	case v8::kPromiseRejectWithNoHandler:
		list.emplace_back(v8::Global<v8::Promise>(isolate, promise),
				  v8::Global<v8::Value>(isolate, msg.GetValue()));
		break;
	case v8::kPromiseHandlerAddedAfterReject:
		for (auto it = list.begin(); it != list.end(); ++it) {
			if (it->first.Get(isolate) == promise) {
				list.erase(it);
				break;
			}
		}
		break;
	default:
		break;
	}
}

// Exceptions that no TryCatch saw: thrown from microtasks (queueMicrotask callbacks).
static void UncaughtMessage(v8::Local<v8::Message> message, v8::Local<v8::Value> error)
{
	App *app = App::From(message->GetIsolate());
	app->UncaughtError(error, message, App::ErrorOrigin::kThrow);
}

App::App(SpawnRequest &req, v8::Isolate *isolate)
	: id_(req.id),
	  parent_id_(req.parent),
	  engine_(req.engine),
	  name_(req.name),
	  main_(req.file),
	  source_(req.source),
	  from_source_(req.from_source),
	  classic_script_(req.classic_script),
	  eval_source_(req.eval_source),
	  print_eval_(req.print_eval),
	  preload_(req.preload),
	  argv_(req.argv),
	  env_(req.env),
	  heap_limit_mb_(req.heap_limit_mb ? req.heap_limit_mb : kDefaultHeapLimitMb),
	  budget_ms_(req.budget_ms > 0 ? req.budget_ms : kDefaultBudgetMs),
	  init_payload_(std::move(req.payload)),
	  resources_(req.resources),
	  permission_flags_(req.permission_flags),
	  loop_(engine_loop(req.engine))
{
	account_ = std::make_shared<Account>();
	account_->limit = heap_limit_mb_ * kMb;
	account_->on_exceeded = [this](size_t wanted) { buffer_refused_ = wanted; };
	if (init_payload_)
		for (auto &store : init_payload_->transfers)
			RehomeBuffer(store->Data(), account_);
	cpu_clock_ = platform_thread_cpu_clock();
	if (isolate) {
		isolate_ = isolate;
		owns_isolate_ = false;
	} else {
		v8::Isolate::CreateParams params;
		// Shared: a buffer moved to another app (rt.transfer) keeps the allocator that made it
		// alive after this app is gone (freeing it later must not touch a deleted allocator).
		params.array_buffer_allocator_shared = NewAccountedAllocator(account_);
		params.constraints.ConfigureDefaultsFromHeapSize(0, heap_limit_mb_ * kMb);
		snapshot_ = StartupSnapshotGet();
		if (snapshot_) {
			params.snapshot_blob = &snapshot_->blob;
			params.external_references = ExternalReferences();
		}
		isolate_ = v8::Isolate::New(params);
	}
	isolate_->SetData(0, this);
	isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
	isolate_->SetPromiseRejectCallback(PromiseRejected);
	isolate_->AddMessageListenerWithErrorLevel(UncaughtMessage, v8::Isolate::kMessageError);
	isolate_->AddNearHeapLimitCallback(NearHeapLimit, this);
	isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 16);
}

App::~App()
{
	for (auto &t : timers_)
		loop_timer_stop(loop_, &t.second->lt);
	timers_.clear();
	unref_timers_ = 0;
	if (input_active_) {
		platform_console_input_stop();
		loop_unref(loop_);
	}
	for (unsigned irq : irqs_attached_)
		platform_irq_detach(irq);
	for (unsigned irq : msis_)
		platform_msi_free(irq);
	{
		v8::Isolate::Scope isolate_scope(isolate_);
		binding_.Reset();
		for (auto &hook : hooks_)
			hook.Reset();
		for (auto &t : templates_)
			t.Reset();
		rejections_.clear();
		modules_by_name_.clear();
		modules_by_hash_.clear();
		modules_.clear();
		context_.Reset();
	}
	if (owns_isolate_) {
		isolate_->Dispose();
	} else {
		isolate_->SetData(0, nullptr);
		isolate_->SetPromiseRejectCallback(nullptr);
		isolate_->RemoveMessageListeners(UncaughtMessage);
		isolate_->RemoveNearHeapLimitCallback(NearHeapLimit, 0);
	}
	account_->on_exceeded = nullptr;
}

size_t App::NearHeapLimit(void *data, size_t current, size_t initial)
{
	(void)initial;
	App *app = static_cast<App *>(data);
	if (!app->out_of_memory_) {
		app->out_of_memory_ = true;
		WriteStderr("rtjs: " + app->Label() + " ran out of memory (heap limit " + std::to_string(app->heap_limit_mb_) +
			    " MB) and was ended\n");
		app->Exit(1, "out-of-memory");
		return current + kHeapUnwindSlackMb * kMb;
	}
	return current + kHeapUnwindMoreMb * kMb;
}

static const char kBootstrapModule[] = "rtjs:internal/bootstrap.js";

// The bootstrap in two parts: evaluating its module, which reads nothing of the app's own
// (the same for every app), then its startApp, which takes the app's arguments, id and
// grants and installs the runtime's hooks.
bool App::Bootstrap()
{
	if (snapshot_)
		return BootstrapFromSnapshot();
	v8::Local<v8::Context> context = v8::Context::New(isolate_);
	context_.Reset(isolate_, context);
	v8::Context::Scope context_scope(context);
	binding_.Reset(isolate_, CreateBinding(this));
	return RunModule(kBootstrapModule) && StartApp();
}

bool App::StartApp()
{
	v8::Local<v8::Context> ctx = context();
	v8::Context::Scope context_scope(ctx);
	v8::TryCatch tc(isolate_);
	AddAppState(this, binding());
	const ModuleRecord *rec = FindModule(kBootstrapModule);
	v8::Local<v8::Value> start;
	if (!rec || !rec->module.Get(isolate_)->GetModuleNamespace().As<v8::Object>()
			     ->Get(ctx, Str(isolate_, "startApp")).ToLocal(&start) ||
	    !start->IsFunction() ||
	    start.As<v8::Function>()->Call(ctx, v8::Undefined(isolate_), 0, nullptr).IsEmpty()) {
		HandleUncaught(tc);
		return false;
	}
	return true;
}

void App::Start()
{
	v8::Isolate::Scope isolate_scope(isolate_);
	v8::HandleScope scope(isolate_);
	// The budget is the app's: the runtime's own bootstrap (which under emulation can take
	// longer than a small budget) is not charged to it.
	if (Bootstrap() && !exited_) {
		task_started_ns_.store(MonotonicNs());
		v8::Context::Scope context_scope(context());
		RunMain();
		AfterTask();
	} else {
		Exit(1, "error");
		AfterTask();
	}
	NoteTaskEnd();
}

// The runtime's modules this app compiled without a cache become the cache of every later
// app (code-cache.h). Called when the app spawns one, so that an app that never does pays
// nothing and its first child already starts from the cache; by then the bootstrap ran, so
// the functions it called are compiled and go into the cache too.
void App::RecordBuiltinModules()
{
	for (const auto &rec : modules_) {
		if (rec->to_cache)
			RecordBuiltinModule(rec->name, rec->module.Get(isolate_));
		rec->to_cache = false;
	}
}

void App::Exit(int code, const char *reason)
{
	if (exited_)
		return;
	// An error raised because the app was being stopped (the RangeError of a refused
	// ArrayBuffer, say) ends it for the reason it was stopped.
	const char *interrupted = interrupt_reason_.load();
	if (interrupted && strcmp(reason, "error") == 0)
		reason = interrupted;
	// Likewise the uncaught RangeError of an ArrayBuffer refused in this task.
	if (buffer_refused_ && strcmp(reason, "error") == 0) {
		WriteStderr("rtjs: app '" + name_ + "' (id " + std::to_string(id_) +
			    ") ran out of memory (an ArrayBuffer of " + std::to_string(buffer_refused_) +
			    " bytes past its limit of " + std::to_string(heap_limit_mb_) +
			    " MB) and was ended\n");
		reason = "out-of-memory";
	}
	exited_ = true;
	exit_code_ = code;
	exit_reason_ = reason;
	for (auto &t : timers_)
		loop_timer_stop(loop_, &t.second->lt);
	timers_.clear();
	unref_timers_ = 0;
	if (input_active_) {
		input_active_ = false;
		platform_console_input_stop();
		loop_unref(loop_);
	}
	isolate_->TerminateExecution();
}

void App::Interrupt(const char *reason)
{
	const char *expected = nullptr;
	if (interrupt_reason_.compare_exchange_strong(expected, reason))
		isolate_->TerminateExecution();
}

void App::RunTicksAndMicrotasks()
{
	do {
		if (ticks_pending_ && HasHook(HookId::kTicks)) {
			ticks_pending_ = false;
			v8::TryCatch tc(isolate_);
			if (Hook(HookId::kTicks)->Call(context(), v8::Undefined(isolate_), 0, nullptr).IsEmpty())
				HandleUncaught(tc);
		}
		if (exited_)
			return;
		isolate_->PerformMicrotaskCheckpoint();
	} while (ticks_pending_ && !exited_ && !isolate_->IsExecutionTerminating());
}

// After every task: ticks and microtasks, unhandled rejections, then whether the app is done.
void App::AfterTask()
{
	if (!exited_) {
		RunTicksAndMicrotasks();
		if (isolate_->IsExecutionTerminating() && !exited_) {
			v8::TryCatch tc(isolate_);
			HandleUncaught(tc);
		}
	}
	if (!exited_)
		ReportRejections();
	// V8's own foreground work for this isolate (GC steps, FinalizationRegistry cleanup
	// callbacks) is queued on the platform; run what is ready now.
	while (!exited_ && v8::platform::PumpMessageLoop(g_platform.get(), isolate_))
		if (!exited_)
			RunTicksAndMicrotasks();
	// What the task sent goes now, one message per receiver.
	IpcFlush(this);
	if (!exited_)
		MaybeFinish();
	buffer_refused_ = 0;  // caught, or it ended the app: either way this task is over
	if (exited_) {
		isolate_->CancelTerminateExecution();
		if (!reap_posted_) {
			reap_posted_ = true;
			apps_post_reap(this);
		}
		return;
	}
	// rt.apps() reports heap use; sampling it after every task cost ~9% of a remote call.
	uint64_t now = MonotonicNs();
	if (now - heap_sampled_ns_ >= kHeapSamplePeriodNs) {
		heap_sampled_ns_ = now;
		v8::HeapStatistics hs;
		isolate_->GetHeapStatistics(&hs);
		account_->heap.store(hs.used_heap_size());
		apps_note_heap(id_, hs.used_heap_size(), account_->used());
	}
}

// An app ends by itself when nothing could ever run in it again; init also waits for
// every other app, as a process waits for its children.
void App::MaybeFinish()
{
	if (RefTimersPending() || input_active_ || js_refs_ > 0)
		return;
	if (id_ == kInitAppId && apps_live_count() > 1)
		return;
	int code = 0;
	if (!Hook(HookId::kProcess).IsEmpty()) {
		// process 'beforeExit' may start more work; 'exit' gives the final status.
		v8::HandleScope scope(isolate_);
		v8::Local<v8::Value> status;
		CallProcessHook("beforeExit", v8::Undefined(isolate_));
		if (exited_ || RefTimersPending() || input_active_ || js_refs_ > 0)
			return;
		if (!CallProcessHook("exit", v8::Undefined(isolate_), &status) && exited_)
			return;
		if (!status.IsEmpty() && status->IsInt32())
			code = status.As<v8::Int32>()->Value();
	}
	Exit(code, "exit");
}

// Each rejection nobody handled by the end of the task, in the order they happened; one
// that gains a handler while an earlier one's listener runs is no longer reported.
void App::ReportRejections()
{
	v8::HandleScope scope(isolate_);
	while (!rejections_.empty() && !exited_) {
		v8::Local<v8::Promise> promise = rejections_.front().first.Get(isolate_);
		v8::Local<v8::Value> reason = rejections_.front().second.Get(isolate_);
		rejections_.erase(rejections_.begin());
		UncaughtError(reason, v8::Exception::CreateMessage(isolate_, reason),
			      ErrorOrigin::kRejection, promise);
	}
}

void App::HandleUncaught(v8::TryCatch &tc)
{
	const char *interrupted = interrupt_reason_.load();
	if (interrupted && !exited_) {
		if (strcmp(interrupted, "watchdog") == 0)
			WriteStderr("rtjs: " + Label() + " ran past its " + std::to_string((long)budget_ms_) +
				    " ms task budget and was ended\n");
		Exit(1, interrupted);
	}
	if (tc.HasTerminated() || exited_) {
		isolate_->CancelTerminateExecution();
		return;
	}
	if (tc.HasCaught() && OfferError(tc.Exception(), ErrorOrigin::kThrow))
		return;
	if (tc.HasCaught())
		FatalError(tc.Exception(), tc.Message(), "Uncaught ");
	Exit(1, "error");
	isolate_->CancelTerminateExecution();
}

bool App::OfferError(v8::Local<v8::Value> error, ErrorOrigin origin, v8::Local<v8::Value> promise)
{
	if (exited_ || OfferUncaught(error, origin != ErrorOrigin::kThrow))
		return true;
	bool taken;
	if (origin == ErrorOrigin::kRejection) {
		taken = CallProcessHook("unhandledRejection", error, nullptr, promise);
	} else {
		const char *name = origin == ErrorOrigin::kThrow ? "uncaughtException" : "unhandledRejection";
		taken = CallProcessHook("uncaughtException", error, nullptr, Str(isolate_, name));
	}
	return taken || exited_;
}

void App::UncaughtError(v8::Local<v8::Value> error, v8::Local<v8::Message> message,
			ErrorOrigin origin, v8::Local<v8::Value> promise)
{
	if (OfferError(error, origin, promise))
		return;
	FatalError(error, message,
		   origin == ErrorOrigin::kRejection ? "Uncaught (in promise) " : "Uncaught ");
}

// Reports an error nobody took and ends the app: status 1, or the exitCode an 'exit'
// listener set (Node runs them for a fatal error too).
void App::FatalError(v8::Local<v8::Value> error, v8::Local<v8::Message> message,
		     const char *prefix)
{
	ReportException(error, message, prefix);
	v8::Local<v8::Value> status;
	CallProcessHook("fatalException", error, &status);
	if (!exited_)
		Exit(!status.IsEmpty() && status->IsInt32() ? status.As<v8::Int32>()->Value() : 1, "error");
}

bool App::OfferUncaught(v8::Local<v8::Value> error, bool rejection)
{
	v8::Local<v8::Function> hook = Hook(HookId::kUncaught);
	if (hook.IsEmpty() || exited_ || isolate_->IsExecutionTerminating())
		return false;
	v8::TryCatch tc(isolate_);
	v8::Local<v8::Value> args[] = { error, v8::Boolean::New(isolate_, rejection) };
	v8::Local<v8::Value> taken;
	return hook->Call(context(), v8::Undefined(isolate_), 2, args).ToLocal(&taken) &&
	       taken->IsTrue();
}

std::string App::Label() const
{
	return "app '" + name_ + "' (id " + std::to_string(id_) + ")";
}

// Erases one v from list; false if it was not there.
static bool EraseOne(std::vector<unsigned> &list, unsigned v)
{
	auto it = std::find(list.begin(), list.end(), v);
	if (it == list.end())
		return false;
	list.erase(it);
	return true;
}

void App::MsiHold(unsigned irq)
{
	resources_.irqs.push_back(irq);
	msis_.push_back(irq);
}

bool App::MsiRelease(unsigned irq)
{
	if (!EraseOne(msis_, irq))
		return false;
	IrqDetached(irq);  // platform_msi_free detaches it
	EraseOne(resources_.irqs, irq);
	platform_msi_free(irq);
	return true;
}

void App::IrqAttached(unsigned irq)
{
	irqs_attached_.push_back(irq);
	Ref();
}

bool App::IrqDetached(unsigned irq)
{
	if (!EraseOne(irqs_attached_, irq))
		return false;
	Unref();
	return true;
}

void App::AdjustRefs(int delta)
{
	int64_t refs = (int64_t)js_refs_ + delta;
	js_refs_ = refs < 0 ? 0 : refs > INT32_MAX ? INT32_MAX : (int)refs;
}

void App::BeginInteractive()
{
	user_interrupt_ = false;
	repl_eval_ = true;
	repl_task_started_ns_ = task_started_ns_.exchange(0);
}

bool App::EndInteractive()
{
	repl_eval_ = false;
	task_started_ns_.store(repl_task_started_ns_ ? MonotonicNs() : 0);
	return user_interrupt_.exchange(false);
}

bool App::InterruptInteractive()
{
	if (!repl_eval_.load())
		return false;
	user_interrupt_ = true;
	return true;
}

v8::Local<v8::ObjectTemplate> App::Template(TemplateId id, int fields)
{
	v8::Global<v8::ObjectTemplate> &slot = templates_[(size_t)id];
	if (slot.IsEmpty()) {
		v8::Local<v8::ObjectTemplate> t = v8::ObjectTemplate::New(isolate_);
		t->SetInternalFieldCount(fields);
		slot.Reset(isolate_, t);
	}
	return slot.Get(isolate_);
}

}  // namespace rtjs

using rtjs::g_platform;

// Debian's libnode (V8 11.3) checks the checksum of its whole startup snapshot every time an
// isolate is made: Snapshot::ShouldVerifyChecksum returns true whatever
// --verify-snapshot-checksum says (the flag's default is off), and the check is about 8
// million instructions, a fifth of the instructions of a spawn (callgrind, bench/js/spawn.js).
// The snapshot is libnode's own read-only data, mapped from the library the loader already
// checked, not a file that could be corrupted on the way; V8's own default is to verify only
// in debug builds. libnode calls the function through its PLT, so this definition in the
// program takes its place; the flag still turns the check on.
namespace v8::internal {
class Snapshot {
public:
	static bool ShouldVerifyChecksum(const v8::StartupData *data);
};
bool Snapshot::ShouldVerifyChecksum(const v8::StartupData *data)
{
	(void)data;
	return rtjs::g_verify_snapshot_checksum;
}
}  // namespace v8::internal

// Every isolate reserves its code range where its code can reach the builtins embedded in
// libnode with pc-relative calls (within 2 GiB on x86-64), and V8 finds free address space
// there by reading /proc/self/maps; V8 11.3 reads it with one getc() per character and fscanf
// per line, about a million instructions per isolate (callgrind, an empty app: 1.08M of
// 35.4M). libnode calls this through its PLT as well, so this definition takes its place and
// returns the same ranges (free-ranges.h, checked against libnode's in engine/free-ranges@unit).
namespace v8::base {
class OS {
public:
	struct MemoryRange {
		uintptr_t start = 0;
		uintptr_t end = 0;
	};
	static std::vector<MemoryRange> GetFreeMemoryRangesWithin(uintptr_t boundary_start,
								 uintptr_t boundary_end, size_t minimum_size,
								 size_t alignment);
};

std::vector<OS::MemoryRange> OS::GetFreeMemoryRangesWithin(uintptr_t boundary_start,
							   uintptr_t boundary_end, size_t minimum_size,
							   size_t alignment)
{
	return rtjs::FreeRangesWithin<MemoryRange>("/proc/self/maps", boundary_start, boundary_end,
						  minimum_size, alignment);
}
}  // namespace v8::base

extern "C" const char *engine_v8_version(void)
{
	return v8::V8::GetVersion();
}

extern "C" int engine_init(const struct engine_options *o)
{
	// Import attributes (`import x from './x.json' with { type: 'json' }`) and their older
	// form (`assert { ... }`), as Node 20 has them.
	std::string flags = "--harmony-import-assertions --harmony-import-attributes";
	if (o->single_threaded)
		flags += " --single-threaded";
	if (o->v8_flags) {
		flags += std::string(" ") + o->v8_flags;
		rtjs::g_verify_snapshot_checksum = strstr(o->v8_flags, "--verify-snapshot-checksum") != nullptr ||
						   strstr(o->v8_flags, "--verify_snapshot_checksum") != nullptr;
	}
	v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
	rtjs::g_flags = flags;
	g_platform = o->single_threaded ? v8::platform::NewSingleThreadedDefaultPlatform()
					: v8::platform::NewDefaultPlatform();
	v8::V8::InitializePlatform(g_platform.get());
	if (!v8::V8::Initialize())
		return -1;
	std::string path = o->snapshot ? o->snapshot : rtjs::SnapshotBesideProgram(o->single_threaded);
	std::string why;
	if (!o->no_snapshot && !path.empty() && !rtjs::StartupSnapshotLoad(path.c_str(), flags, &why) && o->snapshot)
		fprintf(stderr, "rtjs: not using the snapshot '%s' (%s): apps run the bootstrap\n", o->snapshot, why.c_str());
	return 0;
}

extern "C" int engine_make_snapshot(const char *path)
{
	return rtjs::StartupSnapshotWrite(path, rtjs::g_flags);
}
