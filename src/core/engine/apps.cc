// The system of apps. Every app has an entry in one registry (guarded by a mutex) and lives
// on one engine; only that engine's thread touches the App object, and only that thread
// destroys it, so a task that found the App in the registry may use it until it returns.
#include "apps.h"

#include <map>
#include <mutex>

#include "app.h"

extern "C" {
#include "core/engines.h"
#include "platform/platform.h"
}

namespace rtjs {

struct Entry {
	uint32_t id, parent;
	unsigned engine;
	std::string name;
	App *app = nullptr;  // null while starting
	bool kill_pending = false;
	bool background = false;  // a service its parent started for itself: init does not wait for it
	size_t heap_used = 0, memory_used = 0, heap_limit_mb = 0;
	double budget_ms = 0;
	std::string permissions;  // "" = unrestricted (apps_permissions)
};

static std::mutex g_mu;
static std::map<uint32_t, Entry> g_apps;
static uint32_t g_next_id = kInitAppId;
static int g_init_status = 1;

// How often the watchdog looks at the running tasks, and so how late past its budget a
// runaway task may be stopped.
static constexpr uint64_t kWatchdogPeriodNs = 10 * 1000 * 1000;

template <typename T> static T *NewTask(void (*run)(struct task *))
{
	T *t = new T();
	t->task.run = run;
	t->task.drop = [](struct task *x) { delete reinterpret_cast<T *>(x); };
	return t;
}

App *apps_local(uint32_t id)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	return it == g_apps.end() ? nullptr : it->second.app;
}

static unsigned LeastLoadedEngine()
{
	std::vector<size_t> load(engines_count(), 0);
	for (auto &e : g_apps)
		load[e.second.engine]++;
	unsigned best = 0;
	for (unsigned i = 1; i < load.size(); i++)
		if (load[i] < load[best])
			best = i;
	return best;
}

struct SpawnTask {
	struct task task;
	std::unique_ptr<SpawnRequest> req;
};

static void BroadcastExit(uint32_t id, int code, const std::string &reason);

static void RunSpawn(struct task *t)
{
	std::unique_ptr<SpawnTask> st(reinterpret_cast<SpawnTask *>(t));
	uint32_t id = st->req->id;
	{
		std::lock_guard<std::mutex> lock(g_mu);
		auto it = g_apps.find(id);
		if (it != g_apps.end() && it->second.kill_pending) {
			g_apps.erase(it);
			id = 0;
		}
	}
	if (!id) {
		BroadcastExit(st->req->id, 1, "killed");
		return;
	}
	App *app = new App(*st->req);
	{
		std::lock_guard<std::mutex> lock(g_mu);
		Entry &e = g_apps[id];
		e.app = app;
		// Killed while the isolate was being made: it starts terminated and ends at once.
		if (e.kill_pending)
			app->Interrupt("killed");
	}
	app->Start();
}

std::string apps_spawn(std::unique_ptr<SpawnRequest> req, int engine, size_t max_children,
		       uint32_t *id, unsigned *placed)
{
	if (engine >= (int)engines_count())
		return "there is no CPU " + std::to_string(engine) + " (this system has " +
		       std::to_string(engines_count()) + ")";
	std::lock_guard<std::mutex> lock(g_mu);
	if (g_apps.size() >= kMaxApps)
		return "too many apps (" + std::to_string(kMaxApps) + " are running, the most there may be)";
	size_t siblings = 0;
	for (auto &kv : g_apps)
		siblings += kv.second.parent == req->parent;
	if (siblings >= max_children)
		return "too many apps (this app already has " + std::to_string(siblings) +
		       " children, the most it may have)";
	auto parent = g_apps.find(req->parent);
	if (parent == g_apps.end())
		return "the spawning app is ending";
	if (req->inherit_permissions)
		req->permissions = parent->second.permissions;
	else if (parent->second.permissions != req->permissions_basis)
		return "its parent's permissions changed while it was being spawned (revoked): spawn it again";
	req->engine = engine < 0 ? LeastLoadedEngine() : (unsigned)engine;
	req->id = g_next_id++;
	Entry &e = g_apps[req->id];
	e.id = req->id;
	e.parent = req->parent;
	e.engine = req->engine;
	e.name = req->name;
	e.heap_limit_mb = req->heap_limit_mb;
	e.budget_ms = req->budget_ms;
	e.permissions = req->permissions;
	unsigned target = req->engine;
	*id = req->id;
	*placed = target;
	SpawnTask *t = NewTask<SpawnTask>(RunSpawn);
	t->req = std::move(req);
	engine_post(target, &t->task);
	return "";
}

struct MessageTask {
	struct task task;
	uint32_t from, to;
	std::vector<IpcRecord> records;
};

static void RunMessage(struct task *t)
{
	std::unique_ptr<MessageTask> mt(reinterpret_cast<MessageTask *>(t));
	App *app = apps_local(mt->to);
	if (!app || app->exited())
		return;
	// Moved buffers are the receiver's memory from now on.
	for (auto &record : mt->records)
		if (record.payload)
			for (auto &store : record.payload->transfers)
				RehomeBuffer(store->Data(), app->account());
	app->DeliverMessage(mt->from, std::move(mt->records));
}

bool apps_send(uint32_t from, uint32_t to, std::vector<IpcRecord> records)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(to);
	if (it == g_apps.end() || it->second.kill_pending || (it->second.app && it->second.app->exited()))
		return false;
	MessageTask *t = NewTask<MessageTask>(RunMessage);
	t->from = from;
	t->to = to;
	t->records = std::move(records);
	engine_post(it->second.engine, &t->task);
	return true;
}

std::string apps_label(uint32_t id)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end())
		return "app id " + std::to_string(id);
	return "app '" + it->second.name + "' (id " + std::to_string(id) + ")";
}

struct IdTask {
	struct task task;
	uint32_t to, id;
	int code;
	std::string reason;
};

static void RunKill(struct task *t)
{
	std::unique_ptr<IdTask> kt(reinterpret_cast<IdTask *>(t));
	App *app = apps_local(kt->id);
	if (app && !app->exited())
		app->RunTask([app] {
			app->Exit(1, "killed");
			return true;
		});
}

bool apps_kill(uint32_t id)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end() || it->second.kill_pending)
		return false;
	Entry &e = it->second;
	if (!e.app) {
		e.kill_pending = true;  // the spawn task will not start it
		return true;
	}
	if (e.app->exited())
		return false;
	// A running task is cut short at once; an idle app is ended by a task of its engine.
	e.app->Interrupt("killed");
	IdTask *t = NewTask<IdTask>(RunKill);
	t->id = id;
	engine_post(e.engine, &t->task);
	return true;
}

static void RunExitNotice(struct task *t)
{
	std::unique_ptr<IdTask> nt(reinterpret_cast<IdTask *>(t));
	App *app = apps_local(nt->to);
	if (app && !app->exited())
		app->DeliverExitNotice(nt->id, nt->code, nt->reason);
}

static void BroadcastExit(uint32_t id, int code, const std::string &reason)
{
	std::lock_guard<std::mutex> lock(g_mu);
	for (auto &kv : g_apps) {
		IdTask *t = NewTask<IdTask>(RunExitNotice);
		t->to = kv.first;
		t->id = id;
		t->code = code;
		t->reason = reason;
		engine_post(kv.second.engine, &t->task);
	}
}

struct ReapTask {
	struct task task;
	App *app;
};

static void RunReap(struct task *t)
{
	std::unique_ptr<ReapTask> rt(reinterpret_cast<ReapTask *>(t));
	App *app = rt->app;
	uint32_t id = app->id();
	int code = app->exit_code();
	std::string reason = app->exit_reason();
	unsigned engine = app->engine();
	std::vector<uint32_t> children;
	{
		std::lock_guard<std::mutex> lock(g_mu);
		g_apps.erase(id);
		for (auto &kv : g_apps)
			if (kv.second.parent == id)
				children.push_back(kv.first);
	}
	delete app;
	// An app's children never outlive it (so none is orphaned, and none can keep init
	// waiting after its parent is gone); theirs end in turn as each is reaped.
	for (uint32_t child : children)
		apps_kill(child);
	if (id == kInitAppId) {
		g_init_status = code;
		loop_stop(engine_loop(engine));
		return;
	}
	BroadcastExit(id, code, reason);
}

void apps_post_reap(App *app)
{
	ReapTask *t = NewTask<ReapTask>(RunReap);
	t->app = app;
	engine_post(app->engine(), &t->task);
}

std::vector<AppInfo> apps_list()
{
	std::lock_guard<std::mutex> lock(g_mu);
	std::vector<AppInfo> out;
	for (auto &kv : g_apps) {
		const Entry &e = kv.second;
		std::string state = !e.app ? "starting" : e.app->exited() ? "exiting" : "running";
		out.push_back({ e.id, e.parent, e.engine, e.name, state, e.heap_used, e.memory_used,
				e.heap_limit_mb, e.budget_ms,
				e.app ? e.app->busy_ns() : 0 });
	}
	return out;
}

bool apps_permissions(uint32_t id, std::string *out)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end())
		return false;
	*out = it->second.permissions;
	return true;
}

std::string apps_set_permissions(uint32_t by, uint32_t id, const std::string &text)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end())
		return "there is no app " + std::to_string(id);
	// Walk up from `id`: ids are never reused and a parent outlives its children, so the chain
	// ends at init (parent 0).
	for (uint32_t a = id; a != 0;) {
		if (a == by) {
			it->second.permissions = text;
			return "";
		}
		auto up = g_apps.find(a);
		a = up == g_apps.end() ? 0 : up->second.parent;
	}
	return "app " + std::to_string(by) + " is neither app " + std::to_string(id) + " nor an ancestor of it";
}

static std::mutex g_audit_mu;
static std::vector<std::string> g_audit;  // a ring of kAuditEntries lines
static size_t g_audit_next;               // lines recorded so far

void apps_audit(uint32_t by, const std::string &line)
{
	char stamp[64];
	snprintf(stamp, sizeof stamp, "%.3f app %u: ", (double)MonotonicNs() / 1e9, by);
	std::lock_guard<std::mutex> lock(g_audit_mu);
	if (g_audit.size() < kAuditEntries)
		g_audit.push_back(stamp + line);
	else
		g_audit[g_audit_next % kAuditEntries] = stamp + line;
	g_audit_next++;
}

std::vector<std::string> apps_audit_log()
{
	std::lock_guard<std::mutex> lock(g_audit_mu);
	if (g_audit.size() < kAuditEntries)
		return g_audit;
	std::vector<std::string> out;
	for (size_t i = 0; i < kAuditEntries; i++)
		out.push_back(g_audit[(g_audit_next + i) % kAuditEntries]);
	return out;
}

bool apps_post(uint32_t id, struct task *t)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end())
		return false;
	engine_post(it->second.engine, t);
	return true;
}

size_t apps_live_count()
{
	std::lock_guard<std::mutex> lock(g_mu);
	size_t n = 0;
	for (const auto &[id, e] : g_apps)
		n += !e.background;
	return n;
}

bool apps_set_background(uint32_t parent, uint32_t id)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it == g_apps.end() || it->second.parent != parent)
		return false;
	it->second.background = true;
	return true;
}

void apps_note_heap(uint32_t id, size_t heap_used, size_t memory_used)
{
	std::lock_guard<std::mutex> lock(g_mu);
	auto it = g_apps.find(id);
	if (it != g_apps.end()) {
		it->second.heap_used = heap_used;
		it->second.memory_used = memory_used;
	}
}

// Stops any task that has run past its app's budget (docs/design.md, "Apps, engines and IPC").
// The budget is CPU time of the engine thread running the task, not wall-clock time: a task is
// not charged for the time its thread waited for a core (a loaded host, other engines, slow
// emulation of other CPUs), so one budget holds hosted and on the kernel alike. The watchdog
// starts counting when it first sees a task, so a task may run up to one period past its
// budget. Where the platform has no thread clock, wall-clock time is used.
static void WatchdogMain(void *arg)
{
	(void)arg;
	struct platform_waiter *w = platform_waiter_create();
	for (;;) {
		platform_wait(w, platform_monotonic_ns() + kWatchdogPeriodNs);
		uint64_t now = platform_monotonic_ns();
		std::lock_guard<std::mutex> lock(g_mu);
		for (auto &kv : g_apps) {
			App *app = kv.second.app;
			if (app && app->OverBudget(now))
				app->Interrupt("watchdog");
		}
	}
}

bool App::OverBudget(uint64_t now_ns)
{
	uint64_t started = task_started_ns_.load();
	if (!started) {
		watched_task_ = 0;
		return false;
	}
	uint64_t cpu = platform_cpu_clock_ns(cpu_clock_);
	uint64_t spent;
	if (cpu == 0) {
		spent = now_ns > started ? now_ns - started : 0;
	} else if (watched_task_ != started) {
		watched_task_ = started;
		watched_cpu_ns_ = cpu;
		return false;
	} else {
		spent = cpu - watched_cpu_ns_;
	}
	return (double)spent > budget_ms_ * NS_PER_MS;
}

}  // namespace rtjs

using namespace rtjs;

extern "C" int apps_run_init(const struct app_options *o)
{
	auto req = std::make_unique<SpawnRequest>();
	req->name = o->name ? o->name : "init";
	req->file = o->main ? o->main : "";
	req->classic_script = o->classic_script;
	if (o->eval) {
		req->file = "rtjs:internal/eval-main.js";
		req->eval_source = o->eval;
		req->print_eval = o->print_eval;
	} else if (o->source) {
		req->source = o->source;
		req->from_source = true;
	}
	for (int i = 0; i < o->argc; i++)
		req->argv.emplace_back(o->argv[i]);
	for (int i = 0; i < o->envc; i++) {
		const char *eq = strchr(o->envv[i], '=');
		if (eq)
			req->env.emplace_back(std::string(o->envv[i], (size_t)(eq - o->envv[i])), std::string(eq + 1));
	}
	for (int i = 0; i < o->npreload; i++)
		req->preload.emplace_back(o->preload[i]);
	req->heap_limit_mb = o->heap_limit_mb;
	req->budget_ms = o->budget_ms;
	req->resources = Resources::All();
	for (int i = 0; i < o->nallow; i++)
		req->permission_flags.emplace_back(o->allow[i]);
	{
		std::lock_guard<std::mutex> lock(g_mu);
		req->id = g_next_id++;
		req->engine = 0;
		Entry &e = g_apps[req->id];
		e.id = req->id;
		e.engine = 0;
		e.name = req->name;
	}
	App *init = new App(*req);
	{
		std::lock_guard<std::mutex> lock(g_mu);
		Entry &e = g_apps[init->id()];
		e.app = init;
		e.heap_limit_mb = init->heap_limit_mb();
		e.budget_ms = init->budget_ms();
	}
	struct loop *loop = engine_loop(0);
	loop_ref(loop);  // engine 0 runs until init has been reaped
	if (platform_thread_start(0, WatchdogMain, nullptr) < 0)
		WriteStderr("rtjs: no watchdog (the platform cannot start threads): a runaway task will not be stopped\n");
	init->Start();
	loop_run(loop);
	return g_init_status;
}
