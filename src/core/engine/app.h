// The App class: one isolate and everything that belongs to it. Internal to the binding.
#ifndef RTJS_ENGINE_APP_H
#define RTJS_ENGINE_APP_H

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "core/loop.h"
}
#include "engine.h"
#include "resources.h"

namespace rtjs {

class App;
uint64_t MonotonicNs();

// One pending setTimeout/setInterval: JavaScript keeps the callback under the same id.
struct AppTimer {
	struct loop_timer lt;  // first member: the loop hands it back to us
	App *app;
	uint32_t id;
};

struct ModuleRecord {
	std::string name;  // absolute path, or "rtjs:<path under js/>" for built-ins
	v8::Global<v8::Module> module;
};

// A structured-cloned value in flight between isolates: the serializer's bytes and the
// ArrayBuffers it moves (their memory changes hands; nothing is copied).
struct Serialized {
	std::vector<uint8_t> data;
	std::vector<std::shared_ptr<v8::BackingStore>> transfers;
};

// What spawn() asks for, carried to the engine that will run the app.
struct SpawnRequest {
	uint32_t id = 0, parent = 0;
	unsigned engine = 0;
	std::string name, file, source;
	bool from_source = false; /* run `source` (even empty), not a file or the REPL */
	bool classic_script = false;
	std::vector<std::string> argv;
	size_t heap_limit_mb = 0;
	double budget_ms = 0;
	Resources resources;
	std::unique_ptr<Serialized> payload;
};

class App {
public:
	explicit App(SpawnRequest &req);
	~App();

	static App *From(v8::Isolate *isolate)
	{
		return static_cast<App *>(isolate->GetData(0));
	}
	static App *From(const v8::FunctionCallbackInfo<v8::Value> &info)
	{
		return From(info.GetIsolate());
	}

	// Creates the context, runs the bootstrap, then the main module; one task.
	void Start();

	// Ends the app: stops its timers and input, unwinds any running JS. The isolate is
	// destroyed later by a task of its engine (never from inside its own JS).
	void Exit(int code, const char *reason);
	bool exited() const { return exited_; }
	int exit_code() const { return exit_code_; }
	const std::string &exit_reason() const { return exit_reason_; }

	// Runs fn inside the app's scopes as one task: watchdog accounting, exception
	// reporting, microtasks, then the end-of-task checks (liveness, heap use).
	template <typename F> void RunTask(F fn);
	void HandleUncaught(v8::TryCatch &tc);
	void ReportException(v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
			     const char *prefix);

	// Modules (modules.cc).
	v8::MaybeLocal<v8::Module> LoadModule(const std::string &name);
	const ModuleRecord *FindModule(v8::Local<v8::Module> m) const;
	v8::MaybeLocal<v8::Promise> ImportDynamic(const std::string &referrer,
						   const std::string &specifier);
	bool RunMain();
	std::string SourceName() const;
	bool RunModule(const std::string &name);

	// Timers (binding-timers.cc).
	void TimerStart(uint32_t id, double ms);
	void TimerStop(uint32_t id);
	void TimerFired(AppTimer *t);

	// IPC (ipc.cc).
	void DeliverMessage(uint32_t from, int kind, std::unique_ptr<Serialized> msg);
	void DeliverExitNotice(uint32_t id, int code, const std::string &reason);
	v8::MaybeLocal<v8::Value> Deserialize(Serialized &msg);

	// Watchdog and kill (apps.cc), from any thread.
	void Interrupt(const char *reason);

	v8::Isolate *isolate() const { return isolate_; }
	v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
	struct loop *loop() const { return loop_; }

	uint32_t id_;
	uint32_t parent_id_;
	unsigned engine_;
	std::string name_;
	std::string main_;
	std::string source_;
	bool from_source_ = false;
	bool classic_script_ = false;
	std::vector<std::string> argv_;
	size_t heap_limit_mb_;
	double budget_ms_;
	bool input_active_ = false;
	int js_refs_ = 0;
	std::unique_ptr<Serialized> init_payload_;
	Resources resources_;
	std::vector<unsigned> irqs_attached_;

	// Set by the task that is running (0 when idle), read by the watchdog thread.
	std::atomic<uint64_t> task_started_ns_{ 0 };
	std::atomic<const char *> interrupt_reason_{ nullptr };

	v8::Global<v8::Object> binding_;
	v8::Global<v8::Function> on_timer_, on_input_, inspect_, on_message_, on_app_exit_, on_irq_;
	v8::Global<v8::ObjectTemplate> ref_template_, serialized_template_;
	std::vector<std::unique_ptr<ModuleRecord>> modules_;
	std::unordered_map<std::string, ModuleRecord *> modules_by_name_;
	std::vector<std::pair<v8::Global<v8::Promise>, v8::Global<v8::Value>>> rejections_;

private:
	static size_t NearHeapLimit(void *data, size_t current, size_t initial);
	void AfterTask();
	void ReportRejections();
	bool Bootstrap();
	void MaybeFinish();

	struct loop *loop_;
	v8::Isolate *isolate_ = nullptr;
	v8::ArrayBuffer::Allocator *allocator_ = nullptr;
	v8::Global<v8::Context> context_;
	std::unordered_map<uint32_t, std::unique_ptr<AppTimer>> timers_;
	bool exited_ = false;
	bool reap_posted_ = false;
	uint64_t heap_sampled_ns_ = 0;
	bool out_of_memory_ = false;
	int exit_code_ = 0;
	std::string exit_reason_;
};

template <typename F> void App::RunTask(F fn)
{
	if (exited_)
		return;
	v8::Isolate::Scope isolate_scope(isolate_);
	v8::HandleScope scope(isolate_);
	v8::Context::Scope context_scope(context());
	task_started_ns_.store(MonotonicNs());
	{
		v8::TryCatch tc(isolate_);
		if (!fn())
			HandleUncaught(tc);
	}
	AfterTask();
	task_started_ns_.store(0);
}

// Helpers shared by the binding files.
uint64_t MonotonicNs();
v8::Local<v8::String> Str(v8::Isolate *isolate, const std::string &s);
std::string ToStd(v8::Isolate *isolate, v8::Local<v8::Value> v);
void ThrowError(v8::Isolate *isolate, const std::string &message);
void WriteStderr(const std::string &s);
// Reads a built-in (embedded js/) or a host file; false when it does not exist.
bool ReadSource(const std::string &name, std::string *out, std::string *error);
// Builds the `binding` object the internal modules import as 'rtjs:binding'.
v8::Local<v8::Object> CreateBinding(App *app);
// Adds the apps/IPC functions to it (binding-apps.cc).
void AddAppsBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b);
// And the hardware functions (binding-hw.cc).
void AddHwBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b);
// Reads spawn's `resources` option; "" or what is wrong with it.
std::string ParseResources(v8::Local<v8::Context> ctx, v8::Local<v8::Value> v, Resources *out);
void SetMethod(v8::Local<v8::Context> ctx, v8::Local<v8::Object> target, const char *name,
	       v8::FunctionCallback fn);

}  // namespace rtjs

#endif
