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
	v8::Local<v8::Object> o;
	if (!app->Template(App::TemplateId::kSerialized, 1)->NewInstance(app->context()).ToLocal(&o))
		return {};  // terminating: the message is dropped with the app
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

// Reads own property `key` of o: undefined if o has none, so nothing on Object.prototype
// is consulted. False with an exception pending if reading threw.
static bool GetOwn(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o, const char *key,
		   v8::Local<v8::Value> *out)
{
	v8::Local<v8::String> k = Str(ctx->GetIsolate(), key);
	bool has;
	if (!o->HasOwnProperty(ctx, k).To(&has))
		return false;
	if (!has) {
		*out = v8::Undefined(ctx->GetIsolate());
		return true;
	}
	return o->Get(ctx, k).ToLocal(out);
}

// How many apps may live at once, and how many children one app may have: a recursive
// spawn is an error at the limit, not the machine running out of memory (an app costs a
// few MB even when idle; the kernel's machines have 1 GB).
static constexpr size_t kMaxChildrenPerApp = 32;
// Past any CPU count; keeps the conversion to int defined.
static constexpr double kMaxCpuIndex = 65536;

// A child's environment from spawn's `env`: an object's own string-keyed properties, each
// value a string. A name must be non-empty and hold no '=' or NUL (it could not be written
// as NAME=VALUE); false with a TypeError thrown otherwise.
static bool ReadEnv(v8::Local<v8::Context> ctx, v8::Local<v8::Value> env,
		    std::vector<std::pair<std::string, std::string>> *out)
{
	v8::Isolate *isolate = ctx->GetIsolate();
	if (!env->IsObject()) {
		ThrowTypeError(isolate, "spawn: env must be an object of strings");
		return false;
	}
	v8::Local<v8::Object> o = env.As<v8::Object>();
	v8::Local<v8::Array> keys;
	if (!o->GetOwnPropertyNames(ctx, v8::PropertyFilter::ONLY_ENUMERABLE,
				    v8::KeyConversionMode::kConvertToString).ToLocal(&keys))
		return false;
	for (uint32_t i = 0; i < keys->Length(); i++) {
		v8::Local<v8::Value> key, value;
		if (!keys->Get(ctx, i).ToLocal(&key) || !key->IsString())
			return false;
		if (!o->Get(ctx, key).ToLocal(&value))
			return false;
		std::string name = ToStd(isolate, key);
		if (name.empty() || name.find('=') != std::string::npos || name.find('\0') != std::string::npos) {
			ThrowTypeError(isolate, "spawn: env name '" + name + "' is not valid");
			return false;
		}
		if (!value->IsString()) {
			ThrowTypeError(isolate, "spawn: env." + name + " must be a string");
			return false;
		}
		out->emplace_back(std::move(name), ToStd(isolate, value));
	}
	return true;
}

// spawn({ file | source, name, args, cpu, heapLimitMb, budgetMs, resources, payload, env })
//   -> { id, cpu }
// Limits narrow down the tree: a child's heap limit and task budget are at most its
// parent's (asking for more gets the parent's; asking for nothing, too).
static void Spawn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	if (!info[0]->IsObject())
		return ThrowTypeError(isolate, "spawn: options object expected");
	v8::Local<v8::Object> o = info[0].As<v8::Object>();
	App *self = App::From(info);
	auto req = std::make_unique<SpawnRequest>();
	req->parent = self->id();
	v8::Local<v8::Value> file, source, name, args, heap, budget, cpu, resources, payload, permissions, env;
	if (!GetOwn(ctx, o, "file", &file) || !GetOwn(ctx, o, "source", &source) ||
	    !GetOwn(ctx, o, "name", &name) || !GetOwn(ctx, o, "args", &args) ||
	    !GetOwn(ctx, o, "heapLimitMb", &heap) || !GetOwn(ctx, o, "budgetMs", &budget) ||
	    !GetOwn(ctx, o, "cpu", &cpu) || !GetOwn(ctx, o, "resources", &resources) ||
	    !GetOwn(ctx, o, "payload", &payload) || !GetOwn(ctx, o, "permissions", &permissions) ||
	    !GetOwn(ctx, o, "env", &env))
		return;
	bool has_file = file->IsString(), has_source = source->IsString();
	if (has_file == has_source)
		return ThrowTypeError(isolate, "spawn: give exactly one of 'file' and 'source'");
	if (has_file)
		req->file = ToStd(isolate, file);
	else
		req->source = ToStd(isolate, source);
	req->from_source = has_source;
	if (name->IsString())
		req->name = ToStd(isolate, name);
	else
		req->name = has_file ? req->file.substr(req->file.rfind('/') + 1) : "app";
	if (args->IsArray()) {
		v8::Local<v8::Array> a = args.As<v8::Array>();
		for (uint32_t i = 0; i < a->Length(); i++) {
			v8::Local<v8::Value> arg;
			if (!a->Get(ctx, i).ToLocal(&arg))
				return;
			if (!arg->IsString())
				return ThrowTypeError(isolate, "spawn: args must be strings");
			req->argv.push_back(ToStd(isolate, arg));
		}
	}
	if (env->IsUndefined()) {
		req->env = self->env();
	} else if (!ReadEnv(ctx, env, &req->env)) {
		return;
	}
	double heap_mb = heap->IsNumber() ? heap.As<v8::Number>()->Value() : 0;
	double budget_ms = budget->IsNumber() ? budget.As<v8::Number>()->Value() : 0;
	double cpu_index = cpu->IsNumber() ? cpu.As<v8::Number>()->Value() : -1;
	if (!(heap_mb >= 0) || !(budget_ms >= 0) || !(cpu_index >= -1 && cpu_index < kMaxCpuIndex) ||
	    cpu_index != (double)(int)cpu_index) {
		isolate->ThrowException(v8::Exception::RangeError(Str(isolate,
			"spawn: heapLimitMb, budgetMs must be >= 0 and cpu an integer")));
		return;
	}
	req->heap_limit_mb = heap_mb == 0 || heap_mb > (double)self->heap_limit_mb()
				     ? self->heap_limit_mb() : (size_t)heap_mb;
	if (req->heap_limit_mb == 0)
		req->heap_limit_mb = 1;
	req->budget_ms = budget_ms == 0 || budget_ms > self->budget_ms() ? self->budget_ms() : budget_ms;
	std::string bad;
	if (!ParseResources(ctx, resources, &req->resources, &bad))
		return;
	if (!bad.empty())
		return ThrowTypeError(isolate, "spawn: " + bad);
	std::string missing = self->resources().Covers(req->resources);
	if (!missing.empty())
		return ThrowError(isolate, "spawn '" + req->name + "': cannot grant " + missing +
						   ": app '" + self->name() + "' does not hold it");
	if (!payload->IsUndefined()) {
		req->payload = TakeSerialized(isolate, payload);
		if (!req->payload)
			return ThrowTypeError(isolate, "spawn: payload is not an unsent serialized value");
	}
	v8::Local<v8::Value> basis;
	if (!GetOwn(ctx, o, "permissionsBasis", &basis))
		return;
	if (permissions->IsString() != basis->IsString())
		return ThrowTypeError(isolate, "spawn: permissions and permissionsBasis go together");
	if (permissions->IsString()) {
		req->permissions = ToStd(isolate, permissions);
		req->permissions_basis = ToStd(isolate, basis);
	} else {
		req->inherit_permissions = true;
	}
	std::string app_name = req->name;
	uint32_t id = 0;
	unsigned engine = 0;
	self->RecordBuiltinModules();
	std::string error = apps_spawn(std::move(req), (int)cpu_index, kMaxChildrenPerApp, &id, &engine);
	if (!error.empty()) {
		v8::Local<v8::Value> err = v8::Exception::Error(Str(isolate, "spawn '" + app_name + "': " + error));
		if (error.find("too many") != std::string::npos)
			Put(ctx, err.As<v8::Object>(), "code", Str(isolate, "ERR_APP_LIMIT"));
		isolate->ThrowException(err);
		return;
	}
	v8::Local<v8::Object> out = NewRecord(isolate);
	if (Put(ctx, out, "id", v8::Integer::NewFromUnsigned(isolate, id)) &&
	    Put(ctx, out, "cpu", v8::Integer::NewFromUnsigned(isolate, engine)))
		info.GetReturnValue().Set(out);
}

static void Kill(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsUint32())
		return ThrowError(info.GetIsolate(), "kill(id): an app id");
	info.GetReturnValue().Set(apps_kill(info[0].As<v8::Uint32>()->Value()));
}

// background(id): this app's child `id` is a service it started for itself; true, or false
// when `id` is not its child.
static void Background(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsUint32())
		return ThrowError(info.GetIsolate(), "background(id): an app id");
	info.GetReturnValue().Set(apps_set_background(App::From(info)->id(), info[0].As<v8::Uint32>()->Value()));
}

static void Apps(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	std::vector<AppInfo> all = apps_list();
	std::vector<v8::Local<v8::Value>> records;
	for (const AppInfo &a : all) {
		v8::Local<v8::Object> o = NewRecord(isolate);
		if (!Put(ctx, o, "id", v8::Integer::NewFromUnsigned(isolate, a.id)) ||
		    !Put(ctx, o, "name", Str(isolate, a.name)) ||
		    !Put(ctx, o, "cpu", v8::Integer::NewFromUnsigned(isolate, a.engine)) ||
		    !Put(ctx, o, "state", Str(isolate, a.state)) ||
		    !Put(ctx, o, "heapUsed", v8::Number::New(isolate, (double)a.heap_used)) ||
		    !Put(ctx, o, "memoryUsed", v8::Number::New(isolate, (double)a.memory_used)) ||
		    !Put(ctx, o, "heapLimitMb", v8::Number::New(isolate, (double)a.heap_limit_mb)) ||
		    !Put(ctx, o, "budgetMs", v8::Number::New(isolate, a.budget_ms)) ||
		    !Put(ctx, o, "busyMs", v8::Number::New(isolate, (double)a.busy_ns / 1e6)) ||
		    !Put(ctx, o, "parentId", v8::Integer::NewFromUnsigned(isolate, a.parent)))
			return;
		records.push_back(o);
	}
	info.GetReturnValue().Set(v8::Array::New(isolate, records.data(), records.size()));
}

// permissionsOf(id) -> the grant's text ("" = unrestricted), or undefined: no such app.
static void PermissionsOf(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsUint32())
		return ThrowTypeError(info.GetIsolate(), "permissionsOf(id): an app id");
	std::string text;
	if (apps_permissions(info[0].As<v8::Uint32>()->Value(), &text))
		info.GetReturnValue().Set(Str(info.GetIsolate(), text));
}

// setPermissions(id, text): only for this app or one of its descendants.
static void SetPermissions(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!info[0]->IsUint32() || !info[1]->IsString())
		return ThrowTypeError(isolate, "setPermissions(id, text): an app id and a string");
	std::string error = apps_set_permissions(App::From(info)->id(), info[0].As<v8::Uint32>()->Value(),
						 ToStd(isolate, info[1]));
	if (!error.empty())
		return ThrowError(isolate, "setPermissions: " + error);
}

static void Audit(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsString())
		return ThrowTypeError(info.GetIsolate(), "audit(line): a string");
	apps_audit(App::From(info)->id(), ToStd(info.GetIsolate(), info[0]));
}

static void AuditLog(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::vector<v8::Local<v8::Value>> lines;
	for (const std::string &line : apps_audit_log())
		lines.push_back(Str(isolate, line));
	info.GetReturnValue().Set(v8::Array::New(isolate, lines.data(), lines.size()));
}

static void KeepAlive(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!info[0]->IsInt32())
		return ThrowError(info.GetIsolate(), "keepAlive(delta): an integer");
	App *app = App::From(info);
	app->AdjustRefs(info[0].As<v8::Int32>()->Value());
}

void AddAppsBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	AddIpcBinding(app, ctx, b);
	SetMethod(ctx, b, "spawn", Spawn);
	SetMethod(ctx, b, "kill", Kill);
	SetMethod(ctx, b, "apps", Apps);
	SetMethod(ctx, b, "keepAlive", KeepAlive);
	SetMethod(ctx, b, "background", Background);
	SetMethod(ctx, b, "permissionsOf", PermissionsOf);
	SetMethod(ctx, b, "setPermissions", SetPermissions);
	SetMethod(ctx, b, "audit", Audit);
	SetMethod(ctx, b, "auditLog", AuditLog);
}

void AddAppsState(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	v8::Isolate *isolate = app->isolate();
	Put(ctx, b, "appId", v8::Integer::NewFromUnsigned(isolate, app->id()));
	Put(ctx, b, "parentId", v8::Integer::NewFromUnsigned(isolate, app->parent_id()));
	Put(ctx, b, "cpu", v8::Integer::NewFromUnsigned(isolate, app->engine()));
	// The engines apps run on (--cpus): the process's, but not the snapshot's maker's.
	Put(ctx, b, "cpuCount", v8::Integer::NewFromUnsigned(isolate, engines_count()));
	v8::Local<v8::Value> payload = v8::Undefined(isolate);
	if (std::unique_ptr<Serialized> init_payload = app->TakeInitPayload()) {
		v8::TryCatch tc(isolate);
		if (!app->Deserialize(*init_payload).ToLocal(&payload))
			payload = v8::Undefined(isolate);
	}
	Put(ctx, b, "initPayload", payload);
	std::vector<v8::Local<v8::Value>> flags;
	for (const std::string &f : app->permission_flags())
		flags.push_back(Str(isolate, f));
	Put(ctx, b, "permissionFlags", v8::Array::New(isolate, flags.data(), flags.size()));
}

}  // namespace rtjs
