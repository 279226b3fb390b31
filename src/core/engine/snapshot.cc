// The startup snapshot (snapshot.h): its making, its file, and an app's bootstrap from it.
#include "snapshot.h"

#include <elf.h>
#include <link.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app.h"

// The linker's bounds of the section RTJS_EXTERNAL fills (GNU ld defines __start_/__stop_
// symbols for a section whose name is a C identifier).
extern "C" const v8::FunctionCallback __start_rtjs_external_refs[];
extern "C" const v8::FunctionCallback __stop_rtjs_external_refs[];

namespace rtjs {

static const char kBootstrapModule[] = "rtjs:internal/bootstrap.js";
// The app module loader (Node's resolution, CommonJS), which the bootstrap imports when an app
// first loads a module of its own: every app whose main is a file does, and compiling the
// loader's four modules then was a tenth of an empty app's instructions.
static const char kModuleLoader[] = "rtjs:internal/modules/loader.js";
// The file: kMagic, then strings (a 32-bit length and the bytes) and 32-bit numbers, in
// the order Write puts them.
static const char kMagic[8] = { 'R', 'T', 'J', 'S', 'S', 'N', 'P', '1' };

static std::unique_ptr<StartupSnapshot> g_snapshot;

const StartupSnapshot *StartupSnapshotGet()
{
	return g_snapshot.get();
}

static std::vector<intptr_t> MakeReferenceTable()
{
	std::vector<intptr_t> table;
	for (const v8::FunctionCallback *p = __start_rtjs_external_refs; p < __stop_rtjs_external_refs; p++)
		table.push_back(reinterpret_cast<intptr_t>(*p));
	table.push_back(ModulesSyntheticReference());
	table.push_back(0);
	return table;
}

const intptr_t *ExternalReferences()
{
	static const std::vector<intptr_t> table = MakeReferenceTable();
	return table.data();
}

// This program's GNU build id (ld --build-id), which changes with any change to its code or
// to the JavaScript it embeds; "" if it has none.
static std::string BuildId()
{
	std::string id;
	dl_iterate_phdr(
		[](struct dl_phdr_info *info, size_t, void *data) {
			auto *out = static_cast<std::string *>(data);
			for (int i = 0; i < info->dlpi_phnum; i++) {
				const ElfW(Phdr) &ph = info->dlpi_phdr[i];
				if (ph.p_type != PT_NOTE)
					continue;
				const char *p = reinterpret_cast<const char *>(info->dlpi_addr + ph.p_vaddr);
				const char *end = p + ph.p_memsz;
				while (p + sizeof(ElfW(Nhdr)) <= end) {
					const ElfW(Nhdr) *n = reinterpret_cast<const ElfW(Nhdr) *>(p);
					const char *desc = p + sizeof *n + ((n->n_namesz + 3) & ~3u);
					if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + sizeof *n, "GNU", 4) == 0)
						out->assign(desc, n->n_descsz);
					p = desc + ((n->n_descsz + 3) & ~3u);
				}
			}
			return 1;  // the first object is the program itself
		},
		&id);
	return id;
}

// Evaluates the bootstrap's module in a new context of the creator's isolate and adds the
// context, its modules and the binding to the snapshot. False (with the error reported)
// if the bootstrap failed. The app's own part (startApp) is not run: it is every app's.
bool App::CaptureBootstrap(v8::SnapshotCreator *creator, StartupSnapshot *out)
{
	v8::HandleScope scope(isolate_);
	v8::Local<v8::Context> context = v8::Context::New(isolate_);
	context_.Reset(isolate_, context);
	{
		v8::Context::Scope context_scope(context);
		v8::Local<v8::Object> b = CreateBinding(this);
		binding_.Reset(isolate_, b);
		if (!RunModule(kBootstrapModule) || exited_ || !RunModule(kModuleLoader) || exited_)
			return false;
		// A serialised context carries no microtask queue: whatever the bootstrap queued
		// runs now.
		isolate_->PerformMicrotaskCheckpoint();
		if (exited_ || !rejections_.empty())
			return false;
		for (const auto &rec : modules_) {
			SnapshotModule m;
			m.name = rec->name;
			m.trusted = rec->trusted;
			m.requests = rec->requests;
			m.index = creator->AddData(context, rec->module.Get(isolate_));
			out->modules.push_back(std::move(m));
		}
		out->binding_index = creator->AddData(context, b);
	}
	// The default context (what Context::New gives in an isolate made from the snapshot)
	// stays a plain one; the runtime's is a context of its own.
	creator->SetDefaultContext(v8::Context::New(isolate_));
	out->context_index = creator->AddContext(context);
	return true;
}

// The bootstrapped context from the snapshot: the same globals and modules as a bootstrap
// would make, then the app's own part.
bool App::BootstrapFromSnapshot()
{
	v8::Local<v8::Context> context;
	if (!v8::Context::FromSnapshot(isolate_, snapshot_->context_index).ToLocal(&context))
		return false;
	context_.Reset(isolate_, context);
	v8::Context::Scope context_scope(context);
	for (const SnapshotModule &m : snapshot_->modules) {
		v8::Local<v8::Module> module;
		if (!context->GetDataFromSnapshotOnce<v8::Module>(m.index).ToLocal(&module))
			return false;
		auto rec = std::make_unique<ModuleRecord>();
		rec->name = m.name;
		rec->trusted = m.trusted;
		rec->linked = true;
		rec->requests = m.requests;
		rec->module.Reset(isolate_, module);
		modules_by_name_[m.name] = rec.get();
		modules_by_hash_.emplace(module->GetIdentityHash(), rec.get());
		modules_.push_back(std::move(rec));
	}
	v8::Local<v8::Object> b;
	if (!context->GetDataFromSnapshotOnce<v8::Object>(snapshot_->binding_index).ToLocal(&b))
		return false;
	binding_.Reset(isolate_, b);
	return StartApp();
}

static bool Capture(v8::SnapshotCreator *creator, StartupSnapshot *out)
{
	SpawnRequest req;
	req.name = "snapshot";
	// The App is gone (its handles released) before the blob is made: V8 refuses to
	// serialise while a global handle points into the heap.
	App app(req, creator->GetIsolate());
	v8::Isolate::Scope isolate_scope(creator->GetIsolate());
	return app.CaptureBootstrap(creator, out);
}

static void PutNumber(std::string *out, uint32_t n)
{
	out->append(reinterpret_cast<const char *>(&n), sizeof n);
}

static void PutString(std::string *out, const std::string &s)
{
	PutNumber(out, (uint32_t)s.size());
	out->append(s);
}

int StartupSnapshotWrite(const char *path, const std::string &flags)
{
	StartupSnapshot snapshot;
	{
		v8::SnapshotCreator creator(ExternalReferences());
		if (!Capture(&creator, &snapshot)) {
			WriteStderr("rtjs: --make-snapshot: the bootstrap failed\n");
			return 1;
		}
		snapshot.blob = creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
	}
	std::unique_ptr<const char[]> owned(snapshot.blob.data);
	if (!snapshot.blob.data) {
		WriteStderr("rtjs: --make-snapshot: V8 made no snapshot\n");
		return 1;
	}
	std::string file(kMagic, sizeof kMagic);
	PutString(&file, BuildId());
	PutString(&file, flags);
	PutNumber(&file, (uint32_t)snapshot.context_index);
	PutNumber(&file, (uint32_t)snapshot.binding_index);
	PutNumber(&file, (uint32_t)snapshot.modules.size());
	for (const SnapshotModule &m : snapshot.modules) {
		PutString(&file, m.name);
		PutNumber(&file, m.trusted);
		PutNumber(&file, (uint32_t)m.index);
		PutNumber(&file, (uint32_t)m.requests.size());
		for (const auto &[key, name] : m.requests) {
			PutString(&file, key);
			PutString(&file, name);
		}
	}
	PutString(&file, std::string(snapshot.blob.data, (size_t)snapshot.blob.raw_size));
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(file.data(), 1, file.size(), f) != file.size() || fclose(f) != 0) {
		WriteStderr(std::string("rtjs: --make-snapshot: cannot write '") + path + "': " + strerror(errno) + "\n");
		return 1;
	}
	return 0;
}

// Reads the file's fields in order; any read past its end makes ok false.
struct Reader {
	const std::string &data;
	size_t at = 0;
	bool ok = true;
	uint32_t Number()
	{
		uint32_t n = 0;
		if (at + sizeof n > data.size()) {
			ok = false;
			return 0;
		}
		memcpy(&n, data.data() + at, sizeof n);
		at += sizeof n;
		return n;
	}
	std::string String()
	{
		uint32_t n = Number();
		if (!ok || n > data.size() - at) {
			ok = false;
			return "";
		}
		at += n;
		return data.substr(at - n, n);
	}
};

bool StartupSnapshotLoad(const char *path, const std::string &flags, std::string *why)
{
	std::string file, error;
	if (!ReadSource(path, &file, &error)) {
		*why = error;
		return false;
	}
	if (file.compare(0, sizeof kMagic, kMagic, sizeof kMagic) != 0) {
		*why = "not a snapshot of rtjs";
		return false;
	}
	Reader r{ file, sizeof kMagic };
	std::string id = r.String();
	if (id.empty() || id != BuildId()) {
		*why = "written by another build of the runtime";
		return false;
	}
	if (r.String() != flags) {
		*why = "made with other V8 flags";
		return false;
	}
	auto snapshot = std::make_unique<StartupSnapshot>();
	snapshot->context_index = r.Number();
	snapshot->binding_index = r.Number();
	uint32_t count = r.Number();
	for (uint32_t i = 0; r.ok && i < count; i++) {
		SnapshotModule m;
		m.name = r.String();
		m.trusted = r.Number() != 0;
		m.index = r.Number();
		uint32_t requests = r.Number();
		for (uint32_t j = 0; r.ok && j < requests; j++) {
			std::string key = r.String();
			m.requests[key] = r.String();
		}
		snapshot->modules.push_back(std::move(m));
	}
	snapshot->blob_bytes = r.String();
	if (!r.ok || snapshot->blob_bytes.empty()) {
		*why = "truncated";
		return false;
	}
	snapshot->blob = { snapshot->blob_bytes.data(), (int)snapshot->blob_bytes.size() };
	g_snapshot = std::move(snapshot);
	return true;
}

}  // namespace rtjs
