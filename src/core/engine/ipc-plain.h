// The plain-data wire format of IPC payloads (ipc-plain.cc): arrays and primitives, the
// arguments of most calls, written and read faster than as JSON text or a structured clone.
#ifndef RTJS_ENGINE_IPC_PLAIN_H
#define RTJS_ENGINE_IPC_PLAIN_H

#include <v8.h>

#include <memory>
#include <vector>

#include "ipc.h"

namespace rtjs {

// `value` as plain data, which ipc.js's read made of fresh copies: arrays (no holes, no named
// properties, the standard prototype) of strings, numbers, booleans, null, undefined and such
// arrays, none reached twice, and ArrayBuffers and Uint8Arrays whose buffer is in the transfer
// list `transfer` (moved, as the clone moves them). Null with an exception pending (a
// DataCloneError for anything else).
std::unique_ptr<Serialized> SerializePlain(App *app, v8::Local<v8::Value> value, v8::Local<v8::Value> transfer);
// A tree of plain data with objects in it, as ipc.js's shaped form hands it over: `layout`
// (an Int32Array) holds its first `count` node codes in pre-order (ipc-plain.cc), and the
// arguments of `info` from `first` on its leaves and keys in the order the codes take them;
// `transfer` as for SerializePlain. Null with an exception pending.
std::unique_ptr<Serialized> SerializeShaped(App *app, v8::Local<v8::Value> layout, v8::Local<v8::Value> count,
					    v8::Local<v8::Value> transfer, const v8::FunctionCallbackInfo<v8::Value> &info,
					    int first);
// The value of a kPlain payload, built in `app`'s context; empty with an exception pending.
// A kShaped payload gives each object as an array [keys, value 1, ..., value n] and each
// array whose first item is an array as [[], item 1, ..., item n], for ipc.js to build.
v8::MaybeLocal<v8::Value> DeserializePlain(App *app, const Serialized &msg);

// Shared with ipc.cc: a DataCloneError, and the one for a message past `limit` bytes.
void ThrowDataCloneError(v8::Isolate *isolate, const std::string &message);
void ThrowIpcTooLarge(v8::Isolate *isolate, size_t limit);
// The ArrayBuffers of the transfer list `transfer` (an array; anything else: none), checked
// as the clone checks them; false with a DataCloneError pending. IpcTakeTransfers then moves
// them into `out` (detaching the sender's), once the payload is written.
bool IpcTransferList(App *app, v8::Local<v8::Value> transfer, std::vector<v8::Local<v8::ArrayBuffer>> *buffers);
void IpcTakeTransfers(Serialized *out, const std::vector<v8::Local<v8::ArrayBuffer>> &buffers);

}  // namespace rtjs

#endif
