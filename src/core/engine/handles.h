// Host objects that own native state for the runtime's JavaScript: a hash or cipher
// context, a key, a TLS context or connection, a compression stream, a text decoder.
//
// Every kind shares one object template per app (App::TemplateId::kHandle), made once
// rather than for each object. Field 0 holds the state, field 1 the address of the kind's
// HandleKind. A handle is read back only through its kind, so a handle of one kind given
// where another is expected, or any other object with internal fields (V8 gives typed
// arrays two), is refused instead of its memory being taken for the wrong structure.
//
// The state type T has a `v8::Global<v8::Object> owner` member: the handle holds it weakly
// and deletes the state when the JavaScript object is collected, or at CloseHandle.
#pragma once

#include <v8.h>

namespace rtjs {

// One static instance per kind; its address is the kind's tag.
struct HandleKind {
	const char *name;
};

namespace handle_detail {
v8::MaybeLocal<v8::Object> New(v8::Isolate *isolate, const HandleKind &kind, void *state);
void *State(v8::Local<v8::Value> v, const HandleKind &kind, bool *is_handle);
void Clear(v8::Local<v8::Object> handle);
}  // namespace handle_detail

// A new handle owning `state`. Empty (and `state` deleted) only when the app is being
// terminated and V8 makes no more objects.
template <typename T>
v8::MaybeLocal<v8::Object> NewHandle(v8::Isolate *isolate, const HandleKind &kind, T *state)
{
	v8::Local<v8::Object> o;
	if (!handle_detail::New(isolate, kind, state).ToLocal(&o)) {
		delete state;
		return {};
	}
	state->owner.Reset(isolate, o);
	state->owner.SetWeak(state, [](const v8::WeakCallbackInfo<T> &data) {
		T *s = data.GetParameter();
		s->owner.Reset();
		delete s;
	}, v8::WeakCallbackType::kParameter);
	return o;
}

// The state of `v` if it is a handle of `kind` and still open; null otherwise. With
// `is_handle`, tells a closed handle of the kind (true) from anything else (false).
template <typename T>
T *HandleState(v8::Local<v8::Value> v, const HandleKind &kind, bool *is_handle = nullptr)
{
	bool dummy;
	return static_cast<T *>(handle_detail::State(v, kind, is_handle ? is_handle : &dummy));
}

// Frees a handle's state now (the object stays, closed: HandleState answers null).
template <typename T>
void CloseHandle(v8::Local<v8::Object> handle, T *state)
{
	handle_detail::Clear(handle);
	state->owner.ClearWeak();
	state->owner.Reset();
	delete state;
}

}  // namespace rtjs
