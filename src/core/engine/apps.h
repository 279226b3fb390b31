// The system of apps: the registry of every app by id, spawning onto engines, delivery of
// messages and exit notices, reaping, and the watchdog. Internal to the binding.
#ifndef RTJS_ENGINE_APPS_H
#define RTJS_ENGINE_APPS_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct task;

namespace rtjs {

class App;
struct Serialized;
struct SpawnRequest;
struct IpcRecord;

constexpr uint32_t kInitAppId = 1;

struct AppInfo {
	uint32_t id, parent;
	unsigned engine;
	std::string name, state;
	size_t heap_used;
};

// Registers the app and posts its creation to its engine (engine < 0: the least loaded).
// Returns "" and the new app's id and engine, or an error message.
std::string apps_spawn(std::unique_ptr<SpawnRequest> req, int engine, uint32_t *id,
		       unsigned *placed);
// Delivers `records` (ipc.h) from app `from` to `to` as one task; false when `to` does not
// exist or has ended.
bool apps_send(uint32_t from, uint32_t to, std::vector<IpcRecord> records);
bool apps_kill(uint32_t id);
// The App behind `id` if the calling engine runs it, else null.
App *apps_local(uint32_t id);
// Posts a task to the engine that runs `id`; false if there is no such app.
bool apps_post(uint32_t id, struct ::task *t);
std::vector<AppInfo> apps_list();
size_t apps_live_count();
void apps_note_heap(uint32_t id, size_t used);
// Called once by an app that has exited: a task of its engine destroys it later.
void apps_post_reap(App *app);

}  // namespace rtjs

#endif
