// What node:process and node:os read from the runtime: the app's heap use and V8's version.
#include "app.h"

namespace rtjs {

// heapStats(): [rss-like total physical, heapTotal, heapUsed, external] in bytes.
static void HeapStats(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::HeapStatistics stats;
	isolate->GetHeapStatistics(&stats);
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Array> out = v8::Array::New(isolate, 4);
	double values[] = { (double)stats.total_physical_size(), (double)stats.total_heap_size(),
			    (double)stats.used_heap_size(), (double)stats.external_memory() };
	for (uint32_t i = 0; i < 4; i++)
		if (out->Set(ctx, i, v8::Number::New(isolate, values[i])).IsNothing())
			return;
	info.GetReturnValue().Set(out);
}

void AddProcessBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "heapStats", HeapStats);
	b->Set(ctx, Str(ctx->GetIsolate(), "v8Version"), Str(ctx->GetIsolate(), v8::V8::GetVersion()))
		.Check();
}

}  // namespace rtjs
