// rtjs::FreeRangesWithin (src/core/engine/free-ranges.h), the runtime's replacement for V8's
// v8::base::OS::GetFreeMemoryRangesWithin: on maps files with known answers, and on this
// process's own /proc/self/maps against the function in libnode itself.
#include "free-ranges.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

struct Range {
	uintptr_t start;
	uintptr_t end;
	bool operator==(const Range &o) const { return start == o.start && end == o.end; }
};

int g_failures;

void Check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL: %s\n", what);
		g_failures++;
	}
}

std::string Print(const std::vector<Range> &v)
{
	std::string s;
	char b[64];
	for (const Range &r : v) {
		snprintf(b, sizeof b, " %lx-%lx", static_cast<unsigned long>(r.start), static_cast<unsigned long>(r.end));
		s += b;
	}
	return s.empty() ? " (none)" : s;
}

void Expect(const char *path, uintptr_t lo, uintptr_t hi, size_t size, size_t align,
	    const std::vector<Range> &want, const char *what)
{
	std::vector<Range> got = rtjs::FreeRangesWithin<Range>(path, lo, hi, size, align);
	if (got != want)
		fprintf(stderr, "%s: got%s, want%s\n", what, Print(got).c_str(), Print(want).c_str());
	Check(got == want, what);
}

void KnownFiles()
{
	char path[] = "/tmp/free-ranges-XXXXXX";
	int fd = mkstemp(path);
	Check(fd >= 0, "temporary file");
	if (fd < 0)
		return;
	// Mappings at 0x10000-0x20000, 0x40000-0x41000, 0x100000-0x200000: gaps 0-0x10000,
	// 0x20000-0x40000, 0x41000-0x100000. Long names, so that lines cross read blocks.
	std::string text = "10000-20000 r-xp 00000000 08:01 1234 /usr/lib/" + std::string(9000, 'a') + "\n"
			   "40000-41000 rw-p 00000000 00:00 0 \n"
			   "100000-200000 r--p 00000000 08:01 99 [heap]\n";
	Check(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()), "write");
	close(fd);
	Expect(path, 0, ~uintptr_t{0}, 0x1000, 0x1000, {{0, 0x10000}, {0x20000, 0x40000}, {0x41000, 0x100000}},
	       "every gap below the last mapping");
	Expect(path, 0x30000, 0x80000, 0x1000, 0x1000, {{0x30000, 0x40000}, {0x41000, 0x80000}}, "clipped to the bounds");
	Expect(path, 0, ~uintptr_t{0}, 0x20000, 0x1000, {{0x20000, 0x40000}, {0x41000, 0x100000}}, "at least the size");
	Expect(path, 0, ~uintptr_t{0}, 0x1000, 0x10000, {{0, 0x10000}, {0x20000, 0x40000}, {0x50000, 0x100000}},
	       "aligned inwards");
	Expect(path, 0x10000, 0x20000, 0x1000, 0x1000, {}, "bounds inside a mapping");
	fd = open(path, O_WRONLY | O_APPEND);
	const char bad[] = "zz-300000 r--p 0 0:0 0\n300000-400000 r--p 0 0:0 0\n";
	Check(write(fd, bad, sizeof bad - 1) == static_cast<ssize_t>(sizeof bad - 1), "write");
	close(fd);
	Expect(path, 0, ~uintptr_t{0}, 0x1000, 0x1000, {{0, 0x10000}, {0x20000, 0x40000}, {0x41000, 0x100000}},
	       "a line it cannot read ends the scan");
	unlink(path);
	Expect(path, 0, ~uintptr_t{0}, 0x1000, 0x1000, {}, "no file: no ranges");
}

// V8's own, as libnode exports it (v8::base::OS::MemoryRange is two uintptr_t).
using V8Fn = std::vector<Range> (*)(uintptr_t, uintptr_t, size_t, size_t);

void AgainstLibnode(const char *libnode)
{
	void *h = dlopen(libnode, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "FAIL: dlopen %s: %s\n", libnode, dlerror());
		g_failures++;
		return;
	}
	auto v8fn = reinterpret_cast<V8Fn>(dlsym(h, "_ZN2v84base2OS25GetFreeMemoryRangesWithinEmmmm"));
	Check(v8fn != nullptr, "libnode exports v8::base::OS::GetFreeMemoryRangesWithin");
	if (!v8fn)
		return;
	// The region V8 asks about: 2 GiB either side of libnode's code, as for a code range.
	const uintptr_t text = reinterpret_cast<uintptr_t>(v8fn), radius = uintptr_t{2048} << 20;
	const uintptr_t bounds[][2] = {{text - radius, text + radius}, {0, ~uintptr_t{0}}, {text, text + 0x1000}};
	const size_t sizes[] = {0x1000, 1 << 20, 128 << 20}, aligns[] = {0x1000, 1 << 18, 1 << 21};
	int compared = 0, nonempty = 0;
	for (auto &b : bounds)
		for (size_t size : sizes)
			for (size_t align : aligns) {
				// Both read the process's mappings, which may change between the reads (a
				// library's thread, malloc): compare when V8's answer held still.
				for (int attempt = 0; attempt < 5; attempt++) {
					std::vector<Range> before = v8fn(b[0], b[1], size, align);
					std::vector<Range> ours = rtjs::FreeRangesWithin<Range>("/proc/self/maps", b[0], b[1], size, align);
					std::vector<Range> after = v8fn(b[0], b[1], size, align);
					if (before != after)
						continue;
					if (ours != before)
						fprintf(stderr, "bounds %lx-%lx size %zx align %zx: ours%s, V8's%s\n",
							static_cast<unsigned long>(b[0]), static_cast<unsigned long>(b[1]), size, align,
							Print(ours).c_str(), Print(before).c_str());
					Check(ours == before, "the same ranges as libnode's function");
					compared++;
					nonempty += !before.empty();
					break;
				}
			}
	Check(compared == 27, "every case compared");
	Check(nonempty >= 18, "the cases have free ranges to find");
	printf("%d cases compared with libnode's, %d with ranges\n", compared, nonempty);
}

}  // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s LIBNODE\n", argv[0]);
		return 2;
	}
	KnownFiles();
	AgainstLibnode(argv[1]);
	printf("%s\n", g_failures ? "FAILED" : "passed");
	return g_failures ? 1 : 0;
}
