/*
 * The runtime program: rtjs-sim hosted, /bin/rtjs on the kernel. Same code; the platform
 * it is linked with is the only difference.
 *
 *   rtjs [runtime options] [app.js | app-dir] [app arguments...]
 *
 * With no app it starts the REPL on the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engines.h"
#include "core/engine/engine.h"
#include "platform/platform.h"

#define EXIT_USAGE 2

static void usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"usage: %s [options] [app.js | app-dir] [arguments...]\n"
		"  --script            run the app as a classic script, not a module\n"
		"  --heap-limit MB     the app's heap limit (default 512)\n"
		"  --single-threaded   no V8 worker threads\n"
		"  --cpus N            engines (one per CPU) to run apps on (default: all CPUs)\n"
		"  --budget MS         longest task an app may run before the watchdog ends it (1000)\n"
		"  --v8-flags FLAGS    extra V8 flags\n"
		"With no app, starts the REPL.\n",
		argv0);
}

int main(int argc, char **argv)
{
	if (platform_init(&argc, argv) < 0)
		return EXIT_USAGE;

	struct engine_options eo = { 0 };
	struct app_options ao = { .name = "init" };
	unsigned cpus = platform_cpu_count();
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "--script") == 0) {
			ao.classic_script = true;
		} else if (strcmp(opt, "--single-threaded") == 0) {
			eo.single_threaded = true;
		} else if (strcmp(opt, "--heap-limit") == 0 && i + 1 < argc) {
			ao.heap_limit_mb = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(opt, "--cpus") == 0 && i + 1 < argc) {
			cpus = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(opt, "--budget") == 0 && i + 1 < argc) {
			ao.budget_ms = strtod(argv[++i], NULL);
		} else if (strcmp(opt, "--v8-flags") == 0 && i + 1 < argc) {
			eo.v8_flags = argv[++i];
		} else if (strcmp(opt, "--help") == 0) {
			usage(stdout, argv[0]);
			return 0;
		} else if (strcmp(opt, "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "rtjs: unknown option '%s'\n", opt);
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (i < argc)
		ao.main = argv[i++];
	ao.argc = argc - i;
	ao.argv = argv + i;

	if (engine_init(&eo) != 0) {
		fprintf(stderr, "rtjs: V8 failed to initialise\n");
		return 1;
	}
	engines_start(cpus);
	int status = apps_run_init(&ao);
	platform_shutdown();
	/* Engines may still be running apps: end the process without running V8's static
	 * destructors under them. */
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}
