/*
 * The runtime program: rtjs-sim hosted, /bin/rtjs on the kernel. Same code; the platform
 * it is linked with is the only difference.
 *
 *   rtjs [runtime options] [app.js | app-dir | -] [app arguments...]
 *
 * With no app it starts the REPL on the console when standard input is a terminal (or with
 * -i), and otherwise runs standard input as the program, as Node does.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engines.h"
#include "core/engine/engine.h"
#include "platform/platform.h"

#define EXIT_USAGE 2
#define RTJS_VERSION "0.1.0"

static void usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"usage: %s [options] [app.js | app-dir | -] [arguments...]\n"
		"  -e, --eval CODE     run CODE (a classic script) instead of an app\n"
		"  -p, --print CODE    run CODE and print its value\n"
		"  --input-type TYPE   -e code and standard input as 'module' or 'commonjs' (a\n"
		"                      classic script in the global scope, as -e by default)\n"
		"  -c, --check FILE    check FILE's syntax without running it\n"
		"  -r, --require MOD   run the module MOD first (repeatable)\n"
		"  --import MOD        the same (rtjs runs both kinds through one loader)\n"
		"  -i, --interactive   the REPL, even when standard input is not a terminal\n"
		"  -v, --version       the versions of rtjs and V8\n"
		"  -h, --help          this text\n"
		"  -                   read the app (a module) from standard input\n"
		"  --                  the end of the options\n"
		"  --script            run the app as a classic script, not a module\n"
		"  --heap-limit MB     the app's heap limit (default 512)\n"
		"  --single-threaded   no V8 worker threads\n"
		"  --cpus N            engines (one per CPU) to run apps on (default: all CPUs)\n"
		"  --budget MS         longest task an app may run before the watchdog ends it (1000)\n"
		"  --v8-flags FLAGS    extra V8 flags\n"
		"  --snapshot FILE     apps start from this startup snapshot (default: the\n"
		"                      program's path + .snapshot, or .single-threaded.snapshot\n"
		"                      with --single-threaded, if this build wrote it)\n"
		"  --no-snapshot       every app runs the runtime's bootstrap instead\n"
		"  --make-snapshot FILE  write the startup snapshot to FILE and run nothing\n"
		"  --env NAME=VALUE    set NAME in the app's process.env (repeatable; apps never see\n"
		"                      the host's environment)\n"
		"  --max-old-space-size MB  as --heap-limit; --expose-gc, --jitless and\n"
		"                      --stack-size N go to V8, as Node passes them\n"
		"Options take their value as the next argument or after '=' (--budget=500).\n"
		"Node options rtjs does not have (--inspect, --watch, --test, --env-file, ...)\n"
		"are refused with the reason.\n"
		"Permissions (docs/security.md): with none of these the app holds every permission;\n"
		"with any, exactly what they allow (and at most what its package.json asks for):\n"
		"  --permission        turn permissions on (nothing granted but what follows)\n"
		"  -A, --allow-all     every permission\n"
		"  --allow-net[=LIST]  host:port to connect to, :port to listen on, raw (frames)\n"
		"  --allow-read[=PATHS], --allow-write[=PATHS]   file-system subtrees\n"
		"  --allow-env[=NAMES] environment variables\n"
		"  --allow-run, --allow-hw, --allow-power, --allow-console, --allow-audit\n"
		"With no app: the REPL when standard input is a terminal, else standard input is\n"
		"the app.\n",
		argv0);
	const char *platform_help = platform_options_help();
	if (platform_help[0])
		fprintf(out, "%s", platform_help);
}

/* The permission options: their names; which of them take a list ("=..."), which take none. */
static const char *const PERMISSION_LISTS[] = { "--allow-net", "--allow-read", "--allow-write",
						 "--allow-env" };
static const char *const PERMISSION_SWITCHES[] = { "-A", "--allow-all", "--permission", "--allow-run",
						   "--allow-hw", "--allow-power", "--allow-console",
						   "--allow-audit" };

/* 1: a permission option (what it means is the runtime's JavaScript), 0: another option,
 * -1: a permission option misspelt or with a value it does not take (reported). */
static int permission_option(const char *opt)
{
	for (size_t i = 0; i < sizeof PERMISSION_SWITCHES / sizeof *PERMISSION_SWITCHES; i++)
		if (strcmp(opt, PERMISSION_SWITCHES[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof PERMISSION_LISTS / sizeof *PERMISSION_LISTS; i++) {
		size_t n = strlen(PERMISSION_LISTS[i]);
		if (strncmp(opt, PERMISSION_LISTS[i], n) == 0 && (opt[n] == 0 || opt[n] == '='))
			return 1;
	}
	if (strncmp(opt, "--allow-", 8) != 0)
		return 0;
	fprintf(stderr, "rtjs: unknown permission option '%s' (-A, --permission, --allow-net, "
		"--allow-read, --allow-write, --allow-env take =LIST; --allow-run, --allow-hw, "
		"--allow-power, --allow-console, --allow-audit take none)\n", opt);
	return -1;
}

/* All of standard input as one string (the program piped to rtjs), or NULL with errno. */
static char *read_stdin(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	while (buf) {
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				break;
			buf = bigger;
		}
		ssize_t n = read(STDIN_FILENO, buf + len, cap - len - 1);
		if (n == 0) {
			buf[len] = '\0';
			return buf;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	int saved = errno ? errno : ENOMEM;
	free(buf);
	errno = saved;
	return NULL;
}

/* The largest --heap-limit (MB) and --budget (ms): far past any machine's memory or any
 * sane task, and small enough to compute with in bytes and nanoseconds without overflow. */
#define MAX_HEAP_LIMIT_MB (1024.0 * 1024)
#define MAX_BUDGET_MS (1e9)

/* The number `text` spells for `option`, within [min, max] (integer: whole numbers only);
 * on anything else a message naming the option and what it accepts, and -1. */
static int option_number(const char *option, const char *text, double min, double max,
			 bool integer, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || v < min || v > max ||
	    (integer && v != floor(v))) {
		fprintf(stderr, "rtjs: %s '%s' is not valid: expected %s from %.15g to %.15g\n", option, text,
			integer ? "a whole number" : "a number", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Node options people try first that rtjs does not have, and why (exit status 9, Node's
 * for a bad option, after the reason). */
static const struct {
	const char *name;
	const char *why;
} kUnsupported[] = {
	{ "--inspect", "rtjs has no inspector protocol (no debugger)" },
	{ "--inspect-brk", "rtjs has no inspector protocol (no debugger)" },
	{ "--inspect-wait", "rtjs has no inspector protocol (no debugger)" },
	{ "--watch", "rtjs does not watch files; rerun the app" },
	{ "--watch-path", "rtjs does not watch files; rerun the app" },
	{ "--test", "rtjs has no built-in test runner" },
	{ "--env-file", "rtjs does not read .env files" },
	{ "--prof", "rtjs has no profiler output" },
	{ "--cpu-prof", "rtjs has no profiler output" },
	{ "--heap-prof", "rtjs has no profiler output" },
	{ "--conditions", "rtjs resolves with its fixed conditions (rtjs, import/require, default)" },
	{ "-C", "rtjs resolves with its fixed conditions (rtjs, import/require, default)" },
	{ "--experimental-loader", "rtjs has no loader hooks" },
	{ "--loader", "rtjs has no loader hooks" },
	{ "--snapshot-blob", "rtjs has no user snapshots" },
	{ "--build-snapshot", "rtjs has no user snapshots" },
	{ "--title", "rtjs has no process title" },
};
#define EXIT_BAD_OPTION 9

/* Options with a value: argv[*i] is NAME or NAME=VALUE; the value comes after '=' or is
 * the next argument. NULL when `opt` is another option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	const char *opt = argv[*i];
	size_t n = strlen(name);
	if (strncmp(opt, name, n) != 0)
		return NULL;
	if (opt[n] == '=')
		return opt + n + 1;
	if (opt[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* The options below that take a value as the next argument. */
static const char *const kValueOptions[] = {
	"-e", "--eval", "-p", "--print", "--heap-limit", "--cpus", "--budget", "--v8-flags", "-c", "--check",
	"-r", "--require", "--import", "--input-type", "--max-old-space-size", "--stack-size",
};

static bool takes_value(const char *opt, size_t len)
{
	for (size_t k = 0; k < sizeof(kValueOptions) / sizeof(kValueOptions[0]); k++)
		if (strlen(kValueOptions[k]) == len && strncmp(opt, kValueOptions[k], len) == 0)
			return true;
	return false;
}

/* argv with "--name=value" of those options split into "--name" "value", up to the app or
 * "--" (a value that looks like an option, -e's code, is kept as it is). */
static char **split_values(int *argc, char **argv)
{
	char **out = calloc((size_t)*argc * 2 + 1, sizeof(*out));
	if (!out)
		return argv;
	int n = 0, i = 0;
	out[n++] = argv[i++];
	for (; i < *argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
		const char *eq = strchr(argv[i], '=');
		if (argv[i][1] == '-' && eq && takes_value(argv[i], (size_t)(eq - argv[i]))) {
			out[n++] = strndup(argv[i], (size_t)(eq - argv[i]));
			out[n++] = (char *)eq + 1;
			continue;
		}
		out[n++] = argv[i];
		if (takes_value(argv[i], strlen(argv[i])) && i + 1 < *argc)
			out[n++] = argv[++i];
	}
	for (; i < *argc; i++)
		out[n++] = argv[i];
	*argc = n;
	return out;
}

/* Appends " flag" to the V8 flags (a string kept for the process's life). */
static void add_v8_flag(struct engine_options *eo, const char *flag)
{
	const char *old = eo->v8_flags ? eo->v8_flags : "";
	size_t len = strlen(old) + strlen(flag) + 2;
	char *joined = malloc(len);
	if (!joined)
		return;
	snprintf(joined, len, "%s%s%s", old, old[0] ? " " : "", flag);
	eo->v8_flags = joined;
}

int main(int argc, char **argv)
{
	if (platform_init(&argc, argv) < 0)
		return EXIT_USAGE;
	argv = split_values(&argc, argv);

	struct engine_options eo = { 0 };
	struct app_options ao = { .name = "init" };
	unsigned cpus = platform_cpu_count();
	bool interactive = false, from_stdin = false;
	/* At most one --env per argument: argc bounds them. */
	char **envv = calloc((size_t)argc, sizeof *envv);
	if (!envv) {
		fprintf(stderr, "rtjs: out of memory\n");
		return 1;
	}
	ao.envv = envv;
	const char *check = NULL, *input_type = NULL, *make_snapshot = NULL;
	const char **preload = calloc((size_t)argc, sizeof(*preload));
	int i = 1;
	ao.allow = calloc((size_t)argc + 1, sizeof *ao.allow);
	if (!ao.allow)
		return EXIT_USAGE;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];
		const char *value;
		bool missing = false;
		for (size_t u = 0; u < sizeof(kUnsupported) / sizeof(kUnsupported[0]); u++) {
			size_t n = strlen(kUnsupported[u].name);
			if (strncmp(opt, kUnsupported[u].name, n) == 0 && (opt[n] == '\0' || opt[n] == '=')) {
				fprintf(stderr, "rtjs: %s is not supported: %s\n", kUnsupported[u].name, kUnsupported[u].why);
				return EXIT_BAD_OPTION;
			}
		}
		if ((value = option_value(argc, argv, &i, "--check", &missing)) ||
		    (value = option_value(argc, argv, &i, "-c", &missing))) {
			check = value;
			continue;
		}
		if ((value = option_value(argc, argv, &i, "--require", &missing)) ||
		    (value = option_value(argc, argv, &i, "-r", &missing)) ||
		    (value = option_value(argc, argv, &i, "--import", &missing))) {
			if (preload)
				preload[ao.npreload++] = value;
			continue;
		}
		if ((value = option_value(argc, argv, &i, "--input-type", &missing))) {
			if (strcmp(value, "module") != 0 && strcmp(value, "commonjs") != 0) {
				fprintf(stderr, "rtjs: --input-type must be 'module' or 'commonjs', not '%s'\n", value);
				return EXIT_BAD_OPTION;
			}
			input_type = value;
			continue;
		}
		if ((value = option_value(argc, argv, &i, "--max-old-space-size", &missing))) {
			double mb;
			if (option_number("--max-old-space-size", value, 1, MAX_HEAP_LIMIT_MB, true, &mb) < 0)
				return EXIT_USAGE;
			ao.heap_limit_mb = (size_t)mb;
			continue;
		}
		if ((value = option_value(argc, argv, &i, "--stack-size", &missing))) {
			char flag[64];
			snprintf(flag, sizeof(flag), "--stack-size=%.40s", value);
			add_v8_flag(&eo, flag);
			continue;
		}
		if (strcmp(opt, "--expose-gc") == 0 || strcmp(opt, "--jitless") == 0) {
			add_v8_flag(&eo, opt);
			continue;
		}
		if (missing) {
			fprintf(stderr, "rtjs: %s needs a value\n", opt);
			return EXIT_USAGE;
		}
		int perm = permission_option(opt);
		if (perm < 0)
			return EXIT_USAGE;
		if (perm > 0) {
			ao.allow[ao.nallow++] = argv[i];
		} else if (strcmp(opt, "-") == 0) {
			from_stdin = true;
			i++;
			break;
		} else if ((strcmp(opt, "-e") == 0 || strcmp(opt, "--eval") == 0 ||
			    strcmp(opt, "-p") == 0 || strcmp(opt, "--print") == 0) && i + 1 < argc) {
			ao.eval = argv[++i];
			ao.print_eval = opt[1] == 'p' || opt[2] == 'p';
		} else if (strcmp(opt, "-i") == 0 || strcmp(opt, "--interactive") == 0) {
			interactive = true;
		} else if (strcmp(opt, "-v") == 0 || strcmp(opt, "--version") == 0) {
			printf("rtjs %s\nV8 %s\n", RTJS_VERSION, engine_v8_version());
			return 0;
		} else if (strcmp(opt, "--script") == 0) {
			ao.classic_script = true;
		} else if (strcmp(opt, "--single-threaded") == 0) {
			eo.single_threaded = true;
		} else if (strcmp(opt, "--no-snapshot") == 0) {
			eo.no_snapshot = true;
		} else if (strcmp(opt, "--snapshot") == 0 && i + 1 < argc) {
			eo.snapshot = argv[++i];
		} else if (strcmp(opt, "--make-snapshot") == 0 && i + 1 < argc) {
			make_snapshot = argv[++i];
			eo.no_snapshot = true;
		} else if (strcmp(opt, "--heap-limit") == 0 && i + 1 < argc) {
			double mb;
			if (option_number(opt, argv[++i], 1, MAX_HEAP_LIMIT_MB, true, &mb) < 0)
				return EXIT_USAGE;
			ao.heap_limit_mb = (size_t)mb;
		} else if (strcmp(opt, "--cpus") == 0 && i + 1 < argc) {
			double n;
			if (option_number(opt, argv[++i], 1, MAX_ENGINES, true, &n) < 0)
				return EXIT_USAGE;
			cpus = (unsigned)n;
		} else if (strcmp(opt, "--budget") == 0 && i + 1 < argc) {
			/* > 0: a budget of 0 would end every task at once. */
			if (option_number(opt, argv[++i], 1, MAX_BUDGET_MS, false, &ao.budget_ms) < 0)
				return EXIT_USAGE;
		} else if (strcmp(opt, "--v8-flags") == 0 && i + 1 < argc) {
			eo.v8_flags = argv[++i];
		} else if (strcmp(opt, "--env") == 0 && i + 1 < argc) {
			const char *def = argv[++i];
			/* POSIX (XBD 8.1): a name is non-empty and holds no '='. */
			if (def[0] == '=' || !strchr(def, '=')) {
				fprintf(stderr, "rtjs: --env '%s' is not valid: expected NAME=VALUE\n", def);
				return EXIT_USAGE;
			}
			envv[ao.envc++] = (char *)def;
		} else if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
			usage(stdout, argv[0]);
			return 0;
		} else if (strcmp(opt, "--") == 0) {
			i++;
			break;
		} else if (strcmp(opt, "-e") == 0 || strcmp(opt, "--eval") == 0 ||
			   strcmp(opt, "-p") == 0 || strcmp(opt, "--print") == 0 || strcmp(opt, "--env") == 0) {
			fprintf(stderr, "rtjs: %s needs %s\n", opt,
				strcmp(opt, "--env") == 0 ? "NAME=VALUE" : "the code to run");
			return EXIT_USAGE;
		} else {
			fprintf(stderr, "rtjs: unknown option '%s'\n", opt);
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (check) {
		/* The syntax check is an internal app given the file as its argument. */
		ao.main = "rtjs:internal/check-main.js";
		ao.argc = 1;
		ao.argv = (char **)&check;
		ao.eval = NULL;
		i = argc;
	}
	if (make_snapshot) {
		if (engine_init(&eo) != 0) {
			fprintf(stderr, "rtjs: V8 failed to initialise\n");
			return 1;
		}
		return engine_make_snapshot(make_snapshot);
	}
	ao.preload = preload;
	/* Node's rule: -e/-p run their code, then the app's arguments follow. */
	if (i < argc && !ao.eval && !from_stdin)
		ao.main = argv[i++];
	if (!check) {
		ao.argc = argc - i;
		ao.argv = argv + i;
	}
	bool module_input = input_type && strcmp(input_type, "module") == 0;
	if (ao.eval && module_input) {
		/* Node: ERR_EVAL_ESM_CANNOT_PRINT. */
		if (ao.print_eval) {
			fprintf(stderr, "rtjs: --print cannot be used with ESM input\n");
			return EXIT_BAD_OPTION;
		}
		ao.source = ao.eval; /* the code runs as the app's module */
		ao.eval = NULL;
	}
	if (!ao.main && !ao.eval && !ao.source && !interactive && (from_stdin || !isatty(STDIN_FILENO))) {
		char *program = read_stdin();
		if (!program) {
			fprintf(stderr, "rtjs: cannot read the program from standard input: %s\n",
				strerror(errno));
			return EXIT_USAGE;
		}
		/* commonjs input runs as -e code does: a classic script in the global scope. */
		if (input_type && !module_input)
			ao.eval = program;
		else
			ao.source = program;
	}

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
