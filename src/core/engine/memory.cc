// ArrayBuffer memory charged to the app that holds it (memory.h).
//
// Every block the allocators hand out is entered in one ledger, block -> account, so that
// the block is credited back to whoever holds it when V8 frees it (the freeing allocator is
// the one that allocated, which after a transfer is not the holder's).
#include "memory.h"

#include "ipc-blocks.h"

#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace rtjs {

struct Charge {
	std::shared_ptr<Account> account;
	size_t length;
};

static std::mutex g_ledger_mu;
// Never destroyed: V8 may free blocks after static destructors ran.
static auto *g_ledger = new std::unordered_map<const void *, Charge>();

class AccountedAllocator : public v8::ArrayBuffer::Allocator {
public:
	explicit AccountedAllocator(std::shared_ptr<Account> account) : account_(std::move(account)) {}

	void *Allocate(size_t length) override { return Take(length, true); }
	void *AllocateUninitialized(size_t length) override { return Take(length, false); }

	void Free(void *data, size_t length) override
	{
		if (!data)
			return;
		std::shared_ptr<Account> owner;
		{
			std::lock_guard<std::mutex> lock(g_ledger_mu);
			auto it = g_ledger->find(data);
			if (it != g_ledger->end()) {
				owner = std::move(it->second.account);
				g_ledger->erase(it);
			}
		}
		if (owner)
			owner->buffers.fetch_sub(length);
		// V8 frees with the length it allocated: a small buffer came from malloc, and only a
		// large one needs the block cache (and its lock).
		if (length < kIpcBlockMin)
			free(data);
		else
			IpcBlockFree(data);
	}

private:
	void *Take(size_t length, bool zeroed)
	{
		Account &a = *account_;
		if (a.limit && (length > a.limit || a.used() + length > a.limit)) {
			if (a.on_exceeded)
				a.on_exceeded(length);
			return nullptr;  // V8 throws a RangeError
		}
		// A zero-length buffer still needs a unique, freeable pointer (IpcBlockAlloc gives one).
		void *p = IpcBlockAlloc(length, zeroed);
		if (!p)
			return nullptr;
		a.buffers.fetch_add(length);
		std::lock_guard<std::mutex> lock(g_ledger_mu);
		(*g_ledger)[p] = Charge{ account_, length };
		return p;
	}

	std::shared_ptr<Account> account_;
};

std::shared_ptr<v8::ArrayBuffer::Allocator> NewAccountedAllocator(std::shared_ptr<Account> account)
{
	return std::make_shared<AccountedAllocator>(std::move(account));
}

void RehomeBuffer(const void *data, const std::shared_ptr<Account> &to)
{
	std::lock_guard<std::mutex> lock(g_ledger_mu);
	auto it = g_ledger->find(data);
	if (it == g_ledger->end() || it->second.account == to)
		return;
	it->second.account->buffers.fetch_sub(it->second.length);
	to->buffers.fetch_add(it->second.length);
	it->second.account = to;
}

}  // namespace rtjs
