// The hardware half of 'rtjs:binding': port I/O, physical memory windows, DMA memory and
// IRQ lines, each checked against the resources the calling app holds (resources.h).
// js/internal/hw.js turns these into the capability objects drivers use.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include <openssl/rand.h>

#include "app.h"
#include "apps.h"

extern "C" {
#include "platform/platform.h"
}

namespace rtjs {

static void Deny(App *app, const std::string &what)
{
	ThrowError(app->isolate(), app->Label() + " does not hold " + what);
}

static bool PortArgs(const v8::FunctionCallbackInfo<v8::Value> &info, uint16_t *port,
		     unsigned *width)
{
	App *app = App::From(info);
	if (!info[0]->IsUint32() || info[0].As<v8::Uint32>()->Value() > 0xffff || !info[1]->IsUint32()) {
		ThrowError(app->isolate(), "port I/O: port must be 0..0xffff and width 1, 2 or 4");
		return false;
	}
	*port = (uint16_t)info[0].As<v8::Uint32>()->Value();
	*width = info[1].As<v8::Uint32>()->Value();
	if (*width != 1 && *width != 2 && *width != 4) {
		ThrowError(app->isolate(), "port I/O: width must be 1, 2 or 4 bytes");
		return false;
	}
	if (!app->resources().HasPorts(*port, *width)) {
		Deny(app, "I/O port " + HexAddress(*port) + (*width > 1 ? " (" + std::to_string(*width) + " bytes)" : ""));
		return false;
	}
	return true;
}

static void PortIn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint16_t port;
	unsigned width;
	if (PortArgs(info, &port, &width))
		info.GetReturnValue().Set(platform_port_in(port, width));
}

static void PortOut(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	uint16_t port;
	unsigned width;
	if (!PortArgs(info, &port, &width))
		return;
	if (!info[2]->IsNumber())
		return ThrowError(info.GetIsolate(), "port I/O: value must be a number");
	platform_port_out(port, width, (uint32_t)info[2].As<v8::Number>()->Value());
}

static bool RangeArgs(const v8::FunctionCallbackInfo<v8::Value> &info, uint64_t *base, uint64_t *len)
{
	if (!info[0]->IsNumber() || !info[1]->IsNumber()) {
		ThrowError(info.GetIsolate(), "expected (base, length) numbers");
		return false;
	}
	double b = info[0].As<v8::Number>()->Value(), l = info[1].As<v8::Number>()->Value();
	// 2^53: the largest integer a double holds exactly.
	if (b < 0 || l <= 0 || b != (uint64_t)b || l != (uint64_t)l || b + l > 9007199254740992.0) {
		ThrowError(info.GetIsolate(), "base and length must be integers, length > 0");
		return false;
	}
	*base = (uint64_t)b;
	*len = (uint64_t)l;
	return true;
}

// physMap(base, length) -> an ArrayBuffer that IS the physical range (no copy).
static void PhysMap(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	uint64_t base, len;
	if (!RangeArgs(info, &base, &len))
		return;
	if (!app->resources().HasMemory(base, len))
		return Deny(app, "physical memory " + HexAddress(base) + "-" + HexAddress(base + len - 1));
	void *p = platform_phys_map(base, len);
	if (!p)
		return ThrowError(app->isolate(), "physical memory " + HexAddress(base) + "-" + HexAddress(base + len - 1) +
							  " cannot be mapped on this machine");
	std::shared_ptr<v8::BackingStore> store =
		v8::ArrayBuffer::NewBackingStore(p, len, v8::BackingStore::EmptyDeleter, nullptr);
	IpcNoteHardwareMemory(app, store);
	info.GetReturnValue().Set(v8::ArrayBuffer::New(app->isolate(), store));
}

static void FreeDma(void *data, size_t len, void *arg)
{
	(void)arg;
	platform_dma_free(data, len);
}

// dmaAlloc(length) -> { buffer, phys }: zeroed, physically contiguous memory for a device.
static void DmaAlloc(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	v8::Isolate *isolate = app->isolate();
	if (!app->resources().dma)
		return Deny(app, "DMA memory");
	if (!info[0]->IsUint32() || info[0].As<v8::Uint32>()->Value() == 0)
		return ThrowError(isolate, "dmaAlloc(length): length must be a positive integer");
	size_t len = info[0].As<v8::Uint32>()->Value();
	void *virt;
	uint64_t phys;
	int rc = platform_dma_alloc(len, &virt, &phys);
	if (rc < 0)
		return ThrowError(isolate, "dmaAlloc(" + std::to_string(len) + "): " + strerror(-rc));
	std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(virt, len, FreeDma, nullptr);
	IpcNoteHardwareMemory(app, store);
	v8::Local<v8::Context> ctx = app->context();
	v8::Local<v8::Object> out = NewRecord(isolate);
	if (Put(ctx, out, "buffer", v8::ArrayBuffer::New(isolate, store)) &&
	    Put(ctx, out, "phys", v8::Number::New(isolate, (double)phys)))
		info.GetReturnValue().Set(out);
}

// msiAlloc() -> { irq, address, data }: a message-signalled interrupt vector routed to the
// CPU of this app's engine. A device that raises it writes to memory, so only an app that
// may have devices write to memory (DMA) may have one; the vector becomes one of its IRQs.
static void MsiAlloc(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	v8::Isolate *isolate = app->isolate();
	if (!app->resources().dma)
		return Deny(app, "DMA memory (needed for message-signalled interrupts)");
	unsigned irq;
	uint64_t address;
	uint32_t data;
	int rc = platform_msi_alloc(app->engine(), &irq, &address, &data);
	if (rc < 0)
		return ThrowError(isolate, std::string("msiAlloc: ") + strerror(-rc));
	app->MsiHold(irq);
	v8::Local<v8::Context> ctx = app->context();
	v8::Local<v8::Object> out = NewRecord(isolate);
	if (Put(ctx, out, "irq", v8::Integer::NewFromUnsigned(isolate, irq)) &&
	    Put(ctx, out, "address", v8::Number::New(isolate, (double)address)) &&
	    Put(ctx, out, "data", v8::Integer::NewFromUnsigned(isolate, data)))
		info.GetReturnValue().Set(out);
}

// msiFree(irq): gives back a vector this app allocated (detached first); the app no longer
// holds it. Freeing one it does not hold is an error naming the vector.
static void MsiFree(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	unsigned irq = info[0]->IsUint32() ? info[0].As<v8::Uint32>()->Value() : 0;
	if (!info[0]->IsUint32() || !app->MsiRelease(irq))
		return ThrowError(app->isolate(), "msiFree: IRQ " + std::to_string(irq) + " is not an MSI vector this app allocated");
}

static const size_t kMaxEntropyAdd = 65536; // a virtio-rng request is at most a page
// entropyAdd(view): mixes a hardware random source's bytes (virtio-rng) into the machine's
// generator. Mixing cannot weaken it, but only a driver (an app with DMA) has such bytes.
static void EntropyAdd(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	if (!app->resources().dma)
		return Deny(app, "DMA memory (needed to add entropy from a device)");
	if (!info[0]->IsArrayBufferView())
		return ThrowError(app->isolate(), "entropyAdd(bytes): bytes must be a TypedArray or DataView");
	v8::Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
	std::shared_ptr<v8::BackingStore> store = view->Buffer()->GetBackingStore();
	const uint8_t *data = static_cast<const uint8_t *>(store->Data()) + view->ByteOffset();
	size_t len = view->ByteLength();
	if (len > kMaxEntropyAdd)
		return ThrowError(app->isolate(), "entropyAdd(bytes): at most " + std::to_string(kMaxEntropyAdd) + " bytes at once, got " + std::to_string(len));
	int rc = len ? platform_entropy_add(data, len) : 0;
	if (rc < 0)
		return ThrowError(app->isolate(), std::string("entropyAdd: ") + strerror(-rc));
	// OpenSSL's DRBG (crypto.getRandomValues, node:crypto) seeded itself from the platform
	// once; the device's bytes reach it now, not at its next reseed.
	if (len)
		RAND_add(data, (int)len, (double)len);
}

// framebuffer() -> { base, size, pitch, width, height, bpp, red, green, blue } or null: the
// linear framebuffer the firmware or boot loader set up (platform.h), each colour a
// [shift, bits] pair. Described only to an app that holds its memory, which then maps it
// with physMap as any other granted memory.
static void Framebuffer(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	v8::Isolate *isolate = app->isolate();
	struct platform_framebuffer fb;
	if (platform_framebuffer(&fb) != 0)
		return info.GetReturnValue().SetNull();
	uint64_t size = (uint64_t)fb.pitch * fb.height;
	if (!app->resources().HasMemory(fb.phys, size))
		return Deny(app, "the framebuffer's memory " + HexAddress(fb.phys) + "-" + HexAddress(fb.phys + size - 1));
	v8::Local<v8::Context> ctx = app->context();
	auto field = [&](uint8_t shift, uint8_t bits) {
		v8::Local<v8::Value> pair[] = { v8::Integer::NewFromUnsigned(isolate, shift),
						v8::Integer::NewFromUnsigned(isolate, bits) };
		return v8::Array::New(isolate, pair, 2);
	};
	v8::Local<v8::Object> out = NewRecord(isolate);
	if (Put(ctx, out, "base", v8::Number::New(isolate, (double)fb.phys)) &&
	    Put(ctx, out, "size", v8::Number::New(isolate, (double)size)) &&
	    Put(ctx, out, "pitch", v8::Integer::NewFromUnsigned(isolate, fb.pitch)) &&
	    Put(ctx, out, "width", v8::Integer::NewFromUnsigned(isolate, fb.width)) &&
	    Put(ctx, out, "height", v8::Integer::NewFromUnsigned(isolate, fb.height)) &&
	    Put(ctx, out, "bpp", v8::Integer::NewFromUnsigned(isolate, fb.bpp)) &&
	    Put(ctx, out, "red", field(fb.red_shift, fb.red_bits)) &&
	    Put(ctx, out, "green", field(fb.green_shift, fb.green_bits)) &&
	    Put(ctx, out, "blue", field(fb.blue_shift, fb.blue_bits)))
		info.GetReturnValue().Set(out);
}

struct IrqTask {
	struct task task;
	uint32_t app;
	unsigned irq;
};

static void RunIrq(struct task *t)
{
	std::unique_ptr<IrqTask> it(reinterpret_cast<IrqTask *>(t));
	App *app = apps_local(it->app);
	if (!app || app->exited() || !app->HasHook(App::HookId::kIrq))
		return;
	app->RunTask([&] {
		v8::Isolate *isolate = app->isolate();
		v8::Local<v8::Value> arg = v8::Integer::NewFromUnsigned(isolate, it->irq);
		return !app->Hook(App::HookId::kIrq)->Call(app->context(), v8::Undefined(isolate), 1, &arg).IsEmpty();
	});
}

// On the platform's interrupt thread: hand the IRQ to the app's engine.
static void OnIrq(void *ctx, unsigned irq)
{
	IrqTask *t = new IrqTask();
	t->task.run = RunIrq;
	t->task.drop = [](struct task *x) { delete reinterpret_cast<IrqTask *>(x); };
	t->app = (uint32_t)(uintptr_t)ctx;
	t->irq = irq;
	if (!apps_post(t->app, &t->task))
		delete t;
}

static bool IrqArg(const v8::FunctionCallbackInfo<v8::Value> &info, unsigned *irq)
{
	App *app = App::From(info);
	if (!info[0]->IsUint32()) {
		ThrowError(app->isolate(), "IRQ number expected");
		return false;
	}
	*irq = info[0].As<v8::Uint32>()->Value();
	if (!app->resources().HasIrq(*irq)) {
		Deny(app, "IRQ " + std::to_string(*irq));
		return false;
	}
	return true;
}

static void IrqAttach(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	unsigned irq;
	if (!IrqArg(info, &irq))
		return;
	int rc = platform_irq_attach(irq, OnIrq, (void *)(uintptr_t)app->id());
	if (rc < 0)
		return ThrowError(app->isolate(), "IRQ " + std::to_string(irq) + ": cannot attach (" + strerror(-rc) + ")");
	app->IrqAttached(irq);
}

static void IrqAck(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	unsigned irq;
	if (IrqArg(info, &irq))
		platform_irq_ack(irq);
}

static void IrqDetach(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	unsigned irq;
	if (!IrqArg(info, &irq))
		return;
	if (app->IrqDetached(irq))
		platform_irq_detach(irq);
}

static v8::Local<v8::Array> RangesToJs(v8::Isolate *isolate, const std::vector<Range> &ranges)
{
	std::vector<v8::Local<v8::Value>> pairs;
	for (const Range &r : ranges) {
		v8::Local<v8::Value> pair[] = { v8::Number::New(isolate, (double)r.base),
						v8::Number::New(isolate, (double)r.len) };
		pairs.push_back(v8::Array::New(isolate, pair, 2));
	}
	return v8::Array::New(isolate, pairs.data(), pairs.size());
}

// resources() -> { ports: [[base, len]], memory: [[base, len]], irqs: [n], dma }
static void ResourcesFn(const v8::FunctionCallbackInfo<v8::Value> &info)
{
	App *app = App::From(info);
	v8::Isolate *isolate = app->isolate();
	v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
	const Resources &r = app->resources();
	std::vector<v8::Local<v8::Value>> irqs;
	for (unsigned irq : r.irqs)
		irqs.push_back(v8::Integer::NewFromUnsigned(isolate, irq));
	v8::Local<v8::Object> o = NewRecord(isolate);
	if (Put(ctx, o, "ports", RangesToJs(isolate, r.ports)) &&
	    Put(ctx, o, "memory", RangesToJs(isolate, r.memory)) &&
	    Put(ctx, o, "irqs", v8::Array::New(isolate, irqs.data(), irqs.size())) &&
	    Put(ctx, o, "dma", v8::Boolean::New(isolate, r.dma)))
		info.GetReturnValue().Set(o);
}

// More entries than any machine has ports, windows or lines: a huge sparse array is refused
// instead of being walked for minutes.
static constexpr uint32_t kMaxResourceEntries = 4096;

// Reads the elements of an app's array (a getter may throw: false with it pending).
static bool ReadArray(v8::Local<v8::Context> ctx, v8::Local<v8::Array> a,
		      std::vector<v8::Local<v8::Value>> *out, bool *too_long)
{
	uint32_t n = a->Length();
	*too_long = n > kMaxResourceEntries;
	for (uint32_t i = 0; i < n && !*too_long; i++) {
		v8::Local<v8::Value> v;
		if (!a->Get(ctx, i).ToLocal(&v))
			return false;
		out->push_back(v);
	}
	return true;
}

// false: an exception is pending; else *bad is "" or what is wrong.
static bool ParseRanges(v8::Local<v8::Context> ctx, v8::Local<v8::Value> v, const char *what,
			std::vector<Range> *out, std::string *bad)
{
	if (v->IsUndefined())
		return true;
	const std::string wrong = std::string("resources.") + what + " must be an array of at most " +
				  std::to_string(kMaxResourceEntries) + " [base, length] pairs";
	std::vector<v8::Local<v8::Value>> items;
	bool too_long = false;
	if (!v->IsArray()) {
		*bad = wrong;
		return true;
	}
	if (!ReadArray(ctx, v.As<v8::Array>(), &items, &too_long))
		return false;
	if (too_long) {
		*bad = wrong;
		return true;
	}
	for (v8::Local<v8::Value> pair : items) {
		std::vector<v8::Local<v8::Value>> bl;
		if (!pair->IsArray() || pair.As<v8::Array>()->Length() != 2) {
			*bad = wrong;
			return true;
		}
		if (!ReadArray(ctx, pair.As<v8::Array>(), &bl, &too_long))
			return false;
		if (!bl[0]->IsNumber() || !bl[1]->IsNumber()) {
			*bad = wrong;
			return true;
		}
		double bd = bl[0].As<v8::Number>()->Value(), ld = bl[1].As<v8::Number>()->Value();
		// 2^64: past it the conversion to uint64_t is undefined.
		if (!(bd >= 0 && ld > 0 && bd < 18446744073709551616.0 && ld < 18446744073709551616.0) ||
		    bd != (double)(uint64_t)bd || ld != (double)(uint64_t)ld) {
			*bad = wrong;
			return true;
		}
		out->push_back({ (uint64_t)bd, (uint64_t)ld });
	}
	return true;
}

bool ParseResources(v8::Local<v8::Context> ctx, v8::Local<v8::Value> v, Resources *out,
		    std::string *bad)
{
	v8::Isolate *isolate = ctx->GetIsolate();
	if (v->IsUndefined())
		return true;
	if (!v->IsObject()) {
		*bad = "resources must be an object { ports, memory, irqs, dma }";
		return true;
	}
	v8::Local<v8::Object> o = v.As<v8::Object>();
	v8::Local<v8::Value> ports, memory, irqs, dma;
	if (!o->Get(ctx, Str(isolate, "ports")).ToLocal(&ports) ||
	    !ParseRanges(ctx, ports, "ports", &out->ports, bad))
		return false;
	if (!bad->empty())
		return true;
	if (!o->Get(ctx, Str(isolate, "memory")).ToLocal(&memory) ||
	    !ParseRanges(ctx, memory, "memory", &out->memory, bad))
		return false;
	if (!bad->empty())
		return true;
	if (!o->Get(ctx, Str(isolate, "irqs")).ToLocal(&irqs))
		return false;
	const char *wrong_irqs = "resources.irqs must be an array of IRQ numbers";
	if (irqs->IsArray()) {
		std::vector<v8::Local<v8::Value>> items;
		bool too_long = false;
		if (!ReadArray(ctx, irqs.As<v8::Array>(), &items, &too_long))
			return false;
		if (too_long) {
			*bad = wrong_irqs;
			return true;
		}
		for (v8::Local<v8::Value> n : items) {
			if (!n->IsUint32()) {
				*bad = wrong_irqs;
				return true;
			}
			out->irqs.push_back(n.As<v8::Uint32>()->Value());
		}
	} else if (!irqs->IsUndefined()) {
		*bad = wrong_irqs;
		return true;
	}
	if (!o->Get(ctx, Str(isolate, "dma")).ToLocal(&dma))
		return false;
	out->dma = dma->IsTrue();
	return true;
}

void AddHwBinding(App *app, v8::Local<v8::Context> ctx, v8::Local<v8::Object> b)
{
	(void)app;
	SetMethod(ctx, b, "portIn", PortIn);
	SetMethod(ctx, b, "portOut", PortOut);
	SetMethod(ctx, b, "physMap", PhysMap);
	SetMethod(ctx, b, "dmaAlloc", DmaAlloc);
	SetMethod(ctx, b, "msiAlloc", MsiAlloc);
	SetMethod(ctx, b, "msiFree", MsiFree);
	SetMethod(ctx, b, "entropyAdd", EntropyAdd);
	SetMethod(ctx, b, "irqAttach", IrqAttach);
	SetMethod(ctx, b, "irqAck", IrqAck);
	SetMethod(ctx, b, "irqDetach", IrqDetach);
	SetMethod(ctx, b, "resources", ResourcesFn);
	SetMethod(ctx, b, "framebuffer", Framebuffer);
}

}  // namespace rtjs
