// Reading the boot files as bytes, for the read-only file system of an app's own directory
// (js/services/vfs/bootfs.js): the host's files when hosted, the initrd's on the kernel. Only
// the runtime's modules reach it; it reads, never writes, and refuses any path that is not
// canonical (absolute, no '.', '..', empty component or NUL), so the JavaScript above decides
// alone which subtree is served, and a symbolic link is never followed (lstat, O_NOFOLLOW:
// one is reported as kind 3 and cannot be opened).
//   bootStat(path)                 -> [kind, size, mtimeMs, mode, ino] | 'ECODE'
//                                     kind: 1 file, 2 directory, 3 symbolic link, 0 other
//   bootList(path)                 -> [names...] | 'ECODE'   (no '.' and '..')
//   bootRead(path, position, len)  -> ArrayBuffer (shorter at the end) | 'ECODE'
#include "app.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace rtjs {

// One read moves at most this much: the call blocks the app's engine thread while the host
// (or the initrd) answers, so a large file is read in parts.
static const double kMaxRead = 1 << 20;
static const double kMsPerSecond = 1000.0;
static const double kMsPerNanosecond = 1e-6;

// The errors a read-only file system can meet, by Node's names; anything else is EIO.
static const char *ErrnoName(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ELOOP: return "ELOOP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EMFILE: return "EMFILE";
	case ENFILE: return "EMFILE";
	default: return "EIO";
	}
}

// The canonical absolute path in info[0], or false with a TypeError thrown.
static bool CanonicalPath(const v8::FunctionCallbackInfo<v8::Value> &info, const char *fn, std::string *out)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string p = info[0]->IsString() ? ToStd(isolate, info[0]) : std::string();
	bool ok = !p.empty() && p[0] == '/' && p.size() < PATH_MAX && strlen(p.c_str()) == p.size();
	for (size_t i = 0; ok && i < p.size(); i++) {
		if (p[i] != '/')
			continue;
		size_t end = p.find('/', i + 1);
		std::string c = p.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
		// "/" alone is the root; elsewhere an empty, "." or ".." component is refused.
		ok = (c.empty() && p.size() == 1) || (!c.empty() && c != "." && c != "..");
	}
	if (!ok) {
		isolate->ThrowException(v8::Exception::TypeError(
			Str(isolate, std::string(fn) + ": a canonical absolute path expected")));
		return false;
	}
	*out = p;
	return true;
}

static void BootStat(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string path;
	if (!CanonicalPath(info, "bootStat", &path))
		return;
	struct stat st;
	if (lstat(path.c_str(), &st) != 0)
		return info.GetReturnValue().Set(Str(isolate, ErrnoName(errno)));
	int kind = S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 2 : S_ISLNK(st.st_mode) ? 3 : 0;
	double mtime = (double)st.st_mtim.tv_sec * kMsPerSecond + (double)st.st_mtim.tv_nsec * kMsPerNanosecond;
	v8::Local<v8::Value> v[] = { v8::Integer::New(isolate, kind), v8::Number::New(isolate, (double)st.st_size),
				     v8::Number::New(isolate, mtime), v8::Integer::NewFromUnsigned(isolate, st.st_mode),
				     v8::Number::New(isolate, (double)st.st_ino) };
	info.GetReturnValue().Set(v8::Array::New(isolate, v, 5));
}

static void BootList(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string path;
	if (!CanonicalPath(info, "bootList", &path))
		return;
	int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? nullptr : fdopendir(fd);
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return info.GetReturnValue().Set(Str(isolate, ErrnoName(e)));
	}
	std::vector<v8::Local<v8::Value>> names;
	while (struct dirent *ent = readdir(d)) {
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
			names.push_back(Str(isolate, ent->d_name));
	}
	closedir(d);
	info.GetReturnValue().Set(v8::Array::New(isolate, names.data(), names.size()));
}

static void BootRead(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string path;
	if (!CanonicalPath(info, "bootRead", &path))
		return;
	double position = info[1]->IsNumber() ? info[1].As<v8::Number>()->Value() : -1;
	double length = info[2]->IsNumber() ? info[2].As<v8::Number>()->Value() : -1;
	// Integers, and a position that off_t holds (2^53 is past any file here).
	if (!(position >= 0 && position <= 9007199254740991.0 && position == (double)(int64_t)position) ||
	    !(length >= 0 && length == (double)(int64_t)length)) {
		isolate->ThrowException(v8::Exception::RangeError(
			Str(isolate, "bootRead: position and length must be integers >= 0")));
		return;
	}
	size_t want = (size_t)(length < kMaxRead ? length : kMaxRead);
	int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return info.GetReturnValue().Set(Str(isolate, ErrnoName(errno)));
	struct stat st;
	bool stated = fstat(fd, &st) == 0;
	if (!stated || !S_ISREG(st.st_mode)) {
		int e = stated && S_ISDIR(st.st_mode) ? EISDIR : EIO;
		close(fd);
		return info.GetReturnValue().Set(Str(isolate, ErrnoName(e)));
	}
	// Not from the app's accounted allocator: V8 treats a refused allocation in
	// ArrayBuffer::New as a fatal error of the whole process.
	char *buf = (char *)malloc(want ? want : 1);
	if (!buf) {
		close(fd);
		return ThrowError(isolate, "bootRead: out of memory");
	}
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got, (off_t)position + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return info.GetReturnValue().Set(Str(isolate, ErrnoName(e)));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	auto bytes = v8::ArrayBuffer::NewBackingStore(buf, got, [](void *data, size_t, void *) { free(data); }, nullptr);
	info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(bytes)));
}

void AddFilesBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "bootStat", BootStat);
	SetMethod(ctx, b, "bootList", BootList);
	SetMethod(ctx, b, "bootRead", BootRead);
}

}  // namespace rtjs
