// ES modules: resolution, loading, static and dynamic import, and the main entry point.
//
// Names: an app's files are absolute paths; the runtime's own modules are embedded in the
// binary and named "rtjs:<path under js/>". Relative specifiers resolve against the
// importing module's name in both worlds. "rtjs:internal/..." and "rtjs:binding" are only
// importable from the runtime's own modules.
#include "app.h"
#include "code-cache.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

extern "C" {
#include "core/js-bundle.h"
}

namespace rtjs {

static const char kScheme[] = "rtjs:";
static const char kBindingName[] = "rtjs:binding";

static bool StartsWith(const std::string &s, const char *prefix)
{
	return s.compare(0, strlen(prefix), prefix) == 0;
}

// Joins and normalises "a/b/../c" segments; keeps a leading '/'.
static std::string NormalizePath(const std::string &path)
{
	std::vector<std::string> parts;
	size_t i = 0;
	while (i <= path.size()) {
		size_t j = path.find('/', i);
		if (j == std::string::npos)
			j = path.size();
		std::string seg = path.substr(i, j - i);
		if (seg == "..") {
			if (!parts.empty())
				parts.pop_back();
		} else if (!seg.empty() && seg != ".") {
			parts.push_back(seg);
		}
		i = j + 1;
	}
	std::string out = path.size() && path[0] == '/' ? "/" : "";
	for (size_t k = 0; k < parts.size(); k++)
		out += (k ? "/" : "") + parts[k];
	return out;
}

static std::string Dirname(const std::string &path)
{
	size_t slash = path.rfind('/');
	return slash == std::string::npos ? "" : path.substr(0, slash);
}

bool ReadSource(const std::string &name, std::string *out, std::string *error)
{
	if (StartsWith(name, kScheme)) {
		const char *data;
		size_t len;
		if (js_bundle_find(name.c_str() + strlen(kScheme), &data, &len) != 0) {
			*error = "no built-in module '" + name + "'";
			return false;
		}
		out->assign(data, len);
		return true;
	}
	FILE *f = fopen(name.c_str(), "rb");
	if (!f) {
		*error = "cannot open '" + name + "': " + strerror(errno);
		return false;
	}
	char buf[65536];
	size_t n;
	out->clear();
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		out->append(buf, n);
	bool ok = !ferror(f);
	if (!ok)
		*error = "cannot read '" + name + "': " + strerror(errno);
	fclose(f);
	return ok;
}

// Resolves within the runtime's own names: "rtjs:" specifiers, and paths relative to the
// importer. Returns "" with *error set when `spec` is neither.
static std::string ResolvePath(const std::string &referrer, const std::string &spec,
			       bool trusted, std::string *error)
{
	if (StartsWith(spec, kScheme)) {
		if (!trusted && (spec == kBindingName || StartsWith(spec, "rtjs:internal/"))) {
			*error = "module '" + spec + "' is internal to the runtime";
			return "";
		}
		return spec;
	}
	bool relative = StartsWith(spec, "./") || StartsWith(spec, "../");
	if (!relative && !StartsWith(spec, "/")) {
		*error = "cannot resolve '" + spec + "' imported from " + referrer +
			 ": use a relative path ('./" + spec + "') or an 'rtjs:' module";
		return "";
	}
	if (StartsWith(referrer, kScheme)) {
		std::string base = referrer.substr(strlen(kScheme));
		return kScheme + NormalizePath("/" + Dirname(base) + "/" + spec).substr(1);
	}
	if (!relative)
		return NormalizePath(spec);
	return NormalizePath(Dirname(referrer) + "/" + spec);
}

// The module name for `specifier` imported from `referrer` (with `type` from its import
// attributes), or "" with an exception pending. The runtime's own modules resolve here;
// what apps import goes to the JavaScript loader (Node's resolution algorithm).
std::string App::ResolveModule(const ModuleRecord *from, const std::string &referrer,
			       const std::string &specifier, const std::string &type)
{
	bool trusted = StartsWith(referrer, kScheme) || (from && from->trusted);
	if (StartsWith(specifier, kScheme) || StartsWith(referrer, kScheme) ||
	    !HasHook(HookId::kResolve)) {
		std::string error;
		std::string name = ResolvePath(referrer, specifier, trusted, &error);
		if (name.empty())
			ThrowError(isolate_, error);
		return name;
	}
	v8::Local<v8::Context> ctx = context();
	v8::Local<v8::Value> args[] = { Str(isolate_, specifier), Str(isolate_, referrer),
					Str(isolate_, type) };
	v8::Local<v8::Value> name;
	if (!Hook(HookId::kResolve)->Call(ctx, v8::Undefined(isolate_), 3, args).ToLocal(&name))
		return "";
	if (!name->IsString()) {
		ThrowError(isolate_, "the module loader resolved '" + specifier + "' to no name");
		return "";
	}
	return ToStd(isolate_, name);
}

static v8::MaybeLocal<v8::Value> BindingEvaluationSteps(v8::Local<v8::Context> context,
							v8::Local<v8::Module> module)
{
	v8::Isolate *isolate = context->GetIsolate();
	App *app = App::From(isolate);
	if (module->SetSyntheticModuleExport(isolate, Str(isolate, "default"),
					     app->binding()).IsNothing())
		return {};
	return v8::Undefined(isolate);
}

static v8::ScriptOrigin Origin(v8::Isolate *isolate, const std::string &name, bool module)
{
	return v8::ScriptOrigin(isolate, Str(isolate, name), 0, 0, false, -1,
				v8::Local<v8::Value>(), false, false, module);
}

// An app module's source from the JavaScript loader: { source, trusted }.
static bool SourceFromLoader(App *app, const std::string &name, std::string *source,
			     bool *trusted)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = app->context();
	v8::Local<v8::Value> arg = Str(isolate, name);
	v8::Local<v8::Value> result, text, flag;
	if (!app->Hook(App::HookId::kLoad)->Call(ctx, v8::Undefined(isolate), 1, &arg).ToLocal(&result))
		return false;
	if (!result->IsObject() ||
	    !result.As<v8::Object>()->Get(ctx, Str(isolate, "source")).ToLocal(&text) ||
	    !text->IsString() ||
	    !result.As<v8::Object>()->Get(ctx, Str(isolate, "trusted")).ToLocal(&flag)) {
		if (!isolate->IsExecutionTerminating())
			ThrowError(isolate, "the module loader gave no source for '" + name + "'");
		return false;
	}
	*source = ToStd(isolate, text);
	*trusted = flag->IsTrue();
	return true;
}

// Compiles (once) the module `name`; empty with an exception pending when it cannot be
// read or does not parse.
v8::MaybeLocal<v8::Module> App::LoadModule(const std::string &name)
{
	if (ModuleRecord *found = FindModule(name))
		return found->module.Get(isolate_);

	v8::Local<v8::Module> module;
	bool trusted = false;
	bool to_cache = false;
	if (name == kBindingName) {
		std::vector<v8::Local<v8::String>> exports = { Str(isolate_, "default") };
		module = v8::Module::CreateSyntheticModule(isolate_, Str(isolate_, name), exports,
							   BindingEvaluationSteps);
	} else {
		std::string source, error;
		bool app_source = from_source_ && name == SourceName();
		if (app_source) {
			source = source_;
		} else if (!StartsWith(name, kScheme) && HasHook(HookId::kLoad)) {
			if (!SourceFromLoader(this, name, &source, &trusted))
				return {};
		} else if (!ReadSource(name, &source, &error)) {
			ThrowError(isolate_, error);
			return {};
		}
		if (!app_source && StartsWith(name, kScheme)) {
			bool from_cache;
			if (!CompileBuiltinModule(isolate_, name, Str(isolate_, source),
						  Origin(isolate_, name, true), &from_cache)
				     .ToLocal(&module))
				return {};
			to_cache = !from_cache;
		} else {
			v8::ScriptCompiler::Source src(Str(isolate_, source), Origin(isolate_, name, true));
			if (!v8::ScriptCompiler::CompileModule(isolate_, &src).ToLocal(&module))
				return {};
		}
	}
	auto rec = std::make_unique<ModuleRecord>();
	rec->name = name;
	rec->trusted = trusted;
	rec->to_cache = to_cache;
	rec->module.Reset(isolate_, module);
	modules_by_name_[name] = rec.get();
	modules_by_hash_.emplace(module->GetIdentityHash(), rec.get());
	modules_.push_back(std::move(rec));
	return module;
}

ModuleRecord *App::FindModule(const std::string &name) const
{
	auto found = modules_by_name_.find(name);
	return found == modules_by_name_.end() ? nullptr : found->second;
}

ModuleRecord *App::FindModule(v8::Local<v8::Module> m) const
{
	auto range = modules_by_hash_.equal_range(m->GetIdentityHash());
	for (auto it = range.first; it != range.second; ++it)
		if (it->second->module.Get(isolate_) == m)
			return it->second;
	return nullptr;
}

// The "type" of an import's attributes (`with { type: 'json' }`), or "".
static std::string ImportType(v8::Isolate *isolate, v8::Local<v8::Context> ctx,
			      v8::Local<v8::FixedArray> attributes, int stride)
{
	for (int i = 0; i + 1 < attributes->Length(); i += stride) {
		v8::Local<v8::Data> key = attributes->Get(ctx, i);
		v8::Local<v8::Data> value = attributes->Get(ctx, i + 1);
		if (key->IsValue() && value->IsValue() && ToStd(isolate, key.As<v8::Value>()) == "type")
			return ToStd(isolate, value.As<v8::Value>());
	}
	return "";
}

// Adds " (imported from <referrer>)" to the message of an error thrown while loading an
// import, so that the report names both files; the error keeps its type and location.
static void NameImporter(v8::Isolate *isolate, v8::Local<v8::Context> ctx,
			 v8::Local<v8::Value> error, const std::string &referrer)
{
	v8::Local<v8::Value> message;
	if (error->IsNativeError() &&
	    error.As<v8::Object>()->Get(ctx, Str(isolate, "message")).ToLocal(&message) &&
	    message->IsString()) {
		std::string text = ToStd(isolate, message);
		if (text.find(" imported from ") == std::string::npos) {
			text += " (imported from " + referrer + ")";
			error.As<v8::Object>()->Set(ctx, Str(isolate, "message"), Str(isolate, text)).IsJust();
		}
	}
}

// Resolves and compiles every static import of `rec`, depth first, before the module is
// instantiated: V8's instantiate callback must not compile or run JavaScript, so it only
// looks these up. False with an exception pending.
bool App::LoadRequests(ModuleRecord *rec)
{
	if (rec->linked)
		return true;
	rec->linked = true;  // in progress: a cycle back to it stops here
	v8::Local<v8::Context> ctx = context();
	v8::Local<v8::Module> module = rec->module.Get(isolate_);
	v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
	for (int i = 0; i < requests->Length(); i++) {
		v8::Local<v8::ModuleRequest> request = requests->Get(ctx, i).As<v8::ModuleRequest>();
		std::string spec = ToStd(isolate_, request->GetSpecifier());
		// The request's attributes are (key, value, location) triples.
		std::string type = ImportType(isolate_, ctx, request->GetImportAssertions(), 3);
		std::string key = spec + '\0' + type;
		v8::TryCatch tc(isolate_);
		std::string name = rec->requests.count(key) ? rec->requests[key]
							    : ResolveModule(rec, rec->name, spec, type);
		v8::Local<v8::Module> dep;
		if (name.empty() || !LoadModule(name).ToLocal(&dep)) {
			rec->linked = false;
			if (tc.HasCaught() && !tc.HasTerminated())
				NameImporter(isolate_, ctx, tc.Exception(), rec->name);
			tc.ReThrow();
			return false;
		}
		rec->requests[key] = name;
		if (!LoadRequests(FindModule(dep))) {
			rec->linked = false;
			tc.ReThrow();
			return false;
		}
	}
	return true;
}

// V8's instantiate callback: every import was loaded by LoadRequests.
static v8::MaybeLocal<v8::Module> ResolveStatic(v8::Local<v8::Context> context,
						v8::Local<v8::String> specifier,
						v8::Local<v8::FixedArray> attributes,
						v8::Local<v8::Module> referrer)
{
	v8::Isolate *isolate = context->GetIsolate();
	App *app = App::From(isolate);
	const ModuleRecord *from = app->FindModule(referrer);
	std::string spec = ToStd(isolate, specifier);
	std::string key = spec + '\0' + ImportType(isolate, context, attributes, 3);
	if (from) {
		auto name = from->requests.find(key);
		if (name != from->requests.end()) {
			if (ModuleRecord *rec = app->FindModule(name->second))
				return rec->module.Get(isolate);
		}
	}
	ThrowError(isolate, "module '" + spec + "' was not loaded before instantiation");
	return {};
}

// Loads the imports, instantiates and evaluates; the promise settles with the module's
// namespace. Empty with an exception pending (or execution terminating).
static v8::MaybeLocal<v8::Promise> LinkAndEvaluate(App *app, v8::Local<v8::Module> module)
{
	v8::Local<v8::Context> context = app->context();
	ModuleRecord *rec = app->FindModule(module);
	if (!rec || !app->LoadRequests(rec))
		return {};
	if (module->InstantiateModule(context, ResolveStatic).IsNothing())
		return {};
	v8::Local<v8::Value> result;
	if (!module->Evaluate(context).ToLocal(&result))
		return {};
	return result.As<v8::Promise>();
}

static void ResolveWithNamespace(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Local<v8::Array> data = info.Data().As<v8::Array>();
	v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
	v8::Local<v8::Value> resolver, ns;
	if (data->Get(context, 0).ToLocal(&resolver) && data->Get(context, 1).ToLocal(&ns))
		resolver.As<v8::Promise::Resolver>()->Resolve(context, ns).IsJust();
}

static void RejectWithReason(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
	info.Data().As<v8::Promise::Resolver>()->Reject(context, info[0]).IsJust();
}

// Loads, links and evaluates what import() asked for and settles its promise; runs as a
// microtask, so that import() never evaluates a module before its caller goes on (as in
// Node and browsers). data: [resolver, referrer, specifier, type].
static void ContinueImport(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	App *app = App::From(isolate);
	v8::Local<v8::Context> ctx = app->context();
	v8::Local<v8::Array> data = info.Data().As<v8::Array>();
	v8::Local<v8::Value> fields[4];
	for (uint32_t i = 0; i < 4; i++)
		if (!data->Get(ctx, i).ToLocal(&fields[i]))
			return;
	v8::Local<v8::Promise::Resolver> resolver = fields[0].As<v8::Promise::Resolver>();
	std::string referrer = ToStd(isolate, fields[1]);
	v8::TryCatch tc(isolate);
	std::string name = app->ResolveModule(nullptr, referrer, ToStd(isolate, fields[2]),
					      ToStd(isolate, fields[3]));
	v8::Local<v8::Module> module;
	v8::Local<v8::Promise> evaluated;
	bool loaded = !name.empty() && app->LoadModule(name).ToLocal(&module);
	bool ok = loaded && LinkAndEvaluate(app, module).ToLocal(&evaluated);
	if (!ok) {
		if (tc.HasTerminated() || !tc.HasCaught() || isolate->IsExecutionTerminating()) {
			tc.ReThrow();
			return;
		}
		if (!name.empty() && !loaded)
			NameImporter(isolate, ctx, tc.Exception(), referrer);
		resolver->Reject(ctx, tc.Exception()).IsJust();
		return;
	}
	// Arrays made with their elements: filling them with Set would hand them to index
	// setters an app put on Array.prototype.
	v8::Local<v8::Value> elements[] = { resolver, module->GetModuleNamespace() };
	v8::Local<v8::Array> pair = v8::Array::New(isolate, elements, 2);
	v8::Local<v8::Function> on_ok, on_err;
	if (!v8::Function::New(ctx, RTJS_EXTERNAL(ResolveWithNamespace), pair).ToLocal(&on_ok) ||
	    !v8::Function::New(ctx, RTJS_EXTERNAL(RejectWithReason), resolver).ToLocal(&on_err))
		return;
	evaluated->Then(ctx, on_ok, on_err).IsEmpty();
}

// import(): a promise now; the loading happens in ContinueImport. Empty only when V8
// cannot allocate (or execution is terminating).
v8::MaybeLocal<v8::Promise> App::ImportDynamic(const std::string &referrer,
					       const std::string &specifier,
					       const std::string &type)
{
	v8::EscapableHandleScope scope(isolate_);
	v8::Local<v8::Context> ctx = context();
	v8::Local<v8::Promise::Resolver> resolver;
	if (!v8::Promise::Resolver::New(ctx).ToLocal(&resolver))
		return {};
	v8::Local<v8::Value> fields[] = { resolver, Str(isolate_, referrer), Str(isolate_, specifier),
					  Str(isolate_, type) };
	v8::Local<v8::Array> data = v8::Array::New(isolate_, fields, 4);
	v8::Local<v8::Function> task;
	if (!v8::Function::New(ctx, RTJS_EXTERNAL(ContinueImport), data).ToLocal(&task))
		return {};
	isolate_->EnqueueMicrotask(task);
	return scope.Escape(resolver->GetPromise());
}

// Loads and evaluates `name` at once (require() of a built-in); its namespace, or empty
// with an exception pending. A module that awaits at its top level cannot be loaded so.
v8::MaybeLocal<v8::Value> App::ImportSync(const std::string &name)
{
	v8::Local<v8::Module> module;
	v8::Local<v8::Promise> done;
	if (!LoadModule(name).ToLocal(&module) || !LinkAndEvaluate(this, module).ToLocal(&done))
		return {};
	if (done->State() == v8::Promise::kRejected) {
		done->MarkAsHandled();
		isolate_->ThrowException(done->Result());
		return {};
	}
	if (done->State() == v8::Promise::kPending) {
		ThrowError(isolate_, "module '" + name + "' awaits at its top level: use import()");
		return {};
	}
	return module->GetModuleNamespace();
}

static v8::MaybeLocal<v8::Promise> ImportDynamicCallback(v8::Local<v8::Context> context,
							 v8::Local<v8::Data> options,
							 v8::Local<v8::Value> resource_name,
							 v8::Local<v8::String> specifier,
							 v8::Local<v8::FixedArray> attributes)
{
	(void)options;
	v8::Isolate *isolate = context->GetIsolate();
	App *app = App::From(isolate);
	std::string referrer = resource_name->IsString() ? ToStd(isolate, resource_name) : "";
	// Scripts without a file (the REPL) import relative to the working directory.
	if (referrer.empty() || referrer[0] != '/') {
		if (!StartsWith(referrer, kScheme)) {
			char cwd[4096];
			referrer = std::string(getcwd(cwd, sizeof(cwd)) ? cwd : "") + "/[eval]";
		}
	}
	// A dynamic import's attributes are (key, value) pairs.
	return app->ImportDynamic(referrer, ToStd(isolate, specifier),
				  ImportType(isolate, context, attributes, 2));
}

// import.meta.resolve(specifier): the URL the module would import, without loading it.
static void ImportMetaResolve(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	App *app = App::From(isolate);
	std::string referrer = ToStd(isolate, info.Data());
	std::string spec = ToStd(isolate, info[0]);
	std::string name = app->ResolveModule(nullptr, referrer, spec, "");
	if (!name.empty())
		info.GetReturnValue().Set(
			Str(isolate, StartsWith(name, kScheme) ? name : "file://" + name));
}

static void InitializeImportMeta(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
				 v8::Local<v8::Object> meta)
{
	v8::Isolate *isolate = context->GetIsolate();
	const ModuleRecord *rec = App::From(isolate)->FindModule(module);
	if (!rec)
		return;
	bool builtin = StartsWith(rec->name, kScheme);
	meta->CreateDataProperty(context, Str(isolate, "url"),
				 Str(isolate, builtin ? rec->name : "file://" + rec->name)).IsJust();
	if (!builtin) {
		meta->CreateDataProperty(context, Str(isolate, "filename"),
					 Str(isolate, rec->name)).IsJust();
		meta->CreateDataProperty(context, Str(isolate, "dirname"),
					 Str(isolate, Dirname(rec->name))).IsJust();
	}
	v8::Local<v8::Function> resolve;
	if (v8::Function::New(context, RTJS_EXTERNAL(ImportMetaResolve), Str(isolate, rec->name)).ToLocal(&resolve))
		meta->CreateDataProperty(context, Str(isolate, "resolve"), resolve).IsJust();
}

// A directory is an app if its package.json names a "main" (default index.js).
static std::string MainFile(v8::Isolate *isolate, v8::Local<v8::Context> context,
			    const std::string &path, std::string *error)
{
	struct stat st;
	if (stat(path.c_str(), &st) != 0) {
		*error = "cannot open app '" + path + "': " + strerror(errno);
		return "";
	}
	char real[4096];
	if (!realpath(path.c_str(), real)) {
		*error = "cannot open app '" + path + "': " + strerror(errno);
		return "";
	}
	std::string abs = real;
	if (!S_ISDIR(st.st_mode))
		return abs;
	std::string json, main = "index.js";
	// A directory that cannot be searched says why (permission denied), not "does not exist".
	std::string package = abs + "/package.json";
	if (stat(package.c_str(), &st) != 0 && errno != ENOENT) {
		*error = "cannot open app '" + path + "': '" + package + "': " + strerror(errno);
		return "";
	}
	if (ReadSource(package, &json, error)) {
		v8::TryCatch tc(isolate);
		v8::Local<v8::Value> pkg, field;
		if (!v8::JSON::Parse(context, Str(isolate, json)).ToLocal(&pkg) || !pkg->IsObject()) {
			*error = "app '" + path + "': package.json is not valid JSON";
			return "";
		}
		if (pkg.As<v8::Object>()->Get(context, Str(isolate, "main")).ToLocal(&field) &&
		    field->IsString())
			main = ToStd(isolate, field);
	}
	error->clear();
	std::string file = NormalizePath(abs + "/" + main);
	int rc = stat(file.c_str(), &st);
	if (rc != 0 || !S_ISREG(st.st_mode)) {
		*error = "cannot open app '" + path + "': its main file '" + file + "' " +
			 (rc == 0 ? "is not a file" : errno == ENOENT ? "does not exist" : strerror(errno));
		return "";
	}
	return file;
}

static const int kExitBadPath = 2;

// An app spawned from source text is named as if it were a file in the working directory,
// so that its relative imports resolve there.
std::string App::SourceName() const
{
	char cwd[4096];
	std::string dir = getcwd(cwd, sizeof(cwd)) ? cwd : "";
	if (dir.empty() || dir.back() != '/')
		dir += '/';
	return dir + "[" + name_ + "#" + std::to_string(id_) + "].js";
}

bool App::RunMain()
{
	v8::Local<v8::Context> ctx = context();
	isolate_->SetHostImportModuleDynamicallyCallback(ImportDynamicCallback);
	isolate_->SetHostInitializeImportMetaObjectCallback(InitializeImportMeta);
	// Preloaded modules run first, each to its end or its first top-level await (as a
	// module's own imports would).
	for (const std::string &p : preload_) {
		std::string error;
		std::string file = MainFile(isolate_, ctx, p, &error);
		if (file.empty()) {
			WriteStderr("rtjs: cannot preload " + p + ": " + error + "\n");
			Exit(kExitBadPath, "error");
			return false;
		}
		if (!RunModule(file) || exited_)
			return false;
	}
	if (from_source_)
		return RunModule(SourceName());
	std::string path = main_.empty() ? std::string("rtjs:internal/repl-main.js") : main_;
	std::string name = path, error;
	if (!StartsWith(path, kScheme)) {
		name = MainFile(isolate_, ctx, path, &error);
		if (name.empty()) {
			WriteStderr("rtjs: " + error + "\n");
			Exit(kExitBadPath, "error");
			return false;
		}
	}
	v8::TryCatch tc(isolate_);
	if (classic_script_) {
		std::string source;
		v8::Local<v8::Script> script;
		if (!ReadSource(name, &source, &error)) {
			WriteStderr("rtjs: " + error + "\n");
			Exit(kExitBadPath, "error");
			return false;
		}
		v8::ScriptOrigin origin = Origin(isolate_, name, false);
		if (!v8::Script::Compile(ctx, Str(isolate_, source), &origin).ToLocal(&script) ||
		    script->Run(ctx).IsEmpty()) {
			HandleUncaught(tc);
			return false;
		}
		return true;
	}
	return RunModule(name);
}

// The evaluation of a module run as a main (or preload) failing after a top-level await.
static void EvaluationRejected(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	v8::Local<v8::Value> error = info[0];
	app->UncaughtError(error, v8::Exception::CreateMessage(info.GetIsolate(), error),
			   App::ErrorOrigin::kEvaluation);
}

bool App::RunModule(const std::string &name)
{
	v8::TryCatch tc(isolate_);
	v8::Local<v8::Module> module;
	v8::Local<v8::Promise> done;
	if (!LoadModule(name).ToLocal(&module) || !LinkAndEvaluate(this, module).ToLocal(&done)) {
		HandleUncaught(tc);
		return false;
	}
	// A module that throws while evaluating yields a rejected promise. A CommonJS main
	// (the bridge the loader made for it) threw synchronously, as Node's require of it
	// would; an ES module's failure is its module job's rejection.
	const ModuleRecord *rec = FindModule(name);
	bool commonjs = rec && rec->trusted && !StartsWith(name, kScheme);
	ErrorOrigin origin = commonjs ? ErrorOrigin::kThrow : ErrorOrigin::kEvaluation;
	if (done->State() == v8::Promise::kRejected) {
		v8::Local<v8::Value> error = done->Result();
		done->MarkAsHandled();
		for (auto it = rejections_.begin(); it != rejections_.end(); ++it) {
			if (it->first.Get(isolate_) == done) {
				rejections_.erase(it);
				break;
			}
		}
		UncaughtError(error, v8::Exception::CreateMessage(isolate_, error), origin);
		return false;
	}
	v8::Local<v8::Function> rejected;
	if (done->State() == v8::Promise::kPending &&
	    (!v8::Function::New(context(), RTJS_EXTERNAL(EvaluationRejected)).ToLocal(&rejected) ||
	     done->Catch(context(), rejected).IsEmpty())) {
		HandleUncaught(tc);
		return false;
	}
	return true;
}

// The module loader's native side ('rtjs:binding'). App files are read natively: hosted
// from the host's file system, on the kernel from the initrd.

// setModuleHooks(resolve, load): resolve(specifier, referrer, type) -> name;
// load(name) -> { source, trusted }.
static void SetModuleHooks(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!info[0]->IsFunction() || !info[1]->IsFunction())
		return ThrowError(isolate, "setModuleHooks: two functions expected");
	App *app = App::From(info);
	app->SetHook(App::HookId::kResolve, info[0].As<v8::Function>());
	app->SetHook(App::HookId::kLoad, info[1].As<v8::Function>());
}

// readFile(path): the file's text (UTF-8), or undefined when it cannot be read.
static void ReadFile(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string path = ToStd(isolate, info[0]), text, error;
	if (!info[0]->IsString() || StartsWith(path, kScheme) || !ReadSource(path, &text, &error))
		return;
	v8::Local<v8::String> s;
	if (v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
				    (int)text.size()).ToLocal(&s))
		info.GetReturnValue().Set(s);
}

// fileKind(path): 1 for a regular file, 2 for a directory, 0 for anything else.
static void FileKind(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	struct stat st;
	std::string path = ToStd(info.GetIsolate(), info[0]);
	int kind = 0;
	if (info[0]->IsString() && stat(path.c_str(), &st) == 0)
		kind = S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 2 : 0;
	info.GetReturnValue().Set(kind);
}

// realpath(path): the canonical absolute path, or undefined.
static void RealPath(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	char real[PATH_MAX];
	std::string path = ToStd(info.GetIsolate(), info[0]);
	if (info[0]->IsString() && realpath(path.c_str(), real))
		info.GetReturnValue().Set(Str(info.GetIsolate(), real));
}

static void Cwd(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	char cwd[PATH_MAX];
	info.GetReturnValue().Set(Str(info.GetIsolate(), getcwd(cwd, sizeof(cwd)) ? cwd : "/"));
}

// compileFunction(source, filename, [params]): a function whose body is `source`, named
// `filename` in stacks (a CommonJS module). Throws the SyntaxError if it does not parse.
static void CompileFunction(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	if (!info[0]->IsString() || !info[1]->IsString() || !info[2]->IsArray())
		return ThrowError(isolate, "compileFunction: (source, filename, params) expected");
	v8::Local<v8::Array> list = info[2].As<v8::Array>();
	std::vector<v8::Local<v8::String>> params;
	for (uint32_t i = 0; i < list->Length(); i++) {
		v8::Local<v8::Value> p;
		if (!list->Get(ctx, i).ToLocal(&p) || !p->IsString())
			return ThrowError(isolate, "compileFunction: parameter names are strings");
		params.push_back(p.As<v8::String>());
	}
	v8::ScriptCompiler::Source src(info[0].As<v8::String>(),
				       Origin(isolate, ToStd(isolate, info[1]), false));
	v8::Local<v8::Function> fn;
	if (v8::ScriptCompiler::CompileFunction(ctx, &src, params.size(), params.data())
		    .ToLocal(&fn))
		info.GetReturnValue().Set(fn);
}

// importSync(name): the namespace of the runtime module `name` ("rtjs:..."), evaluated now.
static void ImportSyncCallback(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string name = ToStd(isolate, info[0]);
	if (!info[0]->IsString() || !StartsWith(name, kScheme))
		return ThrowError(isolate, "importSync: a runtime module name expected");
	v8::Local<v8::Value> ns;
	if (App::From(info)->ImportSync(name).ToLocal(&ns))
		info.GetReturnValue().Set(ns);
}

// hasBuiltin(path): whether js/<path> is embedded in the runtime.
static void HasBuiltin(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	const char *data;
	size_t len;
	std::string path = ToStd(info.GetIsolate(), info[0]);
	info.GetReturnValue().Set(info[0]->IsString() &&
				  js_bundle_find(path.c_str(), &data, &len) == 0);
}

// readBuiltin(path): the text of the embedded js/<path> (embedded npm packages' files).
static void ReadBuiltin(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string path = ToStd(isolate, info[0]), text, error;
	if (!info[0]->IsString() || !ReadSource(kScheme + path, &text, &error))
		return ThrowError(isolate, "readBuiltin: " + error);
	v8::Local<v8::String> s;
	if (v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
				    (int)text.size()).ToLocal(&s))
		info.GetReturnValue().Set(s);
}

intptr_t ModulesSyntheticReference()
{
	return reinterpret_cast<intptr_t>(BindingEvaluationSteps);
}

void AddModulesBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "setModuleHooks", SetModuleHooks);
	SetMethod(ctx, b, "readFile", ReadFile);
	SetMethod(ctx, b, "fileKind", FileKind);
	SetMethod(ctx, b, "realpath", RealPath);
	SetMethod(ctx, b, "cwd", Cwd);
	SetMethod(ctx, b, "compileFunction", CompileFunction);
	SetMethod(ctx, b, "importSync", ImportSyncCallback);
	SetMethod(ctx, b, "hasBuiltin", HasBuiltin);
	SetMethod(ctx, b, "readBuiltin", ReadBuiltin);
}

}  // namespace rtjs
