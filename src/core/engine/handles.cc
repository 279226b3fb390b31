// Host objects owning native state (handles.h).
#include "handles.h"

#include "app.h"

namespace rtjs {
namespace handle_detail {

// Field 0: the state; field 1: the kind's tag.
static constexpr int kStateField = 0;
static constexpr int kKindField = 1;
static constexpr int kFields = 2;

v8::MaybeLocal<v8::Object> New(v8::Isolate *isolate, const HandleKind &kind, void *state)
{
	App *app = App::From(isolate);
	v8::Local<v8::Object> o;
	if (!app->Template(App::TemplateId::kHandle, kFields)->NewInstance(app->context()).ToLocal(&o))
		return {};
	o->SetAlignedPointerInInternalField(kStateField, state);
	o->SetAlignedPointerInInternalField(kKindField, const_cast<HandleKind *>(&kind));
	return o;
}

void *State(v8::Local<v8::Value> v, const HandleKind &kind, bool *is_handle)
{
	*is_handle = false;
	if (!v->IsObject())
		return nullptr;
	v8::Local<v8::Object> o = v.As<v8::Object>();
	// The count first: reading a field an object lacks is out of its bounds. A field that
	// holds a JavaScript value rather than a pointer reads as a word no tag's address equals.
	if (o->InternalFieldCount() != kFields || o->GetAlignedPointerFromInternalField(kKindField) != &kind)
		return nullptr;
	*is_handle = true;
	return o->GetAlignedPointerFromInternalField(kStateField);
}

void Clear(v8::Local<v8::Object> handle)
{
	handle->SetAlignedPointerInInternalField(kStateField, nullptr);
}

}  // namespace handle_detail
}  // namespace rtjs
