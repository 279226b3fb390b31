#include "trace.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -1: not decided yet (read RTJS_SIM_TRACE on first use). */
static atomic_int trace_on = -1;
static atomic_ulong trace_events;

static int trace_enabled(void)
{
	int on = atomic_load(&trace_on);
	if (on < 0) {
		const char *env = getenv("RTJS_SIM_TRACE");
		on = env && *env && strcmp(env, "0") != 0;
		atomic_store(&trace_on, on);
	}
	return on;
}

void sim_trace_enable(int on)
{
	atomic_store(&trace_on, on ? 1 : 0);
}

unsigned long sim_trace_count(void)
{
	return atomic_load(&trace_events);
}

void sim_trace(const char *dev, const char *fmt, ...)
{
	atomic_fetch_add(&trace_events, 1);
	if (!trace_enabled())
		return;
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "sim %s: %s\n", dev, line);
}
