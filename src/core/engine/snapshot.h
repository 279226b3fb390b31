// The startup snapshot: the runtime's bootstrapped context (its modules evaluated, the
// globals made, the binding installed), serialised with v8::SnapshotCreator by a run of the
// runtime made for it (`--make-snapshot FILE`, at build time) and deserialised by init and
// every app instead of evaluating the bootstrap (docs/design.md, "Apps start from a startup
// snapshot").
//
// Made by another process, never in the process that uses it: V8 11.3 as Debian builds it
// shares one read-only heap between the isolates of a process, and a context snapshot names
// read-only objects by their index in that heap's object cache, whose order is the one of the
// snapshot the process's first isolate came from. An isolate made from a snapshot written
// later in the same process reads other objects under the same indices (a Map's key 'J'
// came back as 'E').
#ifndef RTJS_ENGINE_SNAPSHOT_H
#define RTJS_ENGINE_SNAPSHOT_H

#include <v8.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rtjs {

// A module of the bootstrapped context: what the module map needs to take it back.
struct SnapshotModule {
	std::string name;
	bool trusted = false;
	std::unordered_map<std::string, std::string> requests;
	size_t index = 0;  // Context::GetDataFromSnapshotOnce
};

struct StartupSnapshot {
	std::string blob_bytes;
	v8::StartupData blob{ nullptr, 0 };
	size_t context_index = 0;  // Context::FromSnapshot
	size_t binding_index = 0;  // the 'rtjs:binding' object
	std::vector<SnapshotModule> modules;
};

// The snapshot apps start from, or null (none given, or it did not fit this program).
const StartupSnapshot *StartupSnapshotGet();

// Makes the snapshot with the V8 flags `flags` (those engine_init set) and writes it to
// `path`. 0, or 1 with the reason on stderr.
int StartupSnapshotWrite(const char *path, const std::string &flags);

// Reads the snapshot at `path` for this process's apps. False with *why set when it cannot
// be used: not there, not written by this very build (its GNU build id), or made with other
// V8 flags; apps then run the bootstrap.
bool StartupSnapshotLoad(const char *path, const std::string &flags, std::string *why);

// The native functions a snapshot may refer to, by their index in this null-terminated table:
// the same for the snapshot's creator and for every isolate made from it (CreateParams), so
// it is made from what the program holds, never from what a run happened to call.
const intptr_t *ExternalReferences();

}  // namespace rtjs

// A native function handed to V8 (SetMethod, Function::New) is also recorded where it is
// named, in the section the table above is read from: the table cannot miss one, and its
// order is the program's, the same in every run of it. A function a snapshot refers to and
// the table lacks is a fatal error of V8's at the snapshot's making.
#define RTJS_EXTERNAL(fn)                                                                       \
	({                                                                                      \
		static const v8::FunctionCallback rtjs_external_ref                             \
			__attribute__((used, section("rtjs_external_refs"))) = (fn);            \
		rtjs_external_ref;                                                              \
	})

#endif
