#include "js-bundle.h"

#include <string.h>

int js_bundle_find(const char *name, const char **data, size_t *len)
{
	for (size_t i = 0; i < js_bundle_count; i++) {
		if (strcmp(js_bundle_files[i].name, name) == 0) {
			*data = js_bundle_files[i].start;
			*len = (size_t)(js_bundle_files[i].end - js_bundle_files[i].start);
			return 0;
		}
	}
	return -1;
}
