// zlib for CompressionStream and DecompressionStream (js/internal/compression.js): one
// z_stream per stream, fed chunk by chunk. zlib is the runtime closure's (libnode links it).
//   zlibNew(format, compress[, level, windowBits, memLevel, strategy, node]) -> handle
//                                             format: "gzip" | "deflate" | "deflate-raw"
//     the numbers as deflateInit2 takes them (windowBits 8..15, or 0 for inflate: the
//     header's); undefined for zlib's defaults. js/node/zlib.js checks their ranges.
//     node: read as node:zlib does (gzip members in a row, what follows the end ignored).
//   zlibPush(handle, bytes, finish) -> [ArrayBuffer...]   output so far; finish ends the stream
// A corrupt or truncated compressed input throws an Error naming zlib's reason, and so does
// input after the end unless `node` is set.
#include "app.h"

#include <cstdlib>
#include <vector>

#include <zlib.h>

#include <cstring>

namespace rtjs {

// zlib's windowBits (zlib.h, deflateInit2): 15 is the largest window; +16 asks for a gzip
// header and trailer, a negative value for raw deflate without a header.
static const int kWindowBits = 15;
static const int kGzipWindowBits = kWindowBits + 16;
static const int kRawWindowBits = -kWindowBits;
// zlib.h's default for deflateInit2's memLevel.
static const int kMemLevel = 8;
// Output is produced in blocks of this size.
static const size_t kOutBlock = 64 * 1024;

struct ZState {
	z_stream z;
	bool compress = false;
	bool node = false;  // node:zlib's reading: what follows the end is not an error
	bool members = false;  // gunzip: one gzip member may follow another (RFC 1952 2.2)
	bool ended = false;  // zlib's end of stream seen (decompression) or finished
	bool open = false;
	v8::Global<v8::Object> owner;

	~ZState()
	{
		if (open)
			compress ? deflateEnd(&z) : inflateEnd(&z);
	}
};

static void FreeZState(const v8::WeakCallbackInfo<ZState> &data)
{
	ZState *s = data.GetParameter();
	s->owner.Reset();
	delete s;
}

static void ZlibNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string format = ToStd(isolate, info[0]);
	int bits = format == "gzip" ? kGzipWindowBits : format == "deflate" ? kWindowBits
		 : format == "deflate-raw" ? kRawWindowBits : 0;
	if (!bits)
		return ThrowError(isolate, "unsupported compression format '" + format + "'");
	auto option = [&](int i, int def) {
		return info.Length() > i && info[i]->IsInt32() ? info[i].As<v8::Int32>()->Value() : def;
	};
	int level = option(2, Z_DEFAULT_COMPRESSION);
	int window = option(3, kWindowBits);
	int mem_level = option(4, kMemLevel);
	int strategy = option(5, Z_DEFAULT_STRATEGY);
	// zlib.h, deflateInit2/inflateInit2: +16 for a gzip wrapper, negative for raw deflate;
	// 0 (inflate only) takes the window size from the zlib header.
	if (window != kWindowBits)
		bits = format == "gzip" ? window + 16 : format == "deflate-raw" ? -window : window;
	ZState *s = new ZState();
	memset(&s->z, 0, sizeof(s->z));
	s->compress = info[1]->IsTrue();
	s->node = info.Length() > 6 && info[6]->IsTrue();
	s->members = s->node && !s->compress && format == "gzip";
	int rc = s->compress ? deflateInit2(&s->z, level, Z_DEFLATED, bits, mem_level, strategy)
			     : inflateInit2(&s->z, bits);
	if (rc != Z_OK) {
		delete s;
		return ThrowError(isolate, std::string("zlib: cannot start: ") + zError(rc));
	}
	s->open = true;
	v8::Local<v8::ObjectTemplate> t = v8::ObjectTemplate::New(isolate);
	t->SetInternalFieldCount(1);
	v8::Local<v8::Object> o = t->NewInstance(isolate->GetCurrentContext()).ToLocalChecked();
	o->SetAlignedPointerInInternalField(0, s);
	s->owner.Reset(isolate, o);
	s->owner.SetWeak(s, FreeZState, v8::WeakCallbackType::kParameter);
	info.GetReturnValue().Set(o);
}

static void ZlibPush(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!info[0]->IsObject() || info[0].As<v8::Object>()->InternalFieldCount() != 1 ||
	    !info[1]->IsArrayBufferView())
		return ThrowError(isolate, "zlibPush(handle, bytes, finish)");
	ZState *s = static_cast<ZState *>(info[0].As<v8::Object>()->GetAlignedPointerFromInternalField(0));
	bool finish = info[2]->IsTrue();
	v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
	auto store = view->Buffer()->GetBackingStore();
	uint8_t *in = static_cast<uint8_t *>(store->Data()) + view->ByteOffset();
	size_t in_len = view->ByteLength();
	if (s->ended && in_len) {
		if (s->compress || !s->node)
			return ThrowError(isolate, "zlib: data after the end of the compressed stream");
		// After the end: another gzip member starts afresh; anything else is ignored, as
		// Node's zlib does (zero bytes are common padding after a gzip member).
		if (!s->members || in[0] == 0)
			return info.GetReturnValue().Set(v8::Array::New(isolate, 0));
		inflateReset(&s->z);
		s->ended = false;
	}
	// The output blocks are collected here and made into an array with its elements at the
	// end: Set on an array would run index setters an app put on Array.prototype.
	std::vector<v8::Local<v8::Value>> out;
	std::vector<uint8_t> block(kOutBlock);
	s->z.next_in = in_len ? in : reinterpret_cast<Bytef *>(const_cast<char *>(""));
	s->z.avail_in = (uInt)in_len;
	for (;;) {
		s->z.next_out = block.data();
		s->z.avail_out = (uInt)kOutBlock;
		int rc;
		if (s->compress) {
			rc = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
		} else {
			rc = s->ended ? Z_STREAM_END : inflate(&s->z, Z_NO_FLUSH);
			if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR)
				return ThrowError(isolate, std::string("zlib: the compressed data is corrupt (") +
								   (s->z.msg ? s->z.msg : zError(rc)) + ")");
		}
		size_t produced = kOutBlock - s->z.avail_out;
		if (produced) {
			// Not from the app's accounted allocator: V8 treats a refused allocation in
			// ArrayBuffer::New as a fatal error of the whole process.
			void *copy = malloc(produced);
			if (!copy)
				return ThrowError(isolate, "zlib: out of memory");
			memcpy(copy, block.data(), produced);
			auto bytes = v8::ArrayBuffer::NewBackingStore(
				copy, produced, [](void *data, size_t, void *) { free(data); }, nullptr);
			out.push_back(v8::ArrayBuffer::New(isolate, std::move(bytes)));
		}
		if (rc == Z_STREAM_END) {
			if (s->members && s->z.avail_in && s->z.next_in[0] != 0) {
				// The next gzip member (or garbage, which its header check refuses).
				inflateReset(&s->z);
				continue;
			}
			s->ended = true;
			// The Compression Streams standard refuses input after the end ("throw a
			// TypeError"); node:zlib ignores it.
			if (!s->compress && !s->node && s->z.avail_in)
				return ThrowError(isolate, "zlib: data after the end of the compressed stream");
			break;
		}
		if (rc == Z_BUF_ERROR || (s->z.avail_out != 0 && s->z.avail_in == 0 && !(s->compress && finish)))
			break;
	}
	if (finish && !s->compress && !s->ended)
		return ThrowError(isolate, "zlib: the compressed data ends early (truncated)");
	info.GetReturnValue().Set(v8::Array::New(isolate, out.data(), out.size()));
}

void AddZlibBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "zlibNew", ZlibNew);
	SetMethod(ctx, b, "zlibPush", ZlibPush);
}

}  // namespace rtjs
