// The App class: one isolate and everything that belongs to it. Internal to the binding.
#ifndef RTJS_ENGINE_APP_H
#define RTJS_ENGINE_APP_H

#include <v8.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "core/loop.h"
}
#include "engine.h"

namespace rtjs {

class App;

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

class App {
public:
	App(struct loop *l, const app_options *o);
	~App();

	static App *From(v8::Isolate *isolate)
	{
		return static_cast<App *>(isolate->GetData(0));
	}

	bool Bootstrap();
	void Start();

	// Ends the app with `code`: stops its timers and input, and unwinds any running JS.
	void Exit(int code);
	bool exited() const { return exited_; }
	int exit_code() const { return exit_code_; }

	// Calls a JS function as one task: scopes, exception report, microtasks.
	void CallHook(v8::Local<v8::Function> fn, int argc, v8::Local<v8::Value> argv[]);
	// Called after JS returns to the loop: drains microtasks, reports rejections.
	void AfterTask();
	// Reports what a TryCatch caught and ends the app with status 1.
	void HandleUncaught(v8::TryCatch &tc);
	void ReportException(v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
			     const char *prefix);

	// Modules (modules.cc).
	v8::MaybeLocal<v8::Module> LoadModule(const std::string &name);
	const ModuleRecord *FindModule(v8::Local<v8::Module> m) const;
	v8::MaybeLocal<v8::Promise> ImportDynamic(const std::string &referrer,
						   const std::string &specifier);
	bool RunMain(const std::string &path);
	// Loads, links and evaluates a module; reports and exits on failure.
	bool RunModule(const std::string &name);

	// Timers (binding-timers.cc).
	void TimerStart(uint32_t id, double ms);
	void TimerStop(uint32_t id);
	void TimerFired(AppTimer *t);

	v8::Isolate *isolate() const { return isolate_; }
	v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
	struct loop *loop() const { return loop_; }

	std::string name_;
	std::string main_;
	bool classic_script_ = false;
	std::vector<std::string> argv_;
	size_t heap_limit_mb_;
	bool input_active_ = false;

	v8::Global<v8::Object> binding_;
	v8::Global<v8::Function> on_timer_;
	v8::Global<v8::Function> on_input_;
	v8::Global<v8::Function> inspect_;
	std::vector<std::unique_ptr<ModuleRecord>> modules_;
	std::unordered_map<std::string, ModuleRecord *> modules_by_name_;
	std::vector<std::pair<v8::Global<v8::Promise>, v8::Global<v8::Value>>> rejections_;

private:
	static size_t NearHeapLimit(void *data, size_t current, size_t initial);
	void ReportRejections();

	struct loop *loop_;
	v8::Isolate *isolate_ = nullptr;
	v8::ArrayBuffer::Allocator *allocator_ = nullptr;
	v8::Global<v8::Context> context_;
	std::unordered_map<uint32_t, std::unique_ptr<AppTimer>> timers_;
	bool exited_ = false;
	bool out_of_memory_ = false;
	int exit_code_ = 0;
};

// Helpers shared by the binding files.
v8::Local<v8::String> Str(v8::Isolate *isolate, const std::string &s);
std::string ToStd(v8::Isolate *isolate, v8::Local<v8::Value> v);
void ThrowError(v8::Isolate *isolate, const std::string &message);
void WriteStderr(const std::string &s);
// Reads a built-in (embedded js/) or a host file; false when it does not exist.
bool ReadSource(const std::string &name, std::string *out, std::string *error);
// Builds the `binding` object the internal modules import as 'rtjs:binding'.
v8::Local<v8::Object> CreateBinding(App *app);

}  // namespace rtjs

#endif
