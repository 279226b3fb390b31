// The apps half of 'rtjs:binding': spawn, kill, list (the IPC functions are ipc.cc's).
// js/internal/apps.js builds the documented API (rt.spawn, remote functions) on these.
#include <cstring>

#include "app.h"
#include "apps.h"

extern "C" {
#include "core/engines.h"
}

namespace rtjs {

// A Serialized waiting to be sent: a host object holding the native pointer. Sending (or
// spawning with it) takes the pointer out; a value sent twice is refused.
v8::Local<v8::Object> WrapSerialized(App *app, std::unique_ptr<Serialized> s)
{
	v8::Isolate *isolate = app->isolate();
	if (app->serialized_template_.IsEmpty()) {
		v8::Local<v8::ObjectTemplate> t = v8::ObjectTemplate::New(isolate);
		t->SetInternalFieldCount(1);
		app->serialized_template_.Reset(isolate, t);
	}
	v8::Local<v8::Object> o =
		app->serialized_template_.Get(isolate)->NewInstance(app->context()).ToLocalChecked();
	o->SetInternalField(0, v8::External::New(isolate, s.release()));
	return o;
}

static std::unique_ptr<Serialized> TakeSerialized(v8::Isolate *isolate, v8::Local<v8::Value> v)
{
	if (!v->IsObject() || v.As<v8::Object>()->InternalFieldCount() != 1)
		return nullptr;
	v8::Local<v8::Object> o = v.As<v8::Object>();
	v8::Local<v8::Value> field = o->GetInternalField(0);
	if (!field->IsExternal())
		return nullptr;
	auto *s = static_cast<Serialized *>(field.As<v8::External>()->Value());
	o->SetInternalField(0, v8::External::New(isolate, nullptr));
	return std::unique_ptr<Serialized>(s);
}

static bool GetString(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o, const char *key,
		      std::string *out)
{
	v8::Isolate *isolate = ctx->GetIsolate();
	v8::Local<v8::Value> v;
	if (!o->Get(ctx, Str(isolate, key)).ToLocal(&v) || !v->IsString())
		return false;
	*out = ToStd(isolate, v);
	return true;
}

static double GetNumber(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o, const char *key,
			double fallback)
{
	v8::Local<v8::Value> v;
	if (!o->Get(ctx, Str(ctx->GetIsolate(), key)).ToLocal(&v) || !v->IsNumber())
		return fallback;
	return v.As<v8::Number>()->Value();
}

// spawn({ file | source, name, args, cpu, heapLimitMb, budgetMs, payload }) -> { id, cpu }
static void Spawn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	if (!info[0]->IsObject())
		return ThrowError(isolate, "spawn: options object expected");
	v8::Local<v8::Object> o = info[0].As<v8::Object>();
	App *self = App::From(info);
	auto req = std::make_unique<SpawnRequest>();
	req->parent = self->id_;
	bool has_file = GetString(ctx, o, "file", &req->file);
	bool has_source = GetString(ctx, o, "source", &req->source);
	req->from_source = has_source;
	if (has_file == has_source)
		return ThrowError(isolate, "spawn: give exactly one of 'file' and 'source'");
	if (!GetString(ctx, o, "name", &req->name))
		req->name = has_file ? req->file.substr(req->file.rfind('/') + 1) : "app";
	v8::Local<v8::Value> args;
	if (o->Get(ctx, Str(isolate, "args")).ToLocal(&args) && args->IsArray()) {
		v8::Local<v8::Array> a = args.As<v8::Array>();
		for (uint32_t i = 0; i < a->Length(); i++)
			req->argv.push_back(ToStd(isolate, a->Get(ctx, i).ToLocalChecked()));
	}
	double heap = GetNumber(ctx, o, "heapLimitMb", 0);
	double budget = GetNumber(ctx, o, "budgetMs", 0);
	double cpu = GetNumber(ctx, o, "cpu", -1);
	if (heap < 0 || budget < 0 || cpu != (int)cpu)
		return ThrowError(isolate, "spawn: heapLimitMb, budgetMs must be >= 0 and cpu an integer");
	req->heap_limit_mb = (size_t)heap;
	req->budget_ms = budget;
	std::string bad = ParseResources(ctx, o->Get(ctx, Str(isolate, "resources")).ToLocalChecked(),
					 &req->resources);
	if (!bad.empty())
		return ThrowError(isolate, "spawn: " + bad);
	std::string missing = self->resources_.Covers(req->resources);
	if (!missing.empty())
		return ThrowError(isolate, "spawn '" + req->name + "': cannot grant " + missing +
						   ": app '" + self->name_ + "' does not hold it");
	v8::Local<v8::Value> payload;
	if (o->Get(ctx, Str(isolate, "payload")).ToLocal(&payload) && !payload->IsUndefined()) {
		req->payload = TakeSerialized(isolate, payload);
		if (!req->payload)
			return ThrowError(isolate, "spawn: payload is not an unsent serialized value");
	}
	std::string name = req->name;
	uint32_t id = 0;
	unsigned engine = 0;
	self->RecordBuiltinModules();
	std::string error = apps_spawn(std::move(req), (int)cpu, &id, &engine);
	if (!error.empty())
		return ThrowError(isolate, "spawn '" + name + "': " + error);
	v8::Local<v8::Object> out = v8::Object::New(isolate);
	out->Set(ctx, Str(isolate, "id"), v8::Integer::NewFromUnsigned(isolate, id)).Check();
	out->Set(ctx, Str(isolate, "cpu"), v8::Integer::NewFromUnsigned(isolate, engine)).Check();
	info.GetReturnValue().Set(out);
}

static void Kill(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsUint32())
		return ThrowError(info.GetIsolate(), "kill(id): an app id");
	info.GetReturnValue().Set(apps_kill(info[0].As<v8::Uint32>()->Value()));
}

static void Apps(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	std::vector<AppInfo> all = apps_list();
	v8::Local<v8::Array> out = v8::Array::New(isolate, (int)all.size());
	for (size_t i = 0; i < all.size(); i++) {
		v8::Local<v8::Object> o = v8::Object::New(isolate);
		o->Set(ctx, Str(isolate, "id"), v8::Integer::NewFromUnsigned(isolate, all[i].id)).Check();
		o->Set(ctx, Str(isolate, "name"), Str(isolate, all[i].name)).Check();
		o->Set(ctx, Str(isolate, "cpu"), v8::Integer::NewFromUnsigned(isolate, all[i].engine)).Check();
		o->Set(ctx, Str(isolate, "state"), Str(isolate, all[i].state)).Check();
		o->Set(ctx, Str(isolate, "heapUsed"), v8::Number::New(isolate, (double)all[i].heap_used)).Check();
		o->Set(ctx, Str(isolate, "parentId"), v8::Integer::NewFromUnsigned(isolate, all[i].parent)).Check();
		out->Set(ctx, (uint32_t)i, o).Check();
	}
	info.GetReturnValue().Set(out);
}

static void KeepAlive(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsInt32())
		return ThrowError(info.GetIsolate(), "keepAlive(delta): an integer");
	App *app = App::From(info);
	app->js_refs_ += info[0].As<v8::Int32>()->Value();
	if (app->js_refs_ < 0)
		app->js_refs_ = 0;
}

void AddAppsBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	v8::Isolate *isolate = app->isolate();
	AddIpcBinding(app, ctx, b);
	SetMethod(ctx, b, "spawn", Spawn);
	SetMethod(ctx, b, "kill", Kill);
	SetMethod(ctx, b, "apps", Apps);
	SetMethod(ctx, b, "keepAlive", KeepAlive);
	b->Set(ctx, Str(isolate, "appId"), v8::Integer::NewFromUnsigned(isolate, app->id_)).Check();
	b->Set(ctx, Str(isolate, "parentId"), v8::Integer::NewFromUnsigned(isolate, app->parent_id_)).Check();
	b->Set(ctx, Str(isolate, "cpu"), v8::Integer::NewFromUnsigned(isolate, app->engine_)).Check();
	b->Set(ctx, Str(isolate, "cpuCount"), v8::Integer::NewFromUnsigned(isolate, engines_count())).Check();
	v8::Local<v8::Value> payload = v8::Undefined(isolate);
	if (app->init_payload_) {
		v8::TryCatch tc(isolate);
		if (!app->Deserialize(*app->init_payload_).ToLocal(&payload))
			payload = v8::Undefined(isolate);
		app->init_payload_.reset();
	}
	b->Set(ctx, Str(isolate, "initPayload"), payload).Check();
}

}  // namespace rtjs
