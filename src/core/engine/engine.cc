// V8's process-wide set-up and the lifetime of an app (isolate): creation, bootstrap,
// exceptions, promise rejections, heap limit, exit.
#include "app.h"

#include <libplatform/libplatform.h>

#include <cstring>

extern "C" {
#include "platform/platform.h"
}

namespace rtjs {

static std::unique_ptr<v8::Platform> g_platform;

static constexpr size_t kDefaultHeapLimitMb = 512;
static constexpr size_t kMb = 1024 * 1024;
// Room V8 may use past the limit to unwind an app that ran out of heap.
static constexpr size_t kHeapUnwindSlackMb = 32;

static void PromiseRejected(v8::PromiseRejectMessage msg)
{
	v8::Local<v8::Promise> promise = msg.GetPromise();
	v8::Isolate *isolate = promise->GetIsolate();
	App *app = App::From(isolate);
	auto &list = app->rejections_;
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
	v8::Isolate *isolate = message->GetIsolate();
	App *app = App::From(isolate);
	if (app->exited())
		return;
	app->ReportException(error, message, "Uncaught ");
	app->Exit(1);
}

App::App(struct loop *l, const app_options *o)
	: name_(o->name ? o->name : "main"),
	  main_(o->main ? o->main : ""),
	  classic_script_(o->classic_script),
	  heap_limit_mb_(o->heap_limit_mb ? o->heap_limit_mb : kDefaultHeapLimitMb),
	  loop_(l)
{
	for (int i = 0; i < o->argc; i++)
		argv_.emplace_back(o->argv[i]);
	allocator_ = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
	v8::Isolate::CreateParams params;
	params.array_buffer_allocator = allocator_;
	params.constraints.ConfigureDefaultsFromHeapSize(0, heap_limit_mb_ * kMb);
	isolate_ = v8::Isolate::New(params);
	isolate_->SetData(0, this);
	isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
	isolate_->SetPromiseRejectCallback(PromiseRejected);
	isolate_->AddMessageListenerWithErrorLevel(UncaughtMessage, v8::Isolate::kMessageError);
	isolate_->AddNearHeapLimitCallback(NearHeapLimit, this);
	isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 16);
}

App::~App()
{
	timers_.clear();
	if (input_active_) {
		platform_console_input_stop();
		loop_unref(loop_);
	}
	{
		v8::Isolate::Scope isolate_scope(isolate_);
		binding_.Reset();
		on_timer_.Reset();
		on_input_.Reset();
		inspect_.Reset();
		rejections_.clear();
		modules_by_name_.clear();
		modules_.clear();
		context_.Reset();
	}
	isolate_->Dispose();
	delete allocator_;
}

size_t App::NearHeapLimit(void *data, size_t current, size_t initial)
{
	(void)initial;
	App *app = static_cast<App *>(data);
	if (!app->out_of_memory_) {
		app->out_of_memory_ = true;
		WriteStderr("rtjs: app '" + app->name_ + "' ran out of memory (heap limit " +
			    std::to_string(app->heap_limit_mb_) + " MB) and was ended\n");
		app->Exit(1);
	}
	return current + kHeapUnwindSlackMb * kMb;
}

bool App::Bootstrap()
{
	v8::Isolate::Scope isolate_scope(isolate_);
	v8::HandleScope scope(isolate_);
	v8::Local<v8::Context> context = v8::Context::New(isolate_);
	context_.Reset(isolate_, context);
	v8::Context::Scope context_scope(context);
	binding_.Reset(isolate_, CreateBinding(this));

	if (!RunModule("rtjs:internal/bootstrap.js"))
		return false;
	AfterTask();
	return !exited_;
}

void App::Start()
{
	if (exited_)
		return;
	v8::Isolate::Scope isolate_scope(isolate_);
	v8::HandleScope scope(isolate_);
	v8::Context::Scope context_scope(context());
	RunMain(main_.empty() ? std::string("rtjs:internal/repl.js") : main_);
	AfterTask();
}

void App::Exit(int code)
{
	if (exited_)
		return;
	exited_ = true;
	exit_code_ = code;
	for (auto &t : timers_)
		loop_timer_stop(loop_, &t.second->lt);
	timers_.clear();
	if (input_active_) {
		input_active_ = false;
		platform_console_input_stop();
		loop_unref(loop_);
	}
	loop_stop(loop_);
	isolate_->TerminateExecution();
}

void App::CallHook(v8::Local<v8::Function> fn, int argc, v8::Local<v8::Value> argv[])
{
	if (exited_)
		return;
	v8::TryCatch tc(isolate_);
	if (fn->Call(context(), v8::Undefined(isolate_), argc, argv).IsEmpty())
		HandleUncaught(tc);
	AfterTask();
}

void App::AfterTask()
{
	if (exited_) {
		isolate_->CancelTerminateExecution();
		return;
	}
	isolate_->PerformMicrotaskCheckpoint();
	if (exited_) {
		isolate_->CancelTerminateExecution();
		return;
	}
	ReportRejections();
	if (exited_)
		isolate_->CancelTerminateExecution();
}

void App::ReportRejections()
{
	if (rejections_.empty())
		return;
	v8::HandleScope scope(isolate_);
	v8::Local<v8::Value> reason = rejections_.front().second.Get(isolate_);
	rejections_.clear();
	v8::Local<v8::Message> message = v8::Exception::CreateMessage(isolate_, reason);
	ReportException(reason, message, "Uncaught (in promise) ");
	Exit(1);
}

void App::HandleUncaught(v8::TryCatch &tc)
{
	if (tc.HasTerminated() || exited_) {
		isolate_->CancelTerminateExecution();
		return;
	}
	if (tc.HasCaught())
		ReportException(tc.Exception(), tc.Message(), "Uncaught ");
	Exit(1);
	isolate_->CancelTerminateExecution();
}

}  // namespace rtjs

using rtjs::App;
using rtjs::g_platform;

extern "C" int engine_init(const struct engine_options *o)
{
	std::string flags;
	if (o->single_threaded)
		flags += " --single-threaded";
	if (o->v8_flags)
		flags += std::string(" ") + o->v8_flags;
	v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
	g_platform = o->single_threaded ? v8::platform::NewSingleThreadedDefaultPlatform()
					: v8::platform::NewDefaultPlatform();
	v8::V8::InitializePlatform(g_platform.get());
	return v8::V8::Initialize() ? 0 : -1;
}

extern "C" void engine_shutdown(void)
{
	v8::V8::Dispose();
	v8::V8::DisposePlatform();
	g_platform.reset();
}

extern "C" struct app *app_create(struct loop *l, const struct app_options *o)
{
	App *app = new App(l, o);
	if (!app->Bootstrap() && app->exited() && app->exit_code() != 0) {
		delete app;
		return nullptr;
	}
	return reinterpret_cast<struct app *>(app);
}

extern "C" void app_start(struct app *a)
{
	reinterpret_cast<App *>(a)->Start();
}

extern "C" bool app_exited(const struct app *a)
{
	return reinterpret_cast<const App *>(a)->exited();
}

extern "C" int app_exit_code(const struct app *a)
{
	return reinterpret_cast<const App *>(a)->exit_code();
}

extern "C" void app_destroy(struct app *a)
{
	delete reinterpret_cast<App *>(a);
}
