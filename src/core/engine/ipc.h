// The IPC wire format and the checks the runtime makes on it. Internal to the binding.
//
// A message between two apps is a list of records. What a record's receiver must be able to
// trust (who sent it, what kind it is, which call it answers, which function it calls) is
// held natively, outside any JavaScript heap; only the payload is a structured clone that the
// sending app's JavaScript produced. Per app, natively:
//   held      the remote functions it holds: (owner, function id) -> receipts not released.
//             Counted when a message carrying the reference is read in this app. A call,
//             and forwarding a reference, needs the reference held (or owned).
//   pending   its calls not answered yet: call id -> the app called. A result is accepted only
//             from that app, once.
//   incoming  calls made to it not answered yet: (caller, call id). It can answer only those,
//             once.
#ifndef RTJS_ENGINE_IPC_H
#define RTJS_ENGINE_IPC_H

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rtjs {

class App;
struct Serialized;

// Record kinds. The numbers are shared with js/internal/ipc.js (KIND_*).
enum IpcKind : int {
	kIpcCall = 1,     // id: call id, ref: function id; payload: the arguments array
	kIpcResult = 2,   // id: call id; payload: the value
	kIpcError = 3,    // id: call id; payload: what ipc.js sends for a thrown value
	kIpcRelease = 4,  // id: function id, ref: receipts released; no payload
	kIpcRetain = 5,   // payload: [function id, holder app id]
	kIpcExport = 6,   // payload: the interface
	kIpcKindCount
};

// The forms of a call's or an answer's payload ipc.js asks for (its FORM_*).
enum IpcForm : int32_t {
	kFormClone = 0,  // V8's structured clone
	kFormJson = 1,   // JSON text
	kFormPlain = 2,  // ipc-plain.cc's format
	kFormShaped = 3, // ipc-plain.cc's format, holding ipc.js's shaped form of objects
};

// Record flags, set natively.
enum IpcFlags : uint32_t {
	kIpcHasRefs = 1,     // the payload holds remote-function references
	kIpcUnreadable = 2,  // kIpcError made by the runtime: the payload is a string saying why
	kIpcShaped = 4,      // the payload is plain data in ipc.js's shaped form (kFormShaped)
	kIpcOneWay = 8,      // a call (id 0) whose caller waits for no answer; none may be sent
};

// The bytes one app has sent another and the receiver has not handled yet (queued at the end
// of the sender's task, posted to the receiver's engine, or waiting in its inbox). Shared by
// the sender, which checks it before each call, and the records, which give their share back
// when they are handled or dropped, on whichever thread that happens.
struct IpcQueued {
	std::atomic<size_t> bytes{0};
};

// A record's share of its sender's IpcQueued, given back when the record is destroyed.
class IpcCharge {
public:
	IpcCharge() = default;
	IpcCharge(std::shared_ptr<IpcQueued> queued, size_t bytes) : queued_(std::move(queued)), bytes_(bytes)
	{
		queued_->bytes.fetch_add(bytes_, std::memory_order_relaxed);
	}
	IpcCharge(IpcCharge &&o) noexcept : queued_(std::move(o.queued_)), bytes_(o.bytes_) {}
	IpcCharge &operator=(IpcCharge &&o) noexcept
	{
		if (this != &o) {
			Release();
			queued_ = std::move(o.queued_);
			bytes_ = o.bytes_;
		}
		return *this;
	}
	IpcCharge(const IpcCharge &) = delete;
	IpcCharge &operator=(const IpcCharge &) = delete;
	~IpcCharge() { Release(); }

private:
	void Release()
	{
		if (queued_)
			queued_->bytes.fetch_sub(bytes_, std::memory_order_relaxed);
		queued_.reset();
	}
	std::shared_ptr<IpcQueued> queued_;
	size_t bytes_ = 0;
};

struct IpcRecord {
	int kind = 0;
	uint32_t id = 0, ref = 0, flags = 0;
	std::unique_ptr<Serialized> payload;
	IpcCharge charge;  // calls and exports only: what their receiver did not ask for
};

struct IpcState {
	uint32_t next_call_id = 1;
	std::unordered_map<uint32_t, uint32_t> pending;
	std::unordered_set<uint64_t> incoming;
	std::unordered_map<uint64_t, uint64_t> held;
	// Records waiting for the end of the task, per receiving app, in the order they were made.
	std::vector<std::pair<uint32_t, std::vector<IpcRecord>>> outbox;
	// Records received and not handled yet, with their senders, in arrival order. One task
	// handles at most kIpcRecordsPerTask of them, so that a sender's large batch cannot hold
	// the engine from the other apps on it; the rest go in later tasks, before anything that
	// arrives after them.
	std::deque<std::pair<uint32_t, IpcRecord>> inbox;
	bool drain_posted = false;
	// Per receiving app: the calls and exports sent to it and not handled yet.
	std::unordered_map<uint32_t, std::shared_ptr<IpcQueued>> queued;
	// ArrayBuffers of rt.hw mappings and DMA blocks: never transferred to another app.
	std::vector<std::weak_ptr<v8::BackingStore>> hardware;
};

constexpr size_t kIpcRecordsPerTask = 512;

// The most bytes of structured clone one message may carry between apps (ArrayBuffers moved
// with rt.transfer are not counted: their memory changes hands, nothing is copied). A sender
// past it gets a DataCloneError (code ERR_IPC_MESSAGE_TOO_LARGE) and nothing is sent.
constexpr size_t kIpcMaxMessageBytes = (size_t)64 << 20;
// A receiver reads no payload larger than a quarter of its heap limit (at most
// kIpcMaxMessageBytes): a call carrying one is answered with a DataCloneError before the
// payload is deserialised, so one hostile message cannot push a service past its heap limit.
constexpr size_t kIpcHeapShareDivisor = 4;

// The most bytes of calls and exports one app may have queued for another that the receiver
// has not handled yet; past it a call is refused at the sender (ERR_IPC_INBOX_FULL) until the
// receiver catches up. A message is charged its clone's bytes and kIpcRecordCost for what a
// record costs natively, so that a flood of empty calls is bounded too (at about 262,000 of
// them). A message that finds nothing queued always goes, so that one message of the largest
// size may be sent. Answers are not charged: a receiver gets at most one per call it made.
constexpr size_t kIpcQueuedBytesPerSender = (size_t)64 << 20;
constexpr size_t kIpcRecordCost = 256;

inline uint64_t IpcKey(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

// Serializes `value` as a payload in `app`, moving the ArrayBuffers of the array `transfer`
// (anything else: none); null with a DataCloneError (or the value's own exception) pending.
std::unique_ptr<Serialized> Serialize(App *app, v8::Local<v8::Value> value, v8::Local<v8::Value> transfer);
// Adds the IPC functions to 'rtjs:binding' (ipcCall, ipcNotify, ipcReply, ipcSend, ipcRelease, serialize).
void AddIpcBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b);
// Sends what the task queued (one message per receiving app); at the end of every task.
void IpcFlush(App *app);
// Marks `store` as hardware memory (rt.hw): it may be copied to other apps, never transferred.
void IpcNoteHardwareMemory(App *app, const std::shared_ptr<v8::BackingStore> &store);

}  // namespace rtjs

#endif
