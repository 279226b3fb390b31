// ES modules: resolution, loading, static and dynamic import, and the main entry point.
//
// Names: an app's files are absolute paths; the runtime's own modules are embedded in the
// binary and named "rtjs:<path under js/>". Relative specifiers resolve against the
// importing module's name in both worlds. "rtjs:internal/..." and "rtjs:binding" are only
// importable from the runtime's own modules.
#include "app.h"

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

// Returns the module name for `spec` imported from `referrer`, or "" with *error set.
static std::string Resolve(const std::string &referrer, const std::string &spec,
			   std::string *error)
{
	bool from_runtime = StartsWith(referrer, kScheme);
	if (StartsWith(spec, kScheme)) {
		if (!from_runtime && (spec == kBindingName || StartsWith(spec, "rtjs:internal/"))) {
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
	if (from_runtime) {
		std::string base = referrer.substr(strlen(kScheme));
		return kScheme + NormalizePath("/" + Dirname(base) + "/" + spec).substr(1);
	}
	if (!relative)
		return NormalizePath(spec);
	return NormalizePath(Dirname(referrer) + "/" + spec);
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

static v8::MaybeLocal<v8::Value> BindingEvaluationSteps(v8::Local<v8::Context> context,
							v8::Local<v8::Module> module)
{
	v8::Isolate *isolate = context->GetIsolate();
	App *app = App::From(isolate);
	module->SetSyntheticModuleExport(isolate, Str(isolate, "default"),
					 app->binding_.Get(isolate)).Check();
	return v8::Undefined(isolate);
}

static v8::ScriptOrigin Origin(v8::Isolate *isolate, const std::string &name, bool module)
{
	return v8::ScriptOrigin(isolate, Str(isolate, name), 0, 0, false, -1,
				v8::Local<v8::Value>(), false, false, module);
}

v8::MaybeLocal<v8::Module> App::LoadModule(const std::string &name)
{
	auto found = modules_by_name_.find(name);
	if (found != modules_by_name_.end())
		return found->second->module.Get(isolate_);

	v8::Local<v8::Module> module;
	if (name == kBindingName) {
		std::vector<v8::Local<v8::String>> exports = { Str(isolate_, "default") };
		module = v8::Module::CreateSyntheticModule(isolate_, Str(isolate_, name), exports,
							   BindingEvaluationSteps);
	} else {
		std::string source, error;
		if (from_source_ && name == SourceName()) {
			source = source_;
		} else if (!ReadSource(name, &source, &error)) {
			ThrowError(isolate_, error);
			return {};
		}
		v8::ScriptCompiler::Source src(Str(isolate_, source), Origin(isolate_, name, true));
		if (!v8::ScriptCompiler::CompileModule(isolate_, &src).ToLocal(&module))
			return {};
	}
	auto rec = std::make_unique<ModuleRecord>();
	rec->name = name;
	rec->module.Reset(isolate_, module);
	modules_by_name_[name] = rec.get();
	modules_.push_back(std::move(rec));
	return module;
}

const ModuleRecord *App::FindModule(v8::Local<v8::Module> m) const
{
	for (const auto &rec : modules_)
		if (rec->module.Get(isolate_) == m)
			return rec.get();
	return nullptr;
}

static v8::MaybeLocal<v8::Module> ResolveStatic(v8::Local<v8::Context> context,
						v8::Local<v8::String> specifier,
						v8::Local<v8::FixedArray> assertions,
						v8::Local<v8::Module> referrer)
{
	(void)assertions;
	v8::Isolate *isolate = context->GetIsolate();
	App *app = App::From(isolate);
	const ModuleRecord *from = app->FindModule(referrer);
	std::string error;
	std::string name = Resolve(from ? from->name : "", ToStd(isolate, specifier), &error);
	if (name.empty()) {
		ThrowError(isolate, error);
		return {};
	}
	return app->LoadModule(name);
}

// Instantiates and evaluates; the promise settles with the module's namespace.
static v8::MaybeLocal<v8::Promise> LinkAndEvaluate(App *app, v8::Local<v8::Module> module)
{
	v8::Local<v8::Context> context = app->context();
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
	v8::Local<v8::Value> resolver = data->Get(context, 0).ToLocalChecked();
	v8::Local<v8::Value> ns = data->Get(context, 1).ToLocalChecked();
	resolver.As<v8::Promise::Resolver>()->Resolve(context, ns).Check();
}

static void RejectWithReason(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
	info.Data().As<v8::Promise::Resolver>()->Reject(context, info[0]).Check();
}

v8::MaybeLocal<v8::Promise> App::ImportDynamic(const std::string &referrer,
					       const std::string &specifier)
{
	v8::EscapableHandleScope scope(isolate_);
	v8::Local<v8::Context> ctx = context();
	v8::Local<v8::Promise::Resolver> resolver;
	if (!v8::Promise::Resolver::New(ctx).ToLocal(&resolver))
		return {};
	v8::TryCatch tc(isolate_);
	std::string error;
	std::string name = Resolve(referrer, specifier, &error);
	v8::Local<v8::Module> module;
	v8::Local<v8::Promise> evaluated;
	if (name.empty())
		ThrowError(isolate_, error);
	else if (LoadModule(name).ToLocal(&module) &&
		 !LinkAndEvaluate(this, module).ToLocal(&evaluated))
		evaluated = v8::Local<v8::Promise>();
	if (tc.HasCaught()) {
		if (tc.HasTerminated())
			return {};
		resolver->Reject(ctx, tc.Exception()).Check();
		return scope.Escape(resolver->GetPromise());
	}
	v8::Local<v8::Array> data = v8::Array::New(isolate_, 2);
	data->Set(ctx, 0, resolver).Check();
	data->Set(ctx, 1, module->GetModuleNamespace()).Check();
	v8::Local<v8::Function> on_ok =
		v8::Function::New(ctx, ResolveWithNamespace, data).ToLocalChecked();
	v8::Local<v8::Function> on_err =
		v8::Function::New(ctx, RejectWithReason, resolver).ToLocalChecked();
	evaluated->Then(ctx, on_ok, on_err).ToLocalChecked();
	return scope.Escape(resolver->GetPromise());
}

static v8::MaybeLocal<v8::Promise> ImportDynamicCallback(v8::Local<v8::Context> context,
							 v8::Local<v8::Data> options,
							 v8::Local<v8::Value> resource_name,
							 v8::Local<v8::String> specifier,
							 v8::Local<v8::FixedArray> assertions)
{
	(void)options;
	(void)assertions;
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
	return app->ImportDynamic(referrer, ToStd(isolate, specifier));
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
				 Str(isolate, builtin ? rec->name : "file://" + rec->name)).Check();
	if (!builtin)
		meta->CreateDataProperty(context, Str(isolate, "filename"),
					 Str(isolate, rec->name)).Check();
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
	if (ReadSource(abs + "/package.json", &json, error)) {
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
	if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
		*error = "cannot open app '" + path + "': its main file '" + file + "' does not exist";
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

bool App::RunModule(const std::string &name)
{
	v8::TryCatch tc(isolate_);
	v8::Local<v8::Module> module;
	v8::Local<v8::Promise> done;
	if (!LoadModule(name).ToLocal(&module) || !LinkAndEvaluate(this, module).ToLocal(&done)) {
		HandleUncaught(tc);
		return false;
	}
	// A module that throws while evaluating yields a rejected promise: report it as the
	// uncaught exception it is. A later rejection (after a top-level await) is reported by
	// the rejection tracker as "Uncaught (in promise)".
	if (done->State() == v8::Promise::kRejected) {
		v8::Local<v8::Value> error = done->Result();
		done->MarkAsHandled();
		for (auto it = rejections_.begin(); it != rejections_.end(); ++it) {
			if (it->first.Get(isolate_) == done) {
				rejections_.erase(it);
				break;
			}
		}
		ReportException(error, v8::Exception::CreateMessage(isolate_, error), "Uncaught ");
		Exit(1, "error");
		return false;
	}
	return true;
}

}  // namespace rtjs
