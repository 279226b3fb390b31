// Timers: JavaScript keeps the callbacks by id; the native side keeps one loop timer per
// id in the engine's timer heap and calls the onTimer hook when it fires.
#include "app.h"
#include "platform/platform.h"

namespace rtjs {

// Browsers and Node clamp delays below 1 ms (and NaN, negatives) to 1 ms.
static constexpr double kMinDelayMs = 1;
// Delays past 2^31-1 ms overflow to 1 ms in browsers and Node.
static constexpr double kMaxDelayMs = 2147483647.0;

static void Fire(struct loop_timer *lt)
{
	AppTimer *t = reinterpret_cast<AppTimer *>(lt);
	t->app->TimerFired(t);
}

void App::TimerStart(uint32_t id, double ms, bool ref)
{
	if (!(ms >= kMinDelayMs) || ms > kMaxDelayMs)
		ms = kMinDelayMs;
	auto &slot = timers_[id];
	if (!slot) {
		slot = std::make_unique<AppTimer>();
		loop_timer_init(&slot->lt, Fire);
		slot->app = this;
		slot->id = id;
	}
	loop_timer_start(loop_, &slot->lt, (uint64_t)(ms * NS_PER_MS));
	TimerRef(id, ref);
}

void App::TimerRef(uint32_t id, bool ref)
{
	auto it = timers_.find(id);
	if (it == timers_.end() || it->second->ref == ref)
		return;
	it->second->ref = ref;
	if (ref)
		unref_timers_--;
	else
		unref_timers_++;
}

void App::TimerStop(uint32_t id)
{
	auto it = timers_.find(id);
	if (it == timers_.end())
		return;
	loop_timer_stop(loop_, &it->second->lt);
	if (!it->second->ref)
		unref_timers_--;
	timers_.erase(it);
}

void App::TimerFired(AppTimer *t)
{
	uint32_t id = t->id;
	if (!t->ref)
		unref_timers_--;
	timers_.erase(id);  // one-shot: JavaScript re-arms intervals
	if (exited_ || !HasHook(HookId::kTimer))
		return;
	RunTask([&] {
		v8::Local<v8::Value> arg = v8::Integer::NewFromUnsigned(isolate_, id);
		return !Hook(HookId::kTimer)->Call(context(), v8::Undefined(isolate_), 1, &arg).IsEmpty();
	});
}

}  // namespace rtjs
