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
	size_t heap_used, memory_used, heap_limit_mb;
	double budget_ms;
	uint64_t busy_ns;  // time its tasks have run (App::busy_ns_)
};

// How many apps may live at once: spawning past it is an error, not the machine running
// out of memory under a recursive spawn (an idle app costs a few MB; the kernel's test
// machines have 1 GB).
constexpr size_t kMaxApps = 64;

// Registers the app and posts its creation to its engine (engine < 0: the least loaded).
// Returns "" and the new app's id and engine, or an error message ("too many apps ..."
// past kMaxApps in all or max_children of the same parent).
std::string apps_spawn(std::unique_ptr<SpawnRequest> req, int engine, size_t max_children,
		       uint32_t *id, unsigned *placed);
// Delivers `records` (ipc.h) from app `from` to `to` as one task; false when `to` does not
// exist or has ended.
bool apps_send(uint32_t from, uint32_t to, std::vector<IpcRecord> records);
bool apps_kill(uint32_t id);
// "app 'NAME' (id N)" for error messages ("app id N" for an app that has ended).
std::string apps_label(uint32_t id);
// The App behind `id` if the calling engine runs it, else null.
App *apps_local(uint32_t id);
// Posts a task to the engine that runs `id`; false if there is no such app.
bool apps_post(uint32_t id, struct ::task *t);
std::vector<AppInfo> apps_list();
// Live apps, those marked background aside: what init waits for before it ends.
size_t apps_live_count();
// Marks app `id`, a child of `parent`, as a background service: init does not wait for it
// (it ends with init, as every app does). False when `id` is not `parent`'s child.
bool apps_set_background(uint32_t parent, uint32_t id);
void apps_note_heap(uint32_t id, size_t heap_used, size_t memory_used);

// Permissions (js/services/access/): each app's grant, as the text its parent's runtime
// computed at spawn (a JSON object; "" = unrestricted). Native code stores it and decides who
// may change it; what it means is JavaScript's. False when there is no such app.
bool apps_permissions(uint32_t id, std::string *out);
// Replaces app `id`'s grant. Only the app itself or one of its ancestors may (the runtime's
// JavaScript only ever narrows it); returns "" or why not.
std::string apps_set_permissions(uint32_t by, uint32_t id, const std::string &text);
// The audit log: the last kAuditEntries lines recorded by any app, each stamped here with the
// recording app's id and the time, oldest first.
constexpr size_t kAuditEntries = 512;
void apps_audit(uint32_t by, const std::string &line);
std::vector<std::string> apps_audit_log();
// Called once by an app that has exited: a task of its engine destroys it later.
void apps_post_reap(App *app);

}  // namespace rtjs

#endif
