// The node:v8 half of 'rtjs:binding': the app's own heap statistics from its isolate, and
// V8's serialization format (the one structured clone and IPC use) as bytes.
#include "app.h"

#include <cstdlib>
#include <vector>

namespace rtjs {

// An object with no prototype and these properties, made in one call: no setter an app put
// on Object.prototype sees the values.
static v8::Local<v8::Object> Record(v8::Isolate *isolate, const char *const *names, const double *values, size_t n)
{
	std::vector<v8::Local<v8::Name>> keys(n);
	std::vector<v8::Local<v8::Value>> vals(n);
	for (size_t i = 0; i < n; i++) {
		keys[i] = Str(isolate, names[i]);
		vals[i] = v8::Number::New(isolate, values[i]);
	}
	return v8::Object::New(isolate, v8::Null(isolate), keys.data(), vals.data(), n);
}

// v8HeapStatistics(): node:v8's getHeapStatistics(), with Node's property names.
static void HeapStatistics(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::HeapStatistics s;
	isolate->GetHeapStatistics(&s);
	static const char *const kNames[] = {
		"total_heap_size", "total_heap_size_executable", "total_physical_size",
		"total_available_size", "used_heap_size", "heap_size_limit", "malloced_memory",
		"peak_malloced_memory", "does_zap_garbage", "number_of_native_contexts",
		"number_of_detached_contexts", "total_global_handles_size", "used_global_handles_size",
		"external_memory",
	};
	const double values[] = {
		(double)s.total_heap_size(), (double)s.total_heap_size_executable(),
		(double)s.total_physical_size(), (double)s.total_available_size(),
		(double)s.used_heap_size(), (double)s.heap_size_limit(), (double)s.malloced_memory(),
		(double)s.peak_malloced_memory(), (double)s.does_zap_garbage(),
		(double)s.number_of_native_contexts(), (double)s.number_of_detached_contexts(),
		(double)s.total_global_handles_size(), (double)s.used_global_handles_size(),
		(double)s.external_memory(),
	};
	info.GetReturnValue().Set(Record(isolate, kNames, values, sizeof(values) / sizeof(values[0])));
}

// v8HeapSpaceStatistics(): one record per space of the app's heap.
static void HeapSpaceStatistics(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	size_t n = isolate->NumberOfHeapSpaces();
	std::vector<v8::Local<v8::Value>> spaces;
	static const char *const kNames[] = { "space_size", "space_used_size", "space_available_size",
					      "physical_space_size" };
	for (size_t i = 0; i < n; i++) {
		v8::HeapSpaceStatistics s;
		if (!isolate->GetHeapSpaceStatistics(&s, i))
			continue;
		const double values[] = { (double)s.space_size(), (double)s.space_used_size(),
					  (double)s.space_available_size(), (double)s.physical_space_size() };
		v8::Local<v8::Object> o = Record(isolate, kNames, values, 4);
		if (o->CreateDataProperty(isolate->GetCurrentContext(), Str(isolate, "space_name"),
					  Str(isolate, s.space_name())).IsNothing())
			return;
		spaces.push_back(o);
	}
	info.GetReturnValue().Set(v8::Array::New(isolate, spaces.data(), spaces.size()));
}

// v8Serialize(value): the value in V8's serialization format (with its header), as a new
// ArrayBuffer; what cannot be cloned throws V8's DataCloneError.
static void Serialize(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::ValueSerializer serializer(isolate);
	serializer.WriteHeader();
	if (!serializer.WriteValue(isolate->GetCurrentContext(), info[0]).FromMaybe(false))
		return;  // the exception is pending
	std::pair<uint8_t *, size_t> bytes = serializer.Release();
	// The serializer's buffer is realloc'd memory: the ArrayBuffer takes it and frees it.
	auto store = v8::ArrayBuffer::NewBackingStore(
		bytes.first, bytes.second, [](void *data, size_t, void *) { free(data); }, nullptr);
	info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
}

// v8Deserialize(view): the value those bytes hold; bytes that are not V8's format throw.
static void Deserialize(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!info[0]->IsArrayBufferView())
		return ThrowError(isolate, "v8Deserialize: bytes expected");
	v8::Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
	// A copy: the deserializer reads lazily and the program may change the view meanwhile.
	std::vector<uint8_t> data(view->ByteLength());
	view->CopyContents(data.data(), data.size());
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::ValueDeserializer deserializer(isolate, data.data(), data.size());
	v8::TryCatch tc(isolate);
	v8::Local<v8::Value> value;
	if (deserializer.ReadHeader(ctx).FromMaybe(false) && deserializer.ReadValue(ctx).ToLocal(&value)) {
		info.GetReturnValue().Set(value);
		return;
	}
	if (tc.HasCaught() || tc.HasTerminated()) {
		tc.ReThrow();
		return;
	}
	ThrowError(isolate, "Unable to deserialize cloned data.");
}

static void CachedDataVersionTag(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	info.GetReturnValue().Set(v8::Integer::NewFromUnsigned(info.GetIsolate(),
							       v8::ScriptCompiler::CachedDataVersionTag()));
}

void AddV8Binding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "v8HeapStatistics", HeapStatistics);
	SetMethod(ctx, b, "v8HeapSpaceStatistics", HeapSpaceStatistics);
	SetMethod(ctx, b, "v8Serialize", Serialize);
	SetMethod(ctx, b, "v8Deserialize", Deserialize);
	SetMethod(ctx, b, "v8CachedDataVersionTag", CachedDataVersionTag);
}

}  // namespace rtjs
