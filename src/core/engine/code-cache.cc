// The process-wide code caches of the embedded modules (code-cache.h).
#include "code-cache.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace rtjs {

using Bytes = std::vector<uint8_t>;

static std::mutex g_lock;
// Shared pointers: an app compiling from a cache keeps its bytes while another app could
// replace a rejected one.
static std::map<std::string, std::shared_ptr<const Bytes>> g_caches;

static std::shared_ptr<const Bytes> Find(const std::string &name)
{
	std::lock_guard<std::mutex> hold(g_lock);
	auto it = g_caches.find(name);
	return it == g_caches.end() ? nullptr : it->second;
}

v8::MaybeLocal<v8::Module> CompileBuiltinModule(v8::Isolate *isolate, const std::string &name,
						v8::Local<v8::String> text,
						const v8::ScriptOrigin &origin, bool *from_cache)
{
	*from_cache = false;
	std::shared_ptr<const Bytes> cache = Find(name);
	if (!cache) {
		v8::ScriptCompiler::Source source(text, origin);
		return v8::ScriptCompiler::CompileModule(isolate, &source);
	}
	// The source owns the CachedData; the bytes stay ours (BufferNotOwned).
	v8::ScriptCompiler::Source source(
		text, origin,
		new v8::ScriptCompiler::CachedData(cache->data(), (int)cache->size(),
						   v8::ScriptCompiler::CachedData::BufferNotOwned));
	v8::MaybeLocal<v8::Module> module = v8::ScriptCompiler::CompileModule(
		isolate, &source, v8::ScriptCompiler::kConsumeCodeCache);
	if (source.GetCachedData()->rejected) {
		std::lock_guard<std::mutex> hold(g_lock);
		auto it = g_caches.find(name);
		if (it != g_caches.end() && it->second == cache)
			g_caches.erase(it);
	} else {
		*from_cache = true;
	}
	return module;
}

void RecordBuiltinModule(const std::string &name, v8::Local<v8::Module> module)
{
	if (Find(name))
		return;
	std::unique_ptr<v8::ScriptCompiler::CachedData> data(
		v8::ScriptCompiler::CreateCodeCache(module->GetUnboundModuleScript()));
	if (!data || data->length <= 0)
		return;
	auto bytes = std::make_shared<const Bytes>(data->data, data->data + data->length);
	std::lock_guard<std::mutex> hold(g_lock);
	g_caches.emplace(name, std::move(bytes));
}

}  // namespace rtjs
