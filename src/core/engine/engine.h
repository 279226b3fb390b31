/*
 * The V8 binding, seen from C: the only C++ in rtjs lives behind this header.
 *
 * An app is one V8 isolate with its own globals, module graph, timers and heap limit. It
 * runs on the event loop of the engine (CPU) it was placed on; every callback into its
 * JavaScript is one task, after which its microtasks are drained.
 */
#ifndef RTJS_ENGINE_H
#define RTJS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif


struct engine_options {
	/* No V8 worker threads (--single-threaded): V8 compiles and collects garbage on the
	 * engine's own thread, so a run's timing depends on nothing else. */
	bool single_threaded;
	const char *v8_flags; /* extra V8 flags, or NULL */
	/* The startup snapshot apps start from (--snapshot FILE, written by --make-snapshot);
	 * NULL: the program's path + ".snapshot" (".single-threaded.snapshot" with
	 * single_threaded), when there is one this build wrote with the same V8 flags. */
	const char *snapshot;
	/* No startup snapshot (--no-snapshot): every app runs the bootstrap. */
	bool no_snapshot;
};

/* Writes the startup snapshot to `path` (--make-snapshot); after engine_init, instead of
 * running apps. 0, or 1 with the reason on stderr. */
int engine_make_snapshot(const char *path);

/* Once per process, before any app. Returns 0 or a negative errno. */
int engine_init(const struct engine_options *o);

/* V8's version string, e.g. "10.2.154.26-node.26". */
const char *engine_v8_version(void);

struct app_options {
	const char *name;
	/* A file or a directory with a package.json "main"; NULL starts the REPL. */
	const char *main;
	bool classic_script; /* run main as a classic script instead of a module */
	/* Code given on the command line (-e/-p), run as a classic script in the global scope
	 * instead of main; print_eval prints its completion value (-p). */
	const char *eval;
	bool print_eval;
	/* A module's source text to run instead of main (the program piped to rtjs). */
	const char *source;
	/* Modules run before the main one, in order (-r/--require, --import). */
	const char *const *preload;
	int npreload;
	int argc;            /* arguments the app sees as rt.argv */
	char **argv;
	int envc;            /* its environment (process.env): "NAME=VALUE" strings */
	char **envv;
	size_t heap_limit_mb; /* 0: the default */
	double budget_ms;     /* longest task before the watchdog ends the app; 0: default */
	int nallow;           /* the permission options (-A, --permission, --allow-*) as given */
	char **allow;
};

/* Runs `init`, the first app, on engine 0 (the calling thread), with every engine started
 * by engines_start available to the apps it spawns. Returns when init has ended, with its
 * exit status. */
int apps_run_init(const struct app_options *o);

#ifdef __cplusplus
}
#endif

#endif
