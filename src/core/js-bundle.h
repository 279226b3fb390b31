/*
 * The runtime's own JavaScript (the js/ tree), embedded in the binary at build time so that
 * the runtime needs no files to start, hosted or on bare metal. Names are paths under js/,
 * e.g. "internal/bootstrap.js".
 */
#ifndef RTJS_JS_BUNDLE_H
#define RTJS_JS_BUNDLE_H

#include <stddef.h>

struct js_bundle_file {
	const char *name;
	const char *start;
	const char *end;
};

extern const struct js_bundle_file js_bundle_files[];
extern const size_t js_bundle_count;

/* 0 and the file's bytes, or -1 when no such file was embedded. */
int js_bundle_find(const char *name, const char **data, size_t *len);

#endif
