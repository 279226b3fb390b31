// The plain-data wire format of IPC payloads (ipc-plain.h): arrays of strings, numbers,
// booleans, null and undefined (and of such arrays) written as tagged bytes and read back
// into arrays made with their elements. It carries what ipc.js's one read of an outgoing value
// found to be such a tree, the arguments array of most calls among them (docs/design.md,
// "Apps, engines and IPC"). Objects are not taken: V8's JSON parser makes them from its own
// map transitions, which is cheaper than defining their properties through the API.
//
// Layout, little-endian, one tag byte per value:
//   kNull kTrue kFalse kUndefined
//   kInt32   i32
//   kDouble  f64 (IEEE 754 binary64, bit for bit: -0 and NaN survive)
//   kLatin1  u32 length, then that many Latin-1 bytes
//   kUtf16   u32 length, then that many UTF-16 code units (lone surrogates kept)
//   kArray   u32 length, then that many values
//   kObject  u32 n, then n keys (kLatin1 or kUtf16), then the n values in the keys' order
//   kMoved   u32 index in the message's transfers, u8 view (kMovedBuffer: the ArrayBuffer
//            itself; kMovedUint8: a Uint8Array over it), u64 byte offset, u64 length: memory
//            moved with rt.transfer, as the clone moves it (the sender's buffer detached)
// (kObject only in kShaped payloads: the objects of ipc.js's shaped form, which the sender's
// JavaScript walked once and hands over as node codes and leaves, so that nothing here reads
// a property through the API, and which the receiver's JavaScript builds with one object
// literal per list of keys, V8's cheapest way to make an object with known keys).
#include "ipc-plain.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "app.h"

namespace rtjs {

namespace {

enum Tag : uint8_t { kNull, kTrue, kFalse, kUndefined, kInt32, kDouble, kLatin1, kUtf16, kArray, kObject, kMoved };
enum MovedView : uint8_t { kMovedBuffer = 0, kMovedUint8 = 1 };

// The node codes of ipc.js's shaped form (its NODE_*): a leaf takes the next argument; an
// array is followed by its length, then its items' nodes; an object by its number of keys n,
// and takes n arguments, its keys, before its values' nodes.
enum Node : int32_t { kNodeLeaf = 0, kNodeArray = 1, kNodeObject = 2 };

// Nesting the writer and the reader accept. ipc.js sends at most 16 arrays and objects this
// way; a deeper tree is a bug on the sending side, refused rather than recursed into.
constexpr int kMaxDepth = 64;

class PlainWriter {
public:
	// `moved`: the buffers of the message's transfer list, which leaves may stand on.
	PlainWriter(v8::Isolate *isolate, v8::Local<v8::Context> ctx, const std::vector<v8::Local<v8::ArrayBuffer>> &moved)
		: isolate_(isolate), ctx_(ctx), moved_(moved) {}
	~PlainWriter() { free(data_); }

	bool Write(v8::Local<v8::Value> v, int depth);
	// One node of a shaped tree and what it holds; `at` and `arg` advance past what it took.
	bool WriteNode(const int32_t *layout, size_t count, size_t *at, const v8::FunctionCallbackInfo<v8::Value> &info,
		       int *arg, int depth);

	uint8_t *Release()
	{
		uint8_t *p = data_;
		data_ = nullptr;
		return p;
	}
	size_t size() const { return size_; }
	bool too_large() const { return too_large_; }
	bool out_of_memory() const { return out_of_memory_; }

private:
	bool Reserve(size_t more)
	{
		if (size_ + more <= cap_)
			return true;
		if (size_ + more > kIpcMaxMessageBytes) {
			too_large_ = true;
			return false;
		}
		size_t cap = cap_ ? cap_ * 2 : 256;
		while (cap < size_ + more)
			cap *= 2;
		uint8_t *p = (uint8_t *)realloc(data_, cap);
		if (!p) {
			out_of_memory_ = true;
			return false;
		}
		data_ = p;
		cap_ = cap;
		return true;
	}
	void Put(const void *p, size_t n)
	{
		memcpy(data_ + size_, p, n);
		size_ += n;
	}
	bool Tag(uint8_t t)
	{
		if (!Reserve(1))
			return false;
		data_[size_++] = t;
		return true;
	}
	bool TagU32(uint8_t t, uint32_t n)
	{
		if (!Reserve(5))
			return false;
		data_[size_++] = t;
		Put(&n, 4);
		return true;
	}
	bool WriteString(v8::Local<v8::String> s);
	bool WriteArray(v8::Local<v8::Array> a, int depth);
	bool WriteMoved(v8::Local<v8::ArrayBuffer> buffer, uint8_t view, uint64_t offset, uint64_t length);

	v8::Isolate *isolate_;
	v8::Local<v8::Context> ctx_;
	const std::vector<v8::Local<v8::ArrayBuffer>> &moved_;
	uint8_t *data_ = nullptr;
	size_t size_ = 0, cap_ = 0;
	bool too_large_ = false;
	bool out_of_memory_ = false;
};

bool PlainWriter::WriteString(v8::Local<v8::String> s)
{
	uint32_t n = (uint32_t)s->Length();
	if (s->IsOneByte()) {
		if (!TagU32(kLatin1, n) || !Reserve(n))
			return false;
		s->WriteOneByte(isolate_, data_ + size_, 0, (int)n, v8::String::NO_NULL_TERMINATION);
		size_ += n;
		return true;
	}
	if (!TagU32(kUtf16, n) || !Reserve(2 * (size_t)n))
		return false;
	// The buffer's offsets are not 2-aligned in general: write to the side, then copy.
	uint16_t small[256];
	uint16_t *units = n <= 256 ? small : (uint16_t *)malloc(2 * (size_t)n);
	if (!units) {
		out_of_memory_ = true;
		return false;
	}
	s->Write(isolate_, units, 0, (int)n, v8::String::NO_NULL_TERMINATION);
	Put(units, 2 * (size_t)n);
	if (units != small)
		free(units);
	return true;
}

bool PlainWriter::WriteArray(v8::Local<v8::Array> a, int depth)
{
	uint32_t n = a->Length();
	if (!TagU32(kArray, n))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		v8::Local<v8::Value> item;
		if (!a->Get(ctx_, i).ToLocal(&item) || !Write(item, depth + 1))
			return false;
	}
	return true;
}

// A buffer not in the transfer list would have to be copied, which this format does not do:
// ipc.js sends only moved ones this way.
bool PlainWriter::WriteMoved(v8::Local<v8::ArrayBuffer> buffer, uint8_t view, uint64_t offset, uint64_t length)
{
	for (size_t i = 0; i < moved_.size(); i++) {
		if (moved_[i] != buffer)
			continue;
		uint32_t index = (uint32_t)i;
		if (!TagU32(kMoved, index) || !Reserve(17))
			return false;
		data_[size_++] = view;
		Put(&offset, 8);
		Put(&length, 8);
		return true;
	}
	return false;
}

bool PlainWriter::Write(v8::Local<v8::Value> v, int depth)
{
	if (depth > kMaxDepth)
		return false;
	if (v->IsString())
		return WriteString(v.As<v8::String>());
	if (v->IsInt32()) {
		int32_t i = v.As<v8::Int32>()->Value();
		if (!Reserve(5))
			return false;
		data_[size_++] = kInt32;
		Put(&i, 4);
		return true;
	}
	if (v->IsNumber()) {
		double d = v.As<v8::Number>()->Value();
		if (!Reserve(9))
			return false;
		data_[size_++] = kDouble;
		Put(&d, 8);
		return true;
	}
	if (v->IsTrue())
		return Tag(kTrue);
	if (v->IsFalse())
		return Tag(kFalse);
	if (v->IsNull())
		return Tag(kNull);
	if (v->IsUndefined())
		return Tag(kUndefined);
	if (v->IsArray())
		return WriteArray(v.As<v8::Array>(), depth);
	if (v->IsArrayBuffer()) {
		v8::Local<v8::ArrayBuffer> b = v.As<v8::ArrayBuffer>();
		return WriteMoved(b, kMovedBuffer, 0, b->ByteLength());
	}
	if (v->IsUint8Array()) {
		v8::Local<v8::Uint8Array> a = v.As<v8::Uint8Array>();
		return WriteMoved(a->Buffer(), kMovedUint8, a->ByteOffset(), a->Length());
	}
	return false;
}

bool PlainWriter::WriteNode(const int32_t *layout, size_t count, size_t *at,
			    const v8::FunctionCallbackInfo<v8::Value> &info, int *arg, int depth)
{
	if (depth > kMaxDepth || *at >= count)
		return false;
	int32_t code = layout[(*at)++];
	if (code == kNodeLeaf) {
		if (*arg >= info.Length())
			return false;
		v8::Local<v8::Value> v = info[(*arg)++];
		return (!v->IsObject() || v->IsArrayBuffer() || v->IsUint8Array()) && Write(v, depth);
	}
	if ((code != kNodeArray && code != kNodeObject) || *at >= count || layout[*at] < 0)
		return false;
	uint32_t n = (uint32_t)layout[(*at)++];
	if (code == kNodeObject) {
		if (n > (uint32_t)(info.Length() - *arg) || !TagU32(kObject, n))
			return false;
		for (uint32_t i = 0; i < n; i++) {
			v8::Local<v8::Value> key = info[(*arg)++];
			if (!key->IsString() || !WriteString(key.As<v8::String>()))
				return false;
		}
	} else if (!TagU32(kArray, n)) {
		return false;
	}
	for (uint32_t i = 0; i < n; i++)
		if (!WriteNode(layout, count, at, info, arg, depth + 1))
			return false;
	return true;
}

class PlainReader {
public:
	PlainReader(v8::Isolate *isolate, v8::Local<v8::Context> ctx, const Serialized &msg)
		: isolate_(isolate), ctx_(ctx), p_(msg.data.get()), end_(msg.data.get() + msg.size),
		  shaped_(msg.format == Serialized::kShaped), transfers_(msg.transfers), buffers_(msg.transfers.size()) {}

	bool Read(v8::Local<v8::Value> *out, int depth);
	bool AtEnd() const { return p_ == end_; }

private:
	bool Take(void *out, size_t n)
	{
		if ((size_t)(end_ - p_) < n)
			return false;
		memcpy(out, p_, n);
		p_ += n;
		return true;
	}
	bool ReadString(uint8_t tag, v8::Local<v8::String> *out);
	bool ReadList(uint8_t tag, v8::Local<v8::Value> *out, int depth);
	bool ReadMoved(v8::Local<v8::Value> *out);

	v8::Isolate *isolate_;
	v8::Local<v8::Context> ctx_;
	const uint8_t *p_, *end_;
	bool shaped_;
	const std::vector<std::shared_ptr<v8::BackingStore>> &transfers_;
	// One ArrayBuffer per moved buffer, made when first met: views of one buffer share it.
	std::vector<v8::Local<v8::ArrayBuffer>> buffers_;
};

bool PlainReader::ReadMoved(v8::Local<v8::Value> *out)
{
	uint32_t index;
	uint8_t view;
	uint64_t offset, length;
	if (!Take(&index, 4) || !Take(&view, 1) || !Take(&offset, 8) || !Take(&length, 8) ||
	    index >= transfers_.size())
		return false;
	if (buffers_[index].IsEmpty())
		buffers_[index] = v8::ArrayBuffer::New(isolate_, transfers_[index]);
	v8::Local<v8::ArrayBuffer> b = buffers_[index];
	size_t size = b->ByteLength();
	if (offset > size || length > size - offset)
		return false;
	if (view == kMovedBuffer) {
		if (offset != 0 || length != size)
			return false;
		*out = b;
		return true;
	}
	if (view != kMovedUint8)
		return false;
	*out = v8::Uint8Array::New(b, (size_t)offset, (size_t)length);
	return true;
}

bool PlainReader::ReadString(uint8_t tag, v8::Local<v8::String> *out)
{
	uint32_t n;
	if (!Take(&n, 4))
		return false;
	if (tag == kLatin1) {
		if ((size_t)(end_ - p_) < n)
			return false;
		bool ok = v8::String::NewFromOneByte(isolate_, p_, v8::NewStringType::kNormal, (int)n).ToLocal(out);
		p_ += n;
		return ok;
	}
	if ((size_t)(end_ - p_) / 2 < n)
		return false;
	uint16_t small[256];
	uint16_t *units = n <= 256 ? small : (uint16_t *)malloc(2 * (size_t)n);
	if (!units)
		return false;
	memcpy(units, p_, 2 * (size_t)n);
	p_ += 2 * (size_t)n;
	bool ok = v8::String::NewFromTwoByte(isolate_, units, v8::NewStringType::kNormal, (int)n).ToLocal(out);
	if (units != small)
		free(units);
	return ok;
}

bool PlainReader::Read(v8::Local<v8::Value> *out, int depth)
{
	uint8_t tag;
	if (depth > kMaxDepth || !Take(&tag, 1))
		return false;
	switch (tag) {
	case kNull:
		*out = v8::Null(isolate_);
		return true;
	case kTrue:
		*out = v8::True(isolate_);
		return true;
	case kFalse:
		*out = v8::False(isolate_);
		return true;
	case kUndefined:
		*out = v8::Undefined(isolate_);
		return true;
	case kInt32: {
		int32_t i;
		if (!Take(&i, 4))
			return false;
		*out = v8::Integer::New(isolate_, i);
		return true;
	}
	case kDouble: {
		double d;
		if (!Take(&d, 8))
			return false;
		*out = v8::Number::New(isolate_, d);
		return true;
	}
	case kLatin1:
	case kUtf16: {
		v8::Local<v8::String> s;
		if (!ReadString(tag, &s))
			return false;
		*out = s;
		return true;
	}
	case kArray:
		return ReadList(tag, out, depth);
	case kObject:
		return shaped_ && ReadList(tag, out, depth);
	case kMoved:
		return ReadMoved(out);
	default:
		return false;
	}
}

// An array, or in a kShaped payload an object as [keys, values...] and an array whose first
// item is an array as [[], items...] (so that it is not taken for an object).
bool PlainReader::ReadList(uint8_t tag, v8::Local<v8::Value> *out, int depth)
{
	uint32_t n;
	// Each element takes at least its tag byte: a length past the bytes left is corrupt.
	if (!Take(&n, 4) || n > (size_t)(end_ - p_))
		return false;
	v8::Local<v8::Value> small[17];
	std::vector<v8::Local<v8::Value>> large;
	v8::Local<v8::Value> *items = small;
	if (n > 16) {
		large.resize((size_t)n + 1);
		items = large.data();
	}
	if (tag == kObject) {
		v8::Local<v8::Value> keys_small[16];
		std::vector<v8::Local<v8::Value>> keys_large;
		v8::Local<v8::Value> *keys = keys_small;
		if (n > 16) {
			keys_large.resize(n);
			keys = keys_large.data();
		}
		for (uint32_t i = 0; i < n; i++) {
			uint8_t key_tag;
			v8::Local<v8::String> key;
			if (!Take(&key_tag, 1) || (key_tag != kLatin1 && key_tag != kUtf16) || !ReadString(key_tag, &key))
				return false;
			keys[i] = key;
		}
		items[0] = v8::Array::New(isolate_, keys, n);
	}
	size_t first = tag == kObject ? 1 : 0;
	for (uint32_t i = 0; i < n; i++)
		if (!Read(&items[first + i], depth + 1))
			return false;
	if (tag == kArray && shaped_ && n > 0 && items[0]->IsArray()) {
		for (uint32_t i = n; i > 0; i--)
			items[i] = items[i - 1];
		items[0] = v8::Array::New(isolate_, 0);
		first = 1;
	}
	*out = v8::Array::New(isolate_, items, first + n);
	return true;
}

}  // namespace

// Runs `write` (true when it wrote the whole value) and makes the payload of what it wrote;
// null with an exception pending, `what` saying what could not be written.
template <typename Write>
static std::unique_ptr<Serialized> WritePayload(v8::Isolate *isolate, PlainWriter &w, Write write,
						Serialized::Format format, const char *what)
{
	bool written;
	{
		v8::TryCatch tc(isolate);
		written = write();
		if (!written && (tc.HasCaught() || tc.HasTerminated())) {
			tc.ReThrow();  // V8's own: out of memory, termination
			return nullptr;
		}
	}
	if (!written) {
		if (w.too_large())
			ThrowIpcTooLarge(isolate, kIpcMaxMessageBytes);
		else if (w.out_of_memory())
			ThrowDataCloneError(isolate, "out of memory writing the message");
		else
			ThrowDataCloneError(isolate, what);
		return nullptr;
	}
	auto out = std::make_unique<Serialized>();
	out->size = w.size();
	out->data.reset(w.Release());
	out->format = format;
	return out;
}

std::unique_ptr<Serialized> SerializePlain(App *app, v8::Local<v8::Value> value, v8::Local<v8::Value> transfer)
{
	v8::Isolate *isolate = app->isolate();
	std::vector<v8::Local<v8::ArrayBuffer>> moved;
	if (!IpcTransferList(app, transfer, &moved))
		return nullptr;
	PlainWriter w(isolate, isolate->GetCurrentContext(), moved);
	std::unique_ptr<Serialized> out = WritePayload(isolate, w, [&] { return w.Write(value, 0); }, Serialized::kPlain,
						       "a value could not be written as plain data");
	if (out)
		IpcTakeTransfers(out.get(), moved);
	return out;
}

std::unique_ptr<Serialized> SerializeShaped(App *app, v8::Local<v8::Value> layout, v8::Local<v8::Value> count,
					    v8::Local<v8::Value> transfer, const v8::FunctionCallbackInfo<v8::Value> &info,
					    int first)
{
	v8::Isolate *isolate = app->isolate();
	if (!layout->IsInt32Array() || !count->IsUint32() ||
	    count.As<v8::Uint32>()->Value() > layout.As<v8::Int32Array>()->Length()) {
		ThrowDataCloneError(isolate, "a shaped message without its layout");
		return nullptr;
	}
	size_t n = count.As<v8::Uint32>()->Value();
	std::vector<int32_t> codes(n ? n : 1);
	layout.As<v8::Int32Array>()->CopyContents(codes.data(), n * sizeof(int32_t));
	std::vector<v8::Local<v8::ArrayBuffer>> moved;
	if (!IpcTransferList(app, transfer, &moved))
		return nullptr;
	PlainWriter w(isolate, isolate->GetCurrentContext(), moved);
	size_t at = 0;
	int arg = first;
	std::unique_ptr<Serialized> out = WritePayload(
		isolate, w,
		[&] { return w.WriteNode(codes.data(), n, &at, info, &arg, 0) && at == n && arg == info.Length(); },
		Serialized::kShaped, "a malformed shaped message");
	if (out)
		IpcTakeTransfers(out.get(), moved);
	return out;
}

v8::MaybeLocal<v8::Value> DeserializePlain(App *app, const Serialized &msg)
{
	v8::Isolate *isolate = app->isolate();
	v8::EscapableHandleScope scope(isolate);
	PlainReader r(isolate, app->context(), msg);
	v8::Local<v8::Value> value;
	bool read;
	{
		v8::TryCatch tc(isolate);
		read = r.Read(&value, 0) && r.AtEnd();
		if (!read && (tc.HasCaught() || tc.HasTerminated())) {
			tc.ReThrow();
			return {};
		}
	}
	if (!read) {
		ThrowDataCloneError(isolate, "a corrupt plain-data message");
		return {};
	}
	return scope.Escape(value);
}

}  // namespace rtjs
