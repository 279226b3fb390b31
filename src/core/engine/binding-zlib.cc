// zlib, Brotli and zstd, two ways.
// CompressionStream and DecompressionStream (js/internal/compression.js): one z_stream per
// stream, fed chunk by chunk. zlib is the runtime closure's (libnode links it).
//   zlibNew(format, compress) -> handle       format: "gzip" | "deflate" | "deflate-raw"
//   zlibPush(handle, bytes, finish) -> [ArrayBuffer...]   output so far; finish ends the stream
// A corrupt or truncated compressed input throws an Error naming zlib's reason, and so does
// input after the end (the Compression Streams standard refuses it).
//
// node:zlib's engines (js/node/zlib.js), which step as zlib's own API does: each write
// fills at most the output window it is given and says how much input and output room is
// left, so that the stream decides on chunk sizes, flushes and output limits. Brotli is
// the closure's libbrotlienc/libbrotlidec and zstd its libzstd (libraries the runtime
// loads already, through libnode).
//   compressOpen(mode, windowBits, level, memLevel, strategy, dictionary) -> handle
//     mode as zlib.constants (DEFLATE 1 .. UNZIP 7); dictionary a Uint8Array or undefined.
//   brotliOpen(mode, params) -> handle, or null when the library refuses a parameter
//     mode BROTLI_DECODE 8 or BROTLI_ENCODE 9; params a Uint32Array, 0xffffffff = unset.
//   zstdOpen(mode, params, pledgedSrcSize, dictionary) -> handle, or [message, code, errno]
//     mode ZSTD_COMPRESS 10 or ZSTD_DECOMPRESS 11; params a Uint32Array indexed by zstd's
//     parameter numbers, 0xffffffff = unset; pledgedSrcSize a number or undefined.
//   compressWrite(handle, flush, in, inOff, inLen, out, outOff, outLen, state)
//     -> undefined, or [message, code, errno] for an error. state (Uint32Array(2)) gets
//     [output room left, input left].
//   compressReset(handle), compressParams(handle, level, strategy) -> same error form
//   compressClose(handle)                       frees the library's state now
//   zlibCrc32(bytes, value) -> the CRC-32 of bytes continuing from value (zlib's crc32_z)
//   compressVersions() -> [ZLIB_VERNUM, zlib version, brotli version, zstd version]
#include "app.h"
#include "handles.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <zlib.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zstd.h>
#include <zstd_errors.h>

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
	bool ended = false;  // zlib's end of stream seen (decompression) or finished
	bool open = false;
	v8::Global<v8::Object> owner;

	~ZState()
	{
		if (open)
			compress ? deflateEnd(&z) : inflateEnd(&z);
	}
};

static const HandleKind kZStreamKind{ "zlib stream" };

static void ZlibNew(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	std::string format = ToStd(isolate, info[0]);
	int bits = format == "gzip" ? kGzipWindowBits : format == "deflate" ? kWindowBits
		 : format == "deflate-raw" ? kRawWindowBits : 0;
	if (!bits)
		return ThrowError(isolate, "unsupported compression format '" + format + "'");
	ZState *s = new ZState();
	memset(&s->z, 0, sizeof(s->z));
	s->compress = info[1]->IsTrue();
	int rc = s->compress ? deflateInit2(&s->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, kMemLevel,
					    Z_DEFAULT_STRATEGY)
			     : inflateInit2(&s->z, bits);
	if (rc != Z_OK) {
		delete s;
		return ThrowError(isolate, std::string("zlib: cannot start: ") + zError(rc));
	}
	s->open = true;
	v8::Local<v8::Object> o;
	if (NewHandle(isolate, kZStreamKind, s).ToLocal(&o))
		info.GetReturnValue().Set(o);
}

static void ZlibPush(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	ZState *s = HandleState<ZState>(info[0], kZStreamKind);
	if (!s || !info[1]->IsArrayBufferView())
		return ThrowError(isolate, "zlibPush(handle, bytes, finish)");
	bool finish = info[2]->IsTrue();
	v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
	auto store = view->Buffer()->GetBackingStore();
	uint8_t *in = static_cast<uint8_t *>(store->Data()) + view->ByteOffset();
	size_t in_len = view->ByteLength();
	if (s->ended && in_len)
		return ThrowError(isolate, "zlib: data after the end of the compressed stream");
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
			s->ended = true;
			// The Compression Streams standard refuses input after the end ("throw a
			// TypeError").
			if (!s->compress && s->z.avail_in)
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

// node:zlib's modes (Node's zlib.constants, which programs pass to the engine's users).
enum Mode { kNone, kDeflate, kInflate, kGzip, kGunzip, kDeflateRaw, kInflateRaw, kUnzip,
	    kBrotliDecode, kBrotliEncode, kZstdCompress, kZstdDecompress };
// zlib.h, inflateInit2: +32 detects a zlib or gzip header.
static const int kDetectHeader = 32;
// RFC 1952 section 2.3.1: a gzip member starts with ID1 0x1f, ID2 0x8b.
static const uint8_t kGzipId1 = 0x1f;
static const uint8_t kGzipId2 = 0x8b;
// Node's errno for a Brotli encoder failure (the library gives no code).
static const int kBrotliEncodeErrno = -1;

struct Failure {
	std::string message, code;
	int errno_ = 0;
	bool failed = false;
	void Set(const std::string &m, const std::string &c, int e)
	{
		message = m, code = c, errno_ = e, failed = true;
	}
};

class Engine {
public:
	virtual ~Engine() {}
	// One step over in -> out; *in_left and *out_left get what was not used.
	virtual void Write(int flush, const uint8_t *in, uint32_t in_len, uint8_t *out,
			   uint32_t out_len, uint32_t *in_left, uint32_t *out_left, Failure *f) = 0;
	virtual void Reset(Failure *f) = 0;
	virtual void Params(int, int, Failure *) {}
	v8::Global<v8::Object> owner;
};

static const char *ZlibCodeName(int err)
{
	switch (err) {
	case Z_OK: return "Z_OK";
	case Z_STREAM_END: return "Z_STREAM_END";
	case Z_NEED_DICT: return "Z_NEED_DICT";
	case Z_ERRNO: return "Z_ERRNO";
	case Z_STREAM_ERROR: return "Z_STREAM_ERROR";
	case Z_DATA_ERROR: return "Z_DATA_ERROR";
	case Z_MEM_ERROR: return "Z_MEM_ERROR";
	case Z_BUF_ERROR: return "Z_BUF_ERROR";
	case Z_VERSION_ERROR: return "Z_VERSION_ERROR";
	}
	return "Z_UNKNOWN_ERROR";
}

class ZlibEngine : public Engine {
public:
	ZlibEngine(int mode, int window, int level, int mem_level, int strategy,
		   std::vector<uint8_t> dictionary)
		: mode_(mode), window_(window), level_(level), mem_level_(mem_level),
		  strategy_(strategy), dictionary_(std::move(dictionary))
	{
		memset(&z_, 0, sizeof(z_));
	}
	~ZlibEngine() override
	{
		if (open_)
			Deflating() ? deflateEnd(&z_) : inflateEnd(&z_);
	}

	// zlib.h, deflateInit2/inflateInit2; a dictionary for raw deflate is set up front (no
	// header asks for it), for zlib deflate it is announced in the header (RFC 1950 FDICT).
	bool Init(Failure *f)
	{
		int bits = mode_ == kGzip || mode_ == kGunzip ? window_ + 16
			 : mode_ == kUnzip ? window_ + kDetectHeader
			 : mode_ == kDeflateRaw || mode_ == kInflateRaw ? -window_ : window_;
		err_ = Deflating() ? deflateInit2(&z_, level_, Z_DEFLATED, bits, mem_level_, strategy_)
				   : inflateInit2(&z_, bits);
		if (err_ != Z_OK) {
			memset(&z_, 0, sizeof(z_));
			return Fail(f, "Init error");
		}
		open_ = true;
		return SetDictionary(f);
	}

	void Write(int flush, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len,
		   uint32_t *in_left, uint32_t *out_left, Failure *f) override
	{
		z_.next_in = const_cast<Bytef *>(in);
		z_.avail_in = in_len;
		z_.next_out = out;
		z_.avail_out = out_len;
		if (Deflating()) {
			err_ = deflate(&z_, flush);
		} else {
			if (mode_ == kUnzip)
				DetectGzip();
			err_ = inflate(&z_, flush);
			if (mode_ != kInflateRaw && err_ == Z_NEED_DICT && !dictionary_.empty()) {
				err_ = inflateSetDictionary(&z_, dictionary_.data(), (uInt)dictionary_.size());
				if (err_ == Z_OK)
					err_ = inflate(&z_, flush);
				else if (err_ == Z_DATA_ERROR)
					err_ = Z_NEED_DICT;  // the dictionary's Adler-32 is not the header's
			}
			// Another gzip member may follow (RFC 1952 2.2); zero bytes after one are
			// padding, anything else a new member whose header check judges it.
			while (z_.avail_in > 0 && mode_ == kGunzip && err_ == Z_STREAM_END &&
			       z_.next_in[0] != 0) {
				err_ = inflateReset(&z_);
				if (err_ == Z_OK)
					err_ = inflate(&z_, flush);
			}
		}
		*in_left = z_.avail_in;
		*out_left = z_.avail_out;
		switch (err_) {
		case Z_OK:
		case Z_BUF_ERROR:
			if (z_.avail_out != 0 && flush == Z_FINISH) {
				Fail(f, "unexpected end of file");
				return;
			}
			break;
		case Z_STREAM_END:
			break;
		case Z_NEED_DICT:
			Fail(f, dictionary_.empty() ? "Missing dictionary" : "Bad dictionary");
			return;
		default:
			Fail(f, "Zlib error");
			return;
		}
	}

	void Reset(Failure *f) override
	{
		err_ = Deflating() ? deflateReset(&z_) : inflateReset(&z_);
		if (mode_ == kUnzip || mode_ == kGunzip)
			gzip_id_bytes_ = 0;
		if (err_ != Z_OK) {
			Fail(f, "Failed to reset stream");
			return;
		}
		SetDictionary(f);
	}

	void Params(int level, int strategy, Failure *f) override
	{
		if (mode_ != kDeflate && mode_ != kDeflateRaw && mode_ != kGzip)
			return;
		err_ = deflateParams(&z_, level, strategy);
		if (err_ != Z_OK && err_ != Z_BUF_ERROR)
			Fail(f, "Failed to set parameters");
	}

private:
	bool Deflating() const { return mode_ == kDeflate || mode_ == kGzip || mode_ == kDeflateRaw; }

	bool Fail(Failure *f, const char *message)
	{
		// zlib's own reason when it gave one ("incorrect header check").
		f->Set(z_.msg ? z_.msg : message, ZlibCodeName(err_), err_);
		return false;
	}

	bool SetDictionary(Failure *f)
	{
		if (dictionary_.empty())
			return true;
		err_ = Z_OK;
		if (mode_ == kDeflate || mode_ == kDeflateRaw)
			err_ = deflateSetDictionary(&z_, dictionary_.data(), (uInt)dictionary_.size());
		else if (mode_ == kInflateRaw)
			err_ = inflateSetDictionary(&z_, dictionary_.data(), (uInt)dictionary_.size());
		if (err_ != Z_OK)
			return Fail(f, "Failed to set dictionary");
		return true;
	}

	// Unzip reads a gzip stream as gunzip (so that members in a row are read) and anything
	// else as zlib; the two magic bytes may come in separate writes.
	void DetectGzip()
	{
		for (uint32_t i = 0; i < z_.avail_in && mode_ == kUnzip; i++) {
			uint8_t want = gzip_id_bytes_ == 0 ? kGzipId1 : kGzipId2;
			if (z_.next_in[i] != want) {
				mode_ = kInflate;
			} else if (++gzip_id_bytes_ == 2) {
				mode_ = kGunzip;
			}
		}
	}

	int mode_, window_, level_, mem_level_, strategy_;
	std::vector<uint8_t> dictionary_;
	z_stream z_;
	int err_ = Z_OK;
	bool open_ = false;
	int gzip_id_bytes_ = 0;
};

class BrotliEngine : public Engine {
public:
	BrotliEngine(bool encode, std::vector<uint32_t> params) : encode_(encode), params_(std::move(params)) {}
	~BrotliEngine() override { Free(); }

	// False when the library refuses a parameter (a value out of its range).
	bool Init()
	{
		Free();
		if (encode_)
			enc_ = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
		else
			dec_ = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
		if (!enc_ && !dec_)
			return false;
		for (size_t key = 0; key < params_.size(); key++) {
			if (params_[key] == kUnset)
				continue;
			bool ok = encode_ ? BrotliEncoderSetParameter(enc_, (BrotliEncoderParameter)key, params_[key])
					  : BrotliDecoderSetParameter(dec_, (BrotliDecoderParameter)key, params_[key]);
			if (!ok)
				return false;
		}
		return true;
	}

	void Write(int flush, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len,
		   uint32_t *in_left, uint32_t *out_left, Failure *f) override
	{
		size_t avail_in = in_len, avail_out = out_len;
		const uint8_t *next_in = in;
		uint8_t *next_out = out;
		if (encode_) {
			if (!BrotliEncoderCompressStream(enc_, (BrotliEncoderOperation)flush, &avail_in, &next_in,
							 &avail_out, &next_out, nullptr))
				f->Set("Compression failed", "ERR_BROTLI_COMPRESSION_FAILED", kBrotliEncodeErrno);
		} else {
			BrotliDecoderResult r = BrotliDecoderDecompressStream(dec_, &avail_in, &next_in, &avail_out,
									      &next_out, nullptr);
			if (r == BROTLI_DECODER_RESULT_ERROR) {
				BrotliDecoderErrorCode code = BrotliDecoderGetErrorCode(dec_);
				f->Set("Decompression failed", std::string("ERR_") + BrotliDecoderErrorString(code),
				       (int)code);
			} else if (flush == BROTLI_OPERATION_FINISH && r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
				f->Set("unexpected end of file", "Z_BUF_ERROR", Z_BUF_ERROR);
			}
		}
		*in_left = (uint32_t)avail_in;
		*out_left = (uint32_t)avail_out;
	}

	void Reset(Failure *f) override
	{
		if (!Init())
			f->Set("Failed to reset stream", "ERR_ZLIB_INITIALIZATION_FAILED", -1);
	}

	static const uint32_t kUnset = 0xffffffffu;

private:
	void Free()
	{
		if (enc_)
			BrotliEncoderDestroyInstance(enc_);
		if (dec_)
			BrotliDecoderDestroyInstance(dec_);
		enc_ = nullptr;
		dec_ = nullptr;
	}

	bool encode_;
	std::vector<uint32_t> params_;
	BrotliEncoderState *enc_ = nullptr;
	BrotliDecoderState *dec_ = nullptr;
};

// zstd_errors.h's codes by name, as Node names a zstd error's `code`.
static std::string ZstdCodeName(ZSTD_ErrorCode code)
{
#define ZSTD_NAME(n) \
	case ZSTD_error_##n: return "ZSTD_error_" #n;
	switch (code) {
		ZSTD_NAME(no_error) ZSTD_NAME(GENERIC) ZSTD_NAME(prefix_unknown) ZSTD_NAME(version_unsupported)
		ZSTD_NAME(frameParameter_unsupported) ZSTD_NAME(frameParameter_windowTooLarge)
		ZSTD_NAME(corruption_detected) ZSTD_NAME(checksum_wrong) ZSTD_NAME(literals_headerWrong)
		ZSTD_NAME(dictionary_corrupted) ZSTD_NAME(dictionary_wrong) ZSTD_NAME(dictionaryCreation_failed)
		ZSTD_NAME(parameter_unsupported) ZSTD_NAME(parameter_combination_unsupported)
		ZSTD_NAME(parameter_outOfBound) ZSTD_NAME(tableLog_tooLarge) ZSTD_NAME(maxSymbolValue_tooLarge)
		ZSTD_NAME(maxSymbolValue_tooSmall) ZSTD_NAME(stabilityCondition_notRespected)
		ZSTD_NAME(stage_wrong) ZSTD_NAME(init_missing) ZSTD_NAME(memory_allocation)
		ZSTD_NAME(workSpace_tooSmall) ZSTD_NAME(dstSize_tooSmall) ZSTD_NAME(srcSize_wrong)
		ZSTD_NAME(dstBuffer_null) ZSTD_NAME(noForwardProgress_destFull)
		ZSTD_NAME(noForwardProgress_inputEmpty) ZSTD_NAME(frameIndex_tooLarge) ZSTD_NAME(seekableIO)
		ZSTD_NAME(dstBuffer_wrong) ZSTD_NAME(srcBuffer_wrong) ZSTD_NAME(sequenceProducer_failed)
		ZSTD_NAME(externalSequences_invalid)
	default: break;
	}
#undef ZSTD_NAME
	return "ZSTD_error_GENERIC";
}

class ZstdEngine : public Engine {
public:
	ZstdEngine(bool compress, std::vector<uint32_t> params, bool pledged, uint64_t pledged_size,
		   std::vector<uint8_t> dictionary)
		: compress_(compress), params_(std::move(params)), pledged_(pledged),
		  pledged_size_(pledged_size), dictionary_(std::move(dictionary))
	{
	}
	~ZstdEngine() override { Free(); }

	bool Init(Failure *f)
	{
		Free();
		if (compress_)
			cctx_ = ZSTD_createCCtx();
		else
			dctx_ = ZSTD_createDCtx();
		if (!cctx_ && !dctx_) {
			f->Set("Could not initialize zstd instance", "ERR_ZLIB_INITIALIZATION_FAILED", -1);
			return false;
		}
		for (size_t key = 0; key < params_.size(); key++) {
			if (params_[key] == kUnset)
				continue;
			// Signed: a negative compression level is zstd's fast mode.
			int value = (int)params_[key];
			size_t r = compress_ ? ZSTD_CCtx_setParameter(cctx_, (ZSTD_cParameter)key, value)
					     : ZSTD_DCtx_setParameter(dctx_, (ZSTD_dParameter)key, value);
			if (ZSTD_isError(r)) {
				f->Set("Setting parameter failed", "ERR_ZLIB_INITIALIZATION_FAILED", -1);
				return false;
			}
		}
		if (compress_ && pledged_ && ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cctx_, pledged_size_))) {
			f->Set("Could not set pledged src size", "ERR_ZLIB_INITIALIZATION_FAILED", -1);
			return false;
		}
		if (!dictionary_.empty()) {
			size_t r = compress_ ? ZSTD_CCtx_loadDictionary(cctx_, dictionary_.data(), dictionary_.size())
					     : ZSTD_DCtx_loadDictionary(dctx_, dictionary_.data(), dictionary_.size());
			if (ZSTD_isError(r)) {
				f->Set("Failed to set dictionary", "ERR_ZLIB_INITIALIZATION_FAILED", -1);
				return false;
			}
		}
		in_frame_ = false;
		return true;
	}

	void Write(int flush, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len,
		   uint32_t *in_left, uint32_t *out_left, Failure *f) override
	{
		ZSTD_inBuffer input = { in, in_len, 0 };
		ZSTD_outBuffer output = { out, out_len, 0 };
		size_t r = compress_ ? ZSTD_compressStream2(cctx_, &output, &input, (ZSTD_EndDirective)flush)
				     : ZSTD_decompressStream(dctx_, &output, &input);
		*in_left = (uint32_t)(input.size - input.pos);
		*out_left = (uint32_t)(output.size - output.pos);
		if (ZSTD_isError(r)) {
			ZSTD_ErrorCode code = ZSTD_getErrorCode(r);
			f->Set(ZSTD_getErrorName(r), ZstdCodeName(code), (int)code);
		} else {
			// ZSTD_decompressStream returns 0 once a frame is decoded and flushed.
			if (!compress_ && (input.pos > 0 || r == 0))
				in_frame_ = r != 0;
			if (!compress_ && flush == ZSTD_e_end && in_frame_ && *in_left == 0 && *out_left != 0)
				// The frame wants more input and there is none: the data was cut short.
				f->Set("unexpected end of file", "Z_BUF_ERROR", Z_BUF_ERROR);
		}
	}

	void Reset(Failure *f) override { Init(f); }

	static const uint32_t kUnset = 0xffffffffu;

private:
	void Free()
	{
		ZSTD_freeCCtx(cctx_);
		ZSTD_freeDCtx(dctx_);
		cctx_ = nullptr;
		dctx_ = nullptr;
	}

	bool compress_;
	std::vector<uint32_t> params_;
	bool pledged_;
	uint64_t pledged_size_;
	std::vector<uint8_t> dictionary_;
	ZSTD_CCtx *cctx_ = nullptr;
	ZSTD_DCtx *dctx_ = nullptr;
	bool in_frame_ = false;  // decompressing: inside a frame not yet complete
};

static const HandleKind kEngineKind{ "compression engine" };

static void Wrap(v8::Isolate *isolate, Engine *e, v8::ReturnValue<v8::Value> rv)
{
	v8::Local<v8::Object> o;
	if (NewHandle(isolate, kEngineKind, e).ToLocal(&o))
		rv.Set(o);
}

// The engine behind a handle; null (a TypeError thrown) for anything else or a closed one.
static Engine *Unwrap(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	bool is_engine;
	Engine *e = HandleState<Engine>(info[0], kEngineKind, &is_engine);
	if (!is_engine)
		Require(info, false, "compression handle expected");
	else if (!e)
		ThrowError(info.GetIsolate(), "zlib binding closed");
	return e;
}

static bool Bytes(v8::Local<v8::Value> v, uint8_t **data, size_t *len)
{
	if (!v->IsArrayBufferView())
		return false;
	v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
	*data = static_cast<uint8_t *>(view->Buffer()->Data()) + view->ByteOffset();
	*len = view->ByteLength();
	return true;
}

static void Report(const v8::FunctionCallbackInfo<v8::Value> &info, const Failure &f)
{
	if (!f.failed)
		return;
	v8::Isolate *isolate = info.GetIsolate();
	v8::Local<v8::Value> parts[] = { Str(isolate, f.message), Str(isolate, f.code),
					 v8::Integer::New(isolate, f.errno_) };
	info.GetReturnValue().Set(v8::Array::New(isolate, parts, 3));
}

static void CompressOpen(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	for (int i = 0; i < 5; i++)
		if (!Require(info, info[i]->IsInt32(), "compressOpen(mode, windowBits, level, memLevel, strategy[, dictionary])"))
			return;
	int mode = info[0].As<v8::Int32>()->Value();
	if (mode < kDeflate || mode > kUnzip)
		return ThrowError(isolate, "compressOpen: not a zlib mode");
	std::vector<uint8_t> dictionary;
	uint8_t *data;
	size_t len;
	if (Bytes(info[5], &data, &len))
		dictionary.assign(data, data + len);
	auto e = std::make_unique<ZlibEngine>(mode, info[1].As<v8::Int32>()->Value(), info[2].As<v8::Int32>()->Value(),
					      info[3].As<v8::Int32>()->Value(), info[4].As<v8::Int32>()->Value(),
					      std::move(dictionary));
	Failure f;
	if (!e->Init(&f))
		return ThrowError(isolate, "zlib: " + f.message);
	Wrap(isolate, e.release(), info.GetReturnValue());
}

static void BrotliOpen(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	if (!Require(info, info[0]->IsInt32() && info[1]->IsUint32Array(), "brotliOpen(mode, params)"))
		return;
	int mode = info[0].As<v8::Int32>()->Value();
	if (mode != kBrotliDecode && mode != kBrotliEncode)
		return ThrowError(info.GetIsolate(), "brotliOpen: not a Brotli mode");
	v8::Local<v8::Uint32Array> a = info[1].As<v8::Uint32Array>();
	std::vector<uint32_t> params(a->Length());
	a->CopyContents(params.data(), params.size() * sizeof(uint32_t));
	auto e = std::make_unique<BrotliEngine>(mode == kBrotliEncode, std::move(params));
	if (!e->Init())
		return info.GetReturnValue().SetNull();
	Wrap(info.GetIsolate(), e.release(), info.GetReturnValue());
}

static void ZstdOpen(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	if (!Require(info, info[0]->IsInt32() && info[1]->IsUint32Array() &&
			   (info[2]->IsUndefined() || info[2]->IsNumber()),
		     "zstdOpen(mode, params, pledgedSrcSize[, dictionary])"))
		return;
	int mode = info[0].As<v8::Int32>()->Value();
	if (mode != kZstdCompress && mode != kZstdDecompress)
		return ThrowError(isolate, "zstdOpen: not a zstd mode");
	v8::Local<v8::Uint32Array> a = info[1].As<v8::Uint32Array>();
	std::vector<uint32_t> params(a->Length());
	a->CopyContents(params.data(), params.size() * sizeof(uint32_t));
	bool pledged = info[2]->IsNumber();
	double size = pledged ? info[2].As<v8::Number>()->Value() : 0;
	if (pledged && !(size >= 0 && size <= 9007199254740991.0))
		return ThrowError(isolate, "zstdOpen: pledgedSrcSize out of range");
	std::vector<uint8_t> dictionary;
	uint8_t *data;
	size_t len;
	if (Bytes(info[3], &data, &len))
		dictionary.assign(data, data + len);
	auto e = std::make_unique<ZstdEngine>(mode == kZstdCompress, std::move(params), pledged, (uint64_t)size,
					      std::move(dictionary));
	Failure f;
	if (!e->Init(&f))
		return Report(info, f);
	Wrap(isolate, e.release(), info.GetReturnValue());
}

static void CompressWrite(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Engine *e = Unwrap(info);
	if (!e)
		return;
	uint8_t *in, *out;
	size_t in_size, out_size;
	bool ok = info[1]->IsInt32() && Bytes(info[2], &in, &in_size) && info[3]->IsUint32() &&
		  info[4]->IsUint32() && Bytes(info[5], &out, &out_size) && info[6]->IsUint32() &&
		  info[7]->IsUint32() && info[8]->IsUint32Array() && info[8].As<v8::Uint32Array>()->Length() >= 2;
	if (!Require(info, ok, "compressWrite(handle, flush, in, inOff, inLen, out, outOff, outLen, state)"))
		return;
	uint32_t in_off = info[3].As<v8::Uint32>()->Value(), in_len = info[4].As<v8::Uint32>()->Value();
	uint32_t out_off = info[6].As<v8::Uint32>()->Value(), out_len = info[7].As<v8::Uint32>()->Value();
	if ((uint64_t)in_off + in_len > in_size || (uint64_t)out_off + out_len > out_size)
		return ThrowError(info.GetIsolate(), "compressWrite: a range lies outside its buffer");
	uint32_t left[2];
	Failure f;
	e->Write(info[1].As<v8::Int32>()->Value(), in + in_off, in_len, out + out_off, out_len, &left[1], &left[0], &f);
	v8::Local<v8::Uint32Array> state = info[8].As<v8::Uint32Array>();
	memcpy(static_cast<uint8_t *>(state->Buffer()->Data()) + state->ByteOffset(), left, sizeof(left));
	Report(info, f);
}

static void CompressReset(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Engine *e = Unwrap(info);
	if (!e)
		return;
	Failure f;
	e->Reset(&f);
	Report(info, f);
}

static void CompressParams(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Engine *e = Unwrap(info);
	if (!e || !Require(info, info[1]->IsInt32() && info[2]->IsInt32(), "compressParams(handle, level, strategy)"))
		return;
	Failure f;
	e->Params(info[1].As<v8::Int32>()->Value(), info[2].As<v8::Int32>()->Value(), &f);
	Report(info, f);
}

static void CompressClose(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	Engine *e = Unwrap(info);
	if (!e)
		return;
	CloseHandle(info[0].As<v8::Object>(), e);
}

static void ZlibCrc32(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint8_t *data;
	size_t len;
	if (!Require(info, Bytes(info[0], &data, &len) && info[1]->IsUint32(), "zlibCrc32(bytes, value)"))
		return;
	uint32_t value = info[1].As<v8::Uint32>()->Value();
	// zlib.h: a null buffer asks for the initial value, which an empty one must not.
	uLong crc = len ? crc32_z(value, data, len) : value;
	info.GetReturnValue().Set(v8::Number::New(info.GetIsolate(), (double)crc));
}

static void CompressVersions(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	uint32_t b = BrotliEncoderVersion();  // 0xMMMmmmppp (brotli/encode.h)
	std::string brotli = std::to_string(b >> 24) + "." + std::to_string((b >> 12) & 0xfff) + "." +
			     std::to_string(b & 0xfff);
	v8::Local<v8::Value> parts[] = { v8::Integer::New(isolate, ZLIB_VERNUM), Str(isolate, zlibVersion()),
					 Str(isolate, brotli), Str(isolate, ZSTD_versionString()) };
	info.GetReturnValue().Set(v8::Array::New(isolate, parts, 4));
}

void AddZlibBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "zlibNew", ZlibNew);
	SetMethod(ctx, b, "zlibPush", ZlibPush);
	SetMethod(ctx, b, "compressOpen", CompressOpen);
	SetMethod(ctx, b, "brotliOpen", BrotliOpen);
	SetMethod(ctx, b, "zstdOpen", ZstdOpen);
	SetMethod(ctx, b, "compressWrite", CompressWrite);
	SetMethod(ctx, b, "compressReset", CompressReset);
	SetMethod(ctx, b, "compressParams", CompressParams);
	SetMethod(ctx, b, "compressClose", CompressClose);
	SetMethod(ctx, b, "compressVersions", CompressVersions);
	SetMethod(ctx, b, "zlibCrc32", ZlibCrc32);
}

}  // namespace rtjs
