// Free address space within bounds, from a Linux maps file (/proc/self/maps): the gaps
// between the mappings, which the file lists in address order, that overlap
// [boundary_start, boundary_end), clipped to it and aligned inwards (alignment a power of two),
// of at least minimum_size. None if the file cannot be read; a line not of the form
// "start-end ..." (hex) ends the scan with what was found before it.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rtjs {

// Range: any type built as Range{start, end} from two uintptr_t.
template <class Range>
std::vector<Range> FreeRangesWithin(const char *maps_path, uintptr_t boundary_start, uintptr_t boundary_end,
				    size_t minimum_size, size_t alignment)
{
	std::vector<Range> result;
	int fd = open(maps_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return result;
	auto round_down = [alignment](uintptr_t a) { return a & ~(uintptr_t{alignment} - 1); };
	auto round_up = [&](uintptr_t a) { return round_down(a + alignment - 1); };
	// Each line is "start-end perms ..." in hex; a line is taken once its end address is
	// read, whatever the block boundaries. A buffer on the stack, so that reading adds no
	// mapping of its own to the file being read.
	enum { kStart, kEnd, kRest } field = kStart;
	uintptr_t vm_start = 0, vm_end = 0, gap_start = 0;
	int digits = 0;
	bool done = false;
	char buf[8192];
	while (!done && gap_start < boundary_end) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && !done; i++) {
			if (field == kRest) {
				const void *nl = memchr(buf + i, '\n', static_cast<size_t>(n - i));
				if (!nl)
					break;
				i = static_cast<const char *>(nl) - buf;
				field = kStart;
				vm_start = vm_end = 0;
				digits = 0;
				done = gap_start >= boundary_end;
				continue;
			}
			char c = buf[i];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			uintptr_t &v = field == kStart ? vm_start : vm_end;
			if (d >= 0) {
				v = v << 4 | static_cast<uintptr_t>(d);
				digits++;
			} else if (field == kStart && c == '-' && digits) {
				field = kEnd;
				digits = 0;
			} else if (field == kEnd && c == ' ' && digits) {
				field = kRest;
				if (vm_start > boundary_start) {
					uintptr_t lo = round_up(std::max(gap_start, boundary_start));
					uintptr_t hi = round_down(std::min(vm_start, boundary_end));
					if (lo < hi && hi - lo >= minimum_size)
						result.push_back(Range{lo, hi});
				}
				gap_start = vm_end;
			} else {
				done = true;  // not the layout this reads: what was found so far stands
			}
		}
	}
	close(fd);
	return result;
}

}  // namespace rtjs
