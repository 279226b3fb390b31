/*
 * Engines: one event loop per CPU, each on its own thread pinned to that CPU
 * (docs/design.md, "Apps, engines and IPC"). Engine 0 runs on the thread that calls engines_run_main (main()); the others
 * run from engines_start until the process ends. Apps are placed on engines; everything an
 * engine does happens on its own thread, so work for it is posted as a task.
 */
#ifndef RTJS_ENGINES_H
#define RTJS_ENGINES_H

#include "core/loop.h"

/* The most engines a runtime runs (and so the largest --cpus). */
#define MAX_ENGINES 64

/* Creates `count` engines (at least 1); engines 1..count-1 start their threads. Returns the
 * number actually running: fewer when the platform cannot start threads (logged). */
unsigned engines_start(unsigned count);
unsigned engines_count(void);
struct loop *engine_loop(unsigned index);
/* From any thread. */
void engine_post(unsigned index, struct task *t);
/* The engine whose thread is calling, or -1 outside engines. */
int engine_current(void);

#endif
