#include "core/engines.h"

#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"

/* Past this, extra engines add threads but no parallelism worth their memory. */

static struct loop loops[MAX_ENGINES];
static unsigned count;
static _Thread_local int current = -1;

static void engine_thread(void *arg)
{
	unsigned index = (unsigned)(uintptr_t)arg;
	current = (int)index;
	/* Secondary engines never run out of work: they wait for apps to be placed on them. */
	loop_ref(&loops[index]);
	loop_run(&loops[index]);
}

unsigned engines_start(unsigned want)
{
	if (want < 1)
		want = 1;
	if (want > MAX_ENGINES)
		want = MAX_ENGINES;
	for (unsigned i = 0; i < want; i++) {
		if (loop_init(&loops[i]) != 0) {
			want = i;
			break;
		}
	}
	count = 1;
	current = 0;
	for (unsigned i = 1; i < want; i++) {
		int rc = platform_thread_start(i, engine_thread, (void *)(uintptr_t)i);
		if (rc < 0) {
			fprintf(stderr, "rtjs: running %u engine%s: cannot start a thread for engine %u (error %d)\n",
				count, count == 1 ? "" : "s", i, rc);
			break;
		}
		count++;
	}
	return count;
}

unsigned engines_count(void)
{
	return count;
}

struct loop *engine_loop(unsigned index)
{
	return &loops[index];
}

void engine_post(unsigned index, struct task *t)
{
	loop_post(&loops[index], t);
}

int engine_current(void)
{
	return current;
}
