// V8 code caches for the runtime's own modules ("rtjs:..."), shared by every app of the
// process. Their sources are embedded in the binary and never change, so the bytecode one
// app compiled serves all later ones: an app that compiled such modules without a cache
// records one per module once its bootstrap ran (so the functions the bootstrap called are
// in it as bytecode too), and every later app compiles them from the cache instead of
// parsing them. Thread-safe: engines start apps in parallel.
#ifndef RTJS_ENGINE_CODE_CACHE_H
#define RTJS_ENGINE_CODE_CACHE_H

#include <v8.h>

#include <string>

namespace rtjs {

// Compiles the embedded module `name` from `text`, with its cache when there is one; sets
// *from_cache when V8 accepted the cache. A cache V8 rejects is dropped and later recorded
// anew.
v8::MaybeLocal<v8::Module> CompileBuiltinModule(v8::Isolate *isolate, const std::string &name,
						v8::Local<v8::String> text,
						const v8::ScriptOrigin &origin, bool *from_cache);

// Records the cache of an embedded module compiled without one, unless one exists by now.
void RecordBuiltinModule(const std::string &name, v8::Local<v8::Module> module);

}  // namespace rtjs

#endif
