// Structured clone between isolates with V8's ValueSerializer. ArrayBuffers in the transfer
// list move: the receiver's buffer wraps the sender's backing store and the sender's is
// detached. Remote-function references are host objects (three internal fields: a tag, the
// owning app and the function's id in the owner's export table) written as two numbers.
#include "app.h"

#include <cstdlib>
#include <cstring>

#include "apps.h"

namespace rtjs {

static constexpr int kRefFields = 3;
static constexpr int kRefTag = 0x52454631;  // "REF1": tells a ref from other host objects

static v8::Local<v8::Value> DataCloneError(v8::Isolate *isolate, v8::Local<v8::String> message)
{
	v8::Local<v8::Value> err = v8::Exception::Error(message);
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	err.As<v8::Object>()->Set(ctx, Str(isolate, "name"), Str(isolate, "DataCloneError")).Check();
	return err;
}

v8::Local<v8::Object> MakeRef(App *app, uint32_t owner, uint32_t ref_id)
{
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = app->context();
	if (app->ref_template_.IsEmpty()) {
		v8::Local<v8::ObjectTemplate> t = v8::ObjectTemplate::New(isolate);
		t->SetInternalFieldCount(kRefFields);
		app->ref_template_.Reset(isolate, t);
	}
	v8::Local<v8::Object> ref =
		app->ref_template_.Get(isolate)->NewInstance(ctx).ToLocalChecked();
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

class Writer : public v8::ValueSerializer::Delegate {
public:
	explicit Writer(v8::Isolate *isolate) : isolate_(isolate), serializer(isolate, this) {}

	void ThrowDataCloneError(v8::Local<v8::String> message) override
	{
		isolate_->ThrowException(DataCloneError(isolate_, message));
	}

	v8::Maybe<bool> WriteHostObject(v8::Isolate *isolate, v8::Local<v8::Object> object) override
	{
		uint32_t owner, ref_id;
		if (!RefInfo(object, &owner, &ref_id)) {
			ThrowDataCloneError(Str(isolate, "this host object cannot be cloned"));
			return v8::Nothing<bool>();
		}
		serializer.WriteUint32(owner);
		serializer.WriteUint32(ref_id);
		return v8::Just(true);
	}

	v8::Isolate *isolate_;
	v8::ValueSerializer serializer;
};

class Reader : public v8::ValueDeserializer::Delegate {
public:
	Reader(App *app, Serialized &msg)
		: app_(app), deserializer(app->isolate(), msg.data.data(), msg.data.size(), this) {}

	v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate *isolate) override
	{
		uint32_t owner, ref_id;
		if (!deserializer.ReadUint32(&owner) || !deserializer.ReadUint32(&ref_id)) {
			isolate->ThrowException(DataCloneError(isolate, Str(isolate, "corrupt reference in message")));
			return {};
		}
		return MakeRef(app_, owner, ref_id);
	}

	App *app_;
	v8::ValueDeserializer deserializer;
};

// Serializes `value`, moving the ArrayBuffers of `transfer`; null with an exception pending.
std::unique_ptr<Serialized> Serialize(v8::Isolate *isolate, v8::Local<v8::Value> value,
				      v8::Local<v8::Array> transfer)
{
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	Writer w(isolate);
	std::vector<v8::Local<v8::ArrayBuffer>> buffers;
	uint32_t n = transfer.IsEmpty() ? 0 : transfer->Length();
	for (uint32_t i = 0; i < n; i++) {
		v8::Local<v8::Value> item;
		if (!transfer->Get(ctx, i).ToLocal(&item))
			return nullptr;
		if (!item->IsArrayBuffer() || !item.As<v8::ArrayBuffer>()->IsDetachable() ||
		    item.As<v8::ArrayBuffer>()->WasDetached()) {
			isolate->ThrowException(DataCloneError(isolate, Str(isolate,
				"transfer list item " + std::to_string(i) + " is not a transferable ArrayBuffer")));
			return nullptr;
		}
		for (auto &b : buffers) {
			if (b == item) {
				isolate->ThrowException(DataCloneError(isolate, Str(isolate,
					"an ArrayBuffer appears twice in the transfer list")));
				return nullptr;
			}
		}
		buffers.push_back(item.As<v8::ArrayBuffer>());
		w.serializer.TransferArrayBuffer(i, item.As<v8::ArrayBuffer>());
	}
	w.serializer.WriteHeader();
	if (w.serializer.WriteValue(ctx, value).IsNothing())
		return nullptr;
	auto out = std::make_unique<Serialized>();
	std::pair<uint8_t *, size_t> bytes = w.serializer.Release();
	out->data.assign(bytes.first, bytes.first + bytes.second);
	free(bytes.first);
	for (auto &b : buffers) {
		out->transfers.push_back(b->GetBackingStore());
		b->Detach();
	}
	return out;
}

v8::MaybeLocal<v8::Value> App::Deserialize(Serialized &msg)
{
	v8::EscapableHandleScope scope(isolate_);
	v8::Local<v8::Context> ctx = context();
	Reader r(this, msg);
	for (size_t i = 0; i < msg.transfers.size(); i++)
		r.deserializer.TransferArrayBuffer(
			(uint32_t)i, v8::ArrayBuffer::New(isolate_, msg.transfers[i]));
	v8::Local<v8::Value> value;
	if (r.deserializer.ReadHeader(ctx).IsNothing() || !r.deserializer.ReadValue(ctx).ToLocal(&value))
		return {};
	return scope.Escape(value);
}

void App::DeliverMessage(uint32_t from, int kind, std::unique_ptr<Serialized> msg)
{
	RunTask([&] {
		v8::Local<v8::Value> value = v8::Undefined(isolate_);
		if (msg && !Deserialize(*msg).ToLocal(&value))
			return false;
		if (on_message_.IsEmpty())
			return true;
		v8::Local<v8::Value> args[] = { v8::Integer::NewFromUnsigned(isolate_, from),
						 v8::Integer::New(isolate_, kind), value };
		return !on_message_.Get(isolate_)->Call(context(), v8::Undefined(isolate_), 3, args).IsEmpty();
	});
}

void App::DeliverExitNotice(uint32_t id, int code, const std::string &reason)
{
	RunTask([&] {
		if (on_app_exit_.IsEmpty())
			return true;
		v8::Local<v8::Value> args[] = { v8::Integer::NewFromUnsigned(isolate_, id),
						 v8::Integer::New(isolate_, code), Str(isolate_, reason) };
		return !on_app_exit_.Get(isolate_)->Call(context(), v8::Undefined(isolate_), 3, args).IsEmpty();
	});
}

}  // namespace rtjs
