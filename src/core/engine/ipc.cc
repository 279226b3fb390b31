// IPC between apps (ipc.h): the wire format, built and read here where no app can reach it,
// and the checks on it. Payloads are structured clones (V8's ValueSerializer); ArrayBuffers in
// a transfer list move (the receiver's buffer wraps the sender's backing store, the sender's is
// detached). Remote-function references are host objects (three internal fields: a tag, the
// owning app and the function's id in the owner's export table) written as two numbers.
#include "ipc.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "app.h"
#include "apps.h"
#include "ipc-plain.h"

namespace rtjs {

static constexpr int kRefFields = 3;
static constexpr int kRefTag = 0x52454631;  // "REF1": tells a ref from other host objects

// Sets a property without consulting the prototype chain (no app setter runs).
static void DefineData(v8::Local<v8::Context> ctx, v8::Local<v8::Object> o, const char *key,
		       v8::Local<v8::Value> value)
{
	v8::Maybe<bool> ok = o->CreateDataProperty(ctx, Str(ctx->GetIsolate(), key), value);
	(void)ok;  // fails only when execution is terminating
}

static v8::Local<v8::Value> NamedError(v8::Isolate *isolate, const char *name, const std::string &message,
				       const char *code)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	v8::Local<v8::Value> err = v8::Exception::Error(Str(isolate, message));
	if (name)
		DefineData(ctx, err.As<v8::Object>(), "name", Str(isolate, name));
	if (code)
		DefineData(ctx, err.As<v8::Object>(), "code", Str(isolate, code));
	return err;
}

void ThrowDataCloneError(v8::Isolate *isolate, const std::string &message)
{
	isolate->ThrowException(NamedError(isolate, "DataCloneError", message, nullptr));
}

v8::MaybeLocal<v8::Object> MakeRef(App *app, uint32_t owner, uint32_t ref_id)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = app->context();
	v8::Local<v8::Object> ref;
	if (!app->Template(App::TemplateId::kRef, kRefFields)->NewInstance(ctx).ToLocal(&ref))
		return {};
	ref->SetInternalField(0, v8::Integer::New(isolate, kRefTag));
	ref->SetInternalField(1, v8::Integer::NewFromUnsigned(isolate, owner));
	ref->SetInternalField(2, v8::Integer::NewFromUnsigned(isolate, ref_id));
	return ref;
}

bool RefInfo(v8::Local<v8::Value> v, uint32_t *owner, uint32_t *ref_id)
{
	if (!v->IsObject())
		return false;
	v8::Local<v8::Object> o = v.As<v8::Object>();
	if (o->InternalFieldCount() != kRefFields)
		return false;
	v8::Local<v8::Value> tag = o->GetInternalField(0);
	if (!tag->IsInt32() || tag.As<v8::Int32>()->Value() != kRefTag)
		return false;
	*owner = o->GetInternalField(1).As<v8::Uint32>()->Value();
	*ref_id = o->GetInternalField(2).As<v8::Uint32>()->Value();
	return true;
}

// True if `app` may hand out or call function `ref_id` of app `owner`.
static bool Holds(App *app, uint32_t owner, uint32_t ref_id)
{
	return owner == app->id() || app->ipc().held.count(IpcKey(owner, ref_id)) != 0;
}

static std::string NotHeld(App *app, uint32_t owner, uint32_t ref_id)
{
	return app->Label() + " does not hold function " + std::to_string(ref_id) + " of app id " +
	       std::to_string(owner) + " (it was never handed to it, or it was released)";
}

// Every value another app could not read is refused here, at the sender: host objects other
// than references (and references the sender does not hold), SharedArrayBuffers (apps share
// no memory), WebAssembly modules (compiled code belongs to one isolate).
// A message past `limit` bytes is refused as it is written: the serializer's buffer grows by
// doubling, so it stops at about twice the limit, and the exact size is checked at the end.
class Writer : public v8::ValueSerializer::Delegate {
public:
	Writer(App *app, size_t limit) : app_(app), limit_(limit), serializer(app->isolate(), this) {}

	void ThrowDataCloneError(v8::Local<v8::String> message) override
	{
		if (too_large_)
			return ThrowTooLarge(app_->isolate(), limit_);
		rtjs::ThrowDataCloneError(app_->isolate(), ToStd(app_->isolate(), message));
	}

	static void ThrowTooLarge(v8::Isolate *isolate, size_t limit)
	{
		isolate->ThrowException(NamedError(isolate, "DataCloneError",
						   "the message is larger than the " + std::to_string(limit) +
							   " bytes one message between apps may carry "
							   "(move large ArrayBuffers with rt.transfer)",
						   "ERR_IPC_MESSAGE_TOO_LARGE"));
	}

	// A buffer that grows to kIpcBlockMin or more moves to a block of ipc-blocks.h's cache, so
	// that a large message is written into memory already touched (realloc would map it fresh).
	void *ReallocateBufferMemory(void *old_buffer, size_t size, size_t *actual_size) override
	{
		if (limit_ != SIZE_MAX && size > 2 * limit_ + kGrowthSlack) {
			too_large_ = true;
			return nullptr;  // V8 then reports its out-of-memory DataCloneError, replaced above
		}
		void *p;
		if (size < kIpcBlockMin && capacity_ < kIpcBlockMin) {
			p = realloc(old_buffer, size);
		} else {
			p = IpcBlockAlloc(size);
			if (p && old_buffer) {
				memcpy(p, old_buffer, capacity_ < size ? capacity_ : size);
				IpcBlockFree(old_buffer);
			}
		}
		if (p) {
			*actual_size = size;
			capacity_ = size;
		}
		return p;
	}

	void FreeBufferMemory(void *buffer) override { IpcBlockFree(buffer); }

	v8::Maybe<bool> WriteHostObject(v8::Isolate *isolate, v8::Local<v8::Object> object) override
	{
		uint32_t owner, ref_id;
		if (!RefInfo(object, &owner, &ref_id)) {
			rtjs::ThrowDataCloneError(isolate, "this host object cannot be cloned");
			return v8::Nothing<bool>();
		}
		if (!Holds(app_, owner, ref_id)) {
			rtjs::ThrowDataCloneError(isolate, NotHeld(app_, owner, ref_id));
			return v8::Nothing<bool>();
		}
		has_refs = true;
		serializer.WriteUint32(owner);
		serializer.WriteUint32(ref_id);
		return v8::Just(true);
	}

	v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate *isolate,
						   v8::Local<v8::SharedArrayBuffer>) override
	{
		rtjs::ThrowDataCloneError(isolate, "a SharedArrayBuffer cannot be sent to another app (apps share no memory)");
		return v8::Nothing<uint32_t>();
	}

	v8::Maybe<uint32_t> GetWasmModuleTransferId(v8::Isolate *isolate,
						    v8::Local<v8::WasmModuleObject>) override
	{
		rtjs::ThrowDataCloneError(isolate, "a WebAssembly.Module cannot be sent to another app (send its bytes)");
		return v8::Nothing<uint32_t>();
	}

	// What V8's serializer adds to a doubled capacity when it grows its buffer.
	static constexpr size_t kGrowthSlack = 64;

	App *app_;
	size_t limit_;
	size_t capacity_ = 0;  // of the serializer's buffer
	bool too_large_ = false;
	bool has_refs = false;
	v8::ValueSerializer serializer;
};

// Counts the references a message brings into `app` (once per message, as ipc.js does).
class Reader : public v8::ValueDeserializer::Delegate {
public:
	Reader(App *app, Serialized &msg)
		: app_(app), deserializer(app->isolate(), msg.data.get(), msg.size, this) {}

	v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate *isolate) override
	{
		uint32_t owner, ref_id;
		if (!deserializer.ReadUint32(&owner) || !deserializer.ReadUint32(&ref_id)) {
			rtjs::ThrowDataCloneError(isolate, "corrupt reference in message");
			return {};
		}
		uint64_t key = IpcKey(owner, ref_id);
		if (owner != app_->id() && seen_.insert(key).second)
			app_->ipc().held[key]++;
		return MakeRef(app_, owner, ref_id);
	}

	App *app_;
	std::unordered_set<uint64_t> seen_;
	v8::ValueDeserializer deserializer;
};

static bool IsHardware(App *app, const std::shared_ptr<v8::BackingStore> &store)
{
	for (auto &w : app->ipc().hardware) {
		std::shared_ptr<v8::BackingStore> s = w.lock();
		if (s && s.get() == store.get())
			return true;
	}
	return false;
}

void IpcNoteHardwareMemory(App *app, const std::shared_ptr<v8::BackingStore> &store)
{
	auto &list = app->ipc().hardware;
	for (size_t i = 0; i < list.size();) {
		if (list[i].expired()) {
			list[i] = list.back();
			list.pop_back();
		} else {
			i++;
		}
	}
	list.push_back(store);
}

// The ArrayBuffers of the array `transfer` (anything else: none), checked: each detachable,
// not detached, listed once, not hardware memory. False with a DataCloneError pending.
bool IpcTransferList(App *app, v8::Local<v8::Value> transfer, std::vector<v8::Local<v8::ArrayBuffer>> *buffers)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	if (transfer.IsEmpty() || !transfer->IsArray())
		return true;
	v8::Local<v8::Array> list = transfer.As<v8::Array>();
	uint32_t n = list->Length();
	for (uint32_t i = 0; i < n; i++) {
		v8::Local<v8::Value> item;
		if (!list->Get(ctx, i).ToLocal(&item))
			return false;
		if (!item->IsArrayBuffer() || !item.As<v8::ArrayBuffer>()->IsDetachable() ||
		    item.As<v8::ArrayBuffer>()->WasDetached()) {
			ThrowDataCloneError(isolate, "transfer list item " + std::to_string(i) +
							     " is not a transferable ArrayBuffer (detached, or not an ArrayBuffer)");
			return false;
		}
		v8::Local<v8::ArrayBuffer> buffer = item.As<v8::ArrayBuffer>();
		for (auto &b : *buffers) {
			if (b == buffer) {
				ThrowDataCloneError(isolate, "an ArrayBuffer appears twice in the transfer list");
				return false;
			}
		}
		if (IsHardware(app, buffer->GetBackingStore())) {
			ThrowDataCloneError(isolate, "memory mapped by rt.hw cannot be transferred to another app "
						     "(it may be copied; the receiver maps it with its own grant)");
			return false;
		}
		buffers->push_back(buffer);
	}
	return true;
}

void IpcTakeTransfers(Serialized *out, const std::vector<v8::Local<v8::ArrayBuffer>> &buffers)
{
	for (auto &b : buffers) {
		out->transfers.push_back(b->GetBackingStore());
		b->Detach();
	}
}

// Serializes `value`, moving the ArrayBuffers of `transfer`, into at most `limit` bytes; null
// with an exception pending.
static std::unique_ptr<Serialized> Serialize(App *app, v8::Local<v8::Value> value,
					     v8::Local<v8::Value> transfer, bool *has_refs,
					     size_t limit = kIpcMaxMessageBytes)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	Writer w(app, limit);
	std::vector<v8::Local<v8::ArrayBuffer>> buffers;
	if (!IpcTransferList(app, transfer, &buffers))
		return nullptr;
	for (size_t i = 0; i < buffers.size(); i++)
		w.serializer.TransferArrayBuffer((uint32_t)i, buffers[i]);
	w.serializer.WriteHeader();
	if (w.serializer.WriteValue(ctx, value).IsNothing())
		return nullptr;
	std::pair<uint8_t *, size_t> bytes = w.serializer.Release();
	if (bytes.second > limit) {
		free(bytes.first);
		Writer::ThrowTooLarge(isolate, limit);
		return nullptr;
	}
	auto out = std::make_unique<Serialized>();
	out->data.reset(bytes.first);
	out->size = bytes.second;
	IpcTakeTransfers(out.get(), buffers);
	*has_refs = w.has_refs;
	return out;
}

void ThrowIpcTooLarge(v8::Isolate *isolate, size_t limit)
{
	Writer::ThrowTooLarge(isolate, limit);
}

// The JSON text of `value`, which ipc.js found to be plain data whose JSON round trip gives
// what its clone would (no undefined, -0, NaN, holes, proxies, shared parts, toJSON); null
// with an exception pending.
static std::unique_ptr<Serialized> SerializeJson(App *app, v8::Local<v8::Value> value)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::String> text;
	if (!v8::JSON::Stringify(isolate->GetCurrentContext(), value).ToLocal(&text))
		return nullptr;
	bool one_byte = text->IsOneByte();
	size_t length = (size_t)text->Length();
	size_t size = one_byte ? length : 2 * length;
	if (size > kIpcMaxMessageBytes) {
		Writer::ThrowTooLarge(isolate, kIpcMaxMessageBytes);
		return nullptr;
	}
	uint8_t *p = (uint8_t *)malloc(size ? size : 1);
	if (!p) {
		ThrowDataCloneError(isolate, "out of memory writing a message of " + std::to_string(size) + " bytes");
		return nullptr;
	}
	if (one_byte)
		text->WriteOneByte(isolate, p, 0, (int)length, v8::String::NO_NULL_TERMINATION);
	else
		text->Write(isolate, reinterpret_cast<uint16_t *>(p), 0, (int)length, v8::String::NO_NULL_TERMINATION);
	auto out = std::make_unique<Serialized>();
	out->data.reset(p);
	out->size = size;
	out->format = one_byte ? Serialized::kJsonOneByte : Serialized::kJsonTwoByte;
	return out;
}

std::unique_ptr<Serialized> Serialize(App *app, v8::Local<v8::Value> value, v8::Local<v8::Value> transfer)
{
	bool has_refs;
	return Serialize(app, value, transfer, &has_refs, SIZE_MAX);
}

v8::MaybeLocal<v8::Value> App::Deserialize(Serialized &msg)
{
	v8::EscapableHandleScope scope(isolate_);
	v8::Local<v8::Context> ctx = context();
	if (msg.format == Serialized::kPlain || msg.format == Serialized::kShaped) {
		v8::Local<v8::Value> value;
		if (!DeserializePlain(this, msg).ToLocal(&value))
			return {};
		return scope.Escape(value);
	}
	if (msg.format != Serialized::kClone) {
		v8::Local<v8::String> text;
		v8::Local<v8::Value> value;
		bool ok = msg.format == Serialized::kJsonOneByte
				  ? v8::String::NewFromOneByte(isolate_, msg.data.get(), v8::NewStringType::kNormal,
							       (int)msg.size).ToLocal(&text)
				  : v8::String::NewFromTwoByte(isolate_, reinterpret_cast<const uint16_t *>(msg.data.get()),
							       v8::NewStringType::kNormal, (int)(msg.size / 2)).ToLocal(&text);
		if (!ok || !v8::JSON::Parse(ctx, text).ToLocal(&value))
			return {};
		return scope.Escape(value);
	}
	Reader r(this, msg);
	for (size_t i = 0; i < msg.transfers.size(); i++)
		r.deserializer.TransferArrayBuffer(
			(uint32_t)i, v8::ArrayBuffer::New(isolate_, msg.transfers[i]));
	v8::Local<v8::Value> value;
	if (r.deserializer.ReadHeader(ctx).IsNothing() || !r.deserializer.ReadValue(ctx).ToLocal(&value))
		return {};
	return scope.Escape(value);
}

// ---- sending -----------------------------------------------------------------------------

static void Queue(App *app, uint32_t to, IpcRecord record)
{
	auto &outbox = app->ipc().outbox;
	for (auto &box : outbox) {
		if (box.first == to) {
			box.second.push_back(std::move(record));
			return;
		}
	}
	outbox.emplace_back(to, std::vector<IpcRecord>());
	outbox.back().second.push_back(std::move(record));
}

void IpcFlush(App *app)
{
	auto outbox = std::move(app->ipc().outbox);
	app->ipc().outbox.clear();
	// A receiver that has ended gets nothing; its exit notice settles the calls made to it.
	for (auto &box : outbox)
		apps_send(app->id(), box.first, std::move(box.second));
}

static bool ArgU32(const v8::FunctionCallbackInfo<v8::Value> &info, int i, uint32_t *out)
{
	if (!info[i]->IsUint32())
		return false;
	*out = info[i].As<v8::Uint32>()->Value();
	return true;
}

static void ThrowIpcError(v8::Isolate *isolate, const std::string &message, const char *code)
{
	isolate->ThrowException(NamedError(isolate, nullptr, message, code));
}

// Charges `r` to what `app` has queued for `to` (ipc.h); false, with ERR_IPC_INBOX_FULL
// thrown, when that is full.
static bool Charge(App *app, uint32_t to, IpcRecord &r)
{
	std::shared_ptr<IpcQueued> &queued = app->ipc().queued[to];
	if (!queued)
		queued = std::make_shared<IpcQueued>();
	size_t cost = (r.payload ? r.payload->size : 0) + kIpcRecordCost;
	size_t now = queued->bytes.load(std::memory_order_relaxed);
	if (now != 0 && now + cost > kIpcQueuedBytesPerSender) {
		ThrowIpcError(app->isolate(),
			      app->Label() + " has " + std::to_string(now) + " bytes of calls queued for " +
				      apps_label(to) + " that it has not handled yet; " + std::to_string(cost) +
				      " more would pass the " + std::to_string(kIpcQueuedBytesPerSender) +
				      " one app may queue for another (wait for answers before calling again)",
			      "ERR_IPC_INBOX_FULL");
		return false;
	}
	r.charge = IpcCharge(queued, cost);
	return true;
}

// The payload of `value` in the form ipc.js chose for it (its FORM_*: 1 JSON text, 2 plain
// data, 3 plain data in its shaped form, after its read made sure the value may take it;
// anything else the structured clone), and the record flags that form sets.
// In the shaped form `value` is the layout and `transfer` its length, argument `first` the
// transfer list and the arguments after it the leaves and keys (SerializeShaped).
static std::unique_ptr<Serialized> SerializeAs(App *app, v8::Local<v8::Value> form, v8::Local<v8::Value> value,
					       v8::Local<v8::Value> transfer, uint32_t *flags,
					       const v8::FunctionCallbackInfo<v8::Value> &info, int first)
{
	*flags = 0;
	int32_t f = form->IsInt32() ? form.As<v8::Int32>()->Value() : 0;
	if (f == kFormJson)
		return SerializeJson(app, value);
	if (f == kFormPlain)
		return SerializePlain(app, value, transfer);
	if (f == kFormShaped) {
		*flags = kIpcShaped;
		if (first >= info.Length())
			return SerializeShaped(app, value, transfer, v8::Local<v8::Value>(), info, first);
		return SerializeShaped(app, value, transfer, info[first], info, first + 1);
	}
	bool has_refs;
	std::unique_ptr<Serialized> out = Serialize(app, value, transfer, &has_refs);
	*flags = has_refs ? (uint32_t)kIpcHasRefs : 0u;
	return out;
}

// ipcCall(to, refId, args, transfer, form, ...leaves) -> call id; form: see SerializeAs. Throws
// unless this app holds the function. ipcNotify, with the same arguments, makes a one-way call:
// no call id, nothing waits for an answer and the callee cannot send one.
static void CallRecord(const v8::FunctionCallbackInfo<v8::Value> &info, bool one_way)
{
	v8::Isolate *isolate = info.GetIsolate();
	App *app = App::From(info);
	uint32_t to, ref_id;
	if (!ArgU32(info, 0, &to) || !ArgU32(info, 1, &ref_id) || to == app->id())
		return ThrowError(isolate, "ipcCall(to, refId, args, transfer): bad arguments");
	if (!Holds(app, to, ref_id))
		return ThrowIpcError(isolate, NotHeld(app, to, ref_id), "ERR_IPC_NOT_HELD");
	IpcRecord r;
	r.kind = kIpcCall;
	r.ref = ref_id;
	r.payload = SerializeAs(app, info[4], info[2], info[3], &r.flags, info, 5);
	if (!r.payload)
		return;
	if (!Charge(app, to, r))
		return;
	if (one_way) {
		r.flags |= kIpcOneWay;
		Queue(app, to, std::move(r));
		return;
	}
	uint32_t id = app->ipc().next_call_id++;
	if (id == 0)
		id = app->ipc().next_call_id++;
	r.id = id;
	app->ipc().pending[id] = to;
	Queue(app, to, std::move(r));
	info.GetReturnValue().Set(id);
}

static void IpcCall(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	CallRecord(info, false);
}

static void IpcNotify(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	CallRecord(info, true);
}

// ipcReply(to, callId, kind, value, transfer, form, ...leaves): answers call `callId` that app `to` made.
static void IpcReply(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	App *app = App::From(info);
	uint32_t to, call_id, kind;
	if (!ArgU32(info, 0, &to) || !ArgU32(info, 1, &call_id) || !ArgU32(info, 2, &kind) ||
	    (kind != kIpcResult && kind != kIpcError))
		return ThrowError(isolate, "ipcReply(to, callId, kind, value, transfer): bad arguments");
	uint64_t key = IpcKey(to, call_id);
	if (!app->ipc().incoming.count(key))
		return ThrowIpcError(isolate, app->Label() + " has no unanswered call " +
						      std::to_string(call_id) + " from app id " + std::to_string(to),
				     "ERR_IPC_NO_SUCH_CALL");
	IpcRecord r;
	r.kind = (int)kind;
	r.id = call_id;
	r.payload = SerializeAs(app, info[5], info[3], info[4], &r.flags, info, 6);
	if (!r.payload)
		return;
	app->ipc().incoming.erase(key);
	Queue(app, to, std::move(r));
}

// ipcSend(to, kind, value, transfer) for the kinds that carry no authority (retain, export).
static void IpcSend(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Isolate *isolate = info.GetIsolate();
	App *app = App::From(info);
	uint32_t to, kind;
	if (!ArgU32(info, 0, &to) || !ArgU32(info, 1, &kind) || (kind != kIpcRetain && kind != kIpcExport) ||
	    to == app->id())
		return ThrowError(isolate, "ipcSend(to, kind, value, transfer): bad arguments");
	IpcRecord r;
	r.kind = (int)kind;
	bool has_refs = false;
	r.payload = Serialize(app, info[2], info[3], &has_refs);
	if (!r.payload)
		return;
	r.flags = has_refs ? (uint32_t)kIpcHasRefs : 0u;
	if (kind == kIpcExport && !Charge(app, to, r))
		return;
	Queue(app, to, std::move(r));
}

// ipcRelease(owner, refId, count): this app drops `count` receipts of the function.
static void IpcRelease(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	uint32_t owner, ref_id, count;
	if (!ArgU32(info, 0, &owner) || !ArgU32(info, 1, &ref_id) || !ArgU32(info, 2, &count))
		return ThrowError(info.GetIsolate(), "ipcRelease(owner, refId, count): bad arguments");
	auto it = app->ipc().held.find(IpcKey(owner, ref_id));
	if (it == app->ipc().held.end())
		return;
	it->second = it->second > count ? it->second - count : 0;
	if (it->second == 0)
		app->ipc().held.erase(it);
	IpcRecord r;
	r.kind = kIpcRelease;
	r.id = ref_id;
	r.ref = count;
	Queue(app, owner, std::move(r));
}

// serialize(value, transfer) -> the spawn payload (binding-apps.cc takes it out again).
v8::Local<v8::Object> WrapSerialized(App *app, std::unique_ptr<Serialized> s);

static void SerializeValue(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	bool has_refs;
	std::unique_ptr<Serialized> s = Serialize(app, info[0], info[1], &has_refs);
	if (s)
		info.GetReturnValue().Set(WrapSerialized(app, std::move(s)));
}

static void MakeRefFn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint32_t owner, ref_id;
	if (!ArgU32(info, 0, &owner) || !ArgU32(info, 1, &ref_id))
		return ThrowError(info.GetIsolate(), "makeRef(owner, id): two unsigned integers");
	v8::Local<v8::Object> ref;
	if (MakeRef(App::From(info), owner, ref_id).ToLocal(&ref))
		info.GetReturnValue().Set(ref);
}

// jsonPlain(object): false for what JSON would read differently from the clone although its
// prototype is a standard one: proxies (the clone refuses them), arguments objects (likewise),
// host objects.
static void JsonPlain(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	v8::Local<v8::Value> v = info[0];
	info.GetReturnValue().Set(v->IsObject() && !v->IsProxy() && !v->IsArgumentsObject() &&
				  v.As<v8::Object>()->InternalFieldCount() == 0);
}

static void IsRef(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint32_t owner, id;
	info.GetReturnValue().Set(RefInfo(info[0], &owner, &id));
}

// refOwner(ref), refId(ref): the two numbers of a reference (-1 for anything else).
static void RefOwner(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint32_t owner, id;
	info.GetReturnValue().Set(RefInfo(info[0], &owner, &id) ? (double)owner : -1.0);
}

static void RefId(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint32_t owner, id;
	info.GetReturnValue().Set(RefInfo(info[0], &owner, &id) ? (double)id : -1.0);
}

void AddIpcBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "ipcCall", IpcCall);
	SetMethod(ctx, b, "ipcNotify", IpcNotify);
	SetMethod(ctx, b, "ipcReply", IpcReply);
	SetMethod(ctx, b, "ipcSend", IpcSend);
	SetMethod(ctx, b, "ipcRelease", IpcRelease);
	SetMethod(ctx, b, "serialize", SerializeValue);
	SetMethod(ctx, b, "makeRef", MakeRefFn);
	SetMethod(ctx, b, "isRef", IsRef);
	SetMethod(ctx, b, "jsonPlain", JsonPlain);
	SetMethod(ctx, b, "refOwner", RefOwner);
	SetMethod(ctx, b, "refId", RefId);
}

// ---- receiving ---------------------------------------------------------------------------

enum class Read { kOk, kUnreadable, kTerminated };

// The largest payload `app` reads (ipc.h).
static size_t IncomingLimit(const App *app)
{
	size_t share = app->heap_limit_mb() * ((size_t)1 << 20) / kIpcHeapShareDivisor;
	return share < kIpcMaxMessageBytes ? share : kIpcMaxMessageBytes;
}

// The payload of `r`, or why it could not be read. kTerminated: the app is being ended (the
// watchdog, a kill) while it read; the termination must reach the task.
static Read ReadPayload(App *app, IpcRecord &r, v8::Local<v8::Value> *value, std::string *why)
{
	v8::Isolate *isolate = app->isolate();
	*value = v8::Undefined(isolate);
	if (!r.payload)
		return Read::kOk;
	size_t limit = IncomingLimit(app);
	if (r.payload->size > limit) {
		*why = "the message's " + std::to_string(r.payload->size) + " bytes are more than the " +
		       std::to_string(limit) + " it reads in one message (a quarter of its heap limit, at most " +
		       std::to_string(kIpcMaxMessageBytes) + ")";
		return Read::kUnreadable;
	}
	v8::TryCatch tc(isolate);
	if (app->Deserialize(*r.payload).ToLocal(value))
		return Read::kOk;
	*value = v8::Undefined(isolate);
	if (tc.HasTerminated() || app->exited()) {
		tc.ReThrow();
		return Read::kTerminated;
	}
	*why = tc.HasCaught() ? ToStd(isolate, tc.Exception()) : "unknown error";
	return Read::kUnreadable;
}

// Checks `r` against this app's tables; false if it must be dropped (it answers no call of
// ours, or comes from an app that was not asked).
static bool Admit(App *app, uint32_t from, const IpcRecord &r)
{
	IpcState &s = app->ipc();
	switch (r.kind) {
	case kIpcCall:
		// A one-way call (id 0, never a call id) waits for no answer: nothing to remember.
		return (r.flags & kIpcOneWay) != 0 ? r.id == 0 : s.incoming.insert(IpcKey(from, r.id)).second;
	case kIpcResult:
	case kIpcError: {
		auto it = s.pending.find(r.id);
		if (it == s.pending.end() || it->second != from)
			return false;
		s.pending.erase(it);
		return true;
	}
	case kIpcRelease:
	case kIpcRetain:
	case kIpcExport:
		return true;
	default:
		return false;
	}
}

// A call whose arguments this app could not read is answered here, as a DataCloneError.
static void AnswerUnreadable(App *app, uint32_t from, uint32_t call_id, const std::string &why)
{
	v8::Isolate *isolate = app->isolate();
	app->ipc().incoming.erase(IpcKey(from, call_id));
	IpcRecord r;
	r.kind = kIpcError;
	r.id = call_id;
	r.flags = kIpcUnreadable;
	bool has_refs;
	v8::TryCatch tc(isolate);
	r.payload = Serialize(app, Str(isolate, app->Label() + " could not read the arguments: " + why),
			      v8::Local<v8::Value>(), &has_refs);
	if (r.payload)
		Queue(app, from, std::move(r));
}

// Handles one record in a task of this app; false ends the task with an uncaught exception.
static bool HandleRecord(App *app, uint32_t from, IpcRecord &r)
{
	v8::Isolate *isolate = app->isolate();
	if (!Admit(app, from, r))
		return true;
	v8::HandleScope scope(isolate);
	v8::Local<v8::Value> value;
	std::string why;
	uint32_t flags = r.flags;
	Read read = ReadPayload(app, r, &value, &why);
	if (read == Read::kTerminated)
		return false;
	if (read == Read::kUnreadable) {
		if (r.kind == kIpcCall) {
			// A one-way call's caller waits for nothing: it is dropped.
			if ((flags & kIpcOneWay) == 0)
				AnswerUnreadable(app, from, r.id, why);
			return true;
		}
		if (r.kind != kIpcResult && r.kind != kIpcError)
			return true;
		r.kind = kIpcError;
		flags = kIpcUnreadable;
		value = Str(isolate, app->Label() + " could not read the answer: " + why);
	}
	if (!app->HasHook(App::HookId::kMessage))
		return true;
	v8::Local<v8::Value> args[] = { v8::Integer::NewFromUnsigned(isolate, from),
					 v8::Integer::New(isolate, r.kind),
					 v8::Integer::NewFromUnsigned(isolate, r.id),
					 v8::Integer::NewFromUnsigned(isolate, r.ref),
					 v8::Integer::NewFromUnsigned(isolate, flags), value };
	return !app->Hook(App::HookId::kMessage)->Call(app->context(), v8::Undefined(isolate), 6, args).IsEmpty();
}

struct DrainTask {
	struct task task;
	uint32_t app;
};

static void RunDrain(struct task *t)
{
	std::unique_ptr<DrainTask> dt(reinterpret_cast<DrainTask *>(t));
	App *app = apps_local(dt->app);
	if (app && !app->exited()) {
		app->ipc().drain_posted = false;
		app->DrainInbox();
	}
}

void App::DrainInbox()
{
	RunTask([&] {
		for (size_t n = 0; n < kIpcRecordsPerTask && !ipc_.inbox.empty() && !exited_; n++) {
			std::pair<uint32_t, IpcRecord> next = std::move(ipc_.inbox.front());
			ipc_.inbox.pop_front();
			if (!HandleRecord(this, next.first, next.second))
				return false;
		}
		return true;
	});
	if (ipc_.inbox.empty() || exited_ || ipc_.drain_posted)
		return;
	DrainTask *t = new DrainTask();
	t->task.run = RunDrain;
	t->task.drop = [](struct task *x) { delete reinterpret_cast<DrainTask *>(x); };
	t->app = id_;
	ipc_.drain_posted = true;
	if (!apps_post(id_, &t->task)) {
		ipc_.drain_posted = false;
		delete t;
	}
}

void App::DeliverMessage(uint32_t from, std::vector<IpcRecord> records)
{
	for (IpcRecord &r : records)
		ipc_.inbox.emplace_back(from, std::move(r));
	DrainInbox();
}

struct ExitNoticeTask {
	struct task task;
	uint32_t app, id;
	int code;
	std::string reason;
};

static void RunExitNoticeAgain(struct task *t)
{
	std::unique_ptr<ExitNoticeTask> nt(reinterpret_cast<ExitNoticeTask *>(t));
	App *app = apps_local(nt->app);
	if (app && !app->exited())
		app->DeliverExitNotice(nt->id, nt->code, nt->reason);
}

// True if the notice was put off: records the ended app sent before it ended are still in the
// inbox, and they come first (an answer it gave must not turn into "has ended").
static bool PutOffExitNotice(App *app, uint32_t id, int code, const std::string &reason)
{
	bool waiting = false;
	for (auto &r : app->ipc().inbox)
		waiting = waiting || r.first == id;
	if (!waiting)
		return false;
	ExitNoticeTask *t = new ExitNoticeTask();
	t->task.run = RunExitNoticeAgain;
	t->task.drop = [](struct task *x) { delete reinterpret_cast<ExitNoticeTask *>(x); };
	t->app = app->id();
	t->id = id;
	t->code = code;
	t->reason = reason;
	if (apps_post(app->id(), &t->task))
		return true;
	delete t;
	return false;
}

void App::DeliverExitNotice(uint32_t id, int code, const std::string &reason)
{
	if (PutOffExitNotice(this, id, code, reason))
		return;
	// Nothing of the ended app stays: its answers will not come, its calls need none, and
	// functions it owned cannot be called.
	IpcState &s = ipc_;
	for (auto it = s.pending.begin(); it != s.pending.end();)
		it = it->second == id ? s.pending.erase(it) : std::next(it);
	for (auto it = s.incoming.begin(); it != s.incoming.end();)
		it = (uint32_t)(*it >> 32) == id ? s.incoming.erase(it) : std::next(it);
	for (auto it = s.held.begin(); it != s.held.end();)
		it = (uint32_t)(it->first >> 32) == id ? s.held.erase(it) : std::next(it);
	for (auto it = s.inbox.begin(); it != s.inbox.end();)
		it = it->first == id ? s.inbox.erase(it) : std::next(it);
	s.queued.erase(id);
	RunTask([&] {
		if (!HasHook(HookId::kAppExit))
			return true;
		v8::Local<v8::Value> args[] = { v8::Integer::NewFromUnsigned(isolate_, id),
						 v8::Integer::New(isolate_, code), Str(isolate_, reason) };
		return !Hook(HookId::kAppExit)->Call(context(), v8::Undefined(isolate_), 3, args).IsEmpty();
	});
}

}  // namespace rtjs
