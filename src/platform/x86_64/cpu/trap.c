/* Fatal exceptions and panics: register dump, symbolised backtrace, failing stop. */
#include <stdarg.h>
#include "acpi/power.h"
#include "cpu/cpu.h"
#include "cpu/ksyms.h"
#include "cpu/percpu.h"
#include "intr/intr.h"
#include "lib/log.h"
#include "mm/paging.h"

#define BACKTRACE_MAX 24

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD exception", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved 31",
};

static int in_fatal;

static void print_address(unsigned i, uint64_t addr)
{
	uint64_t off = 0;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		kprintf("  #%-2u 0x%016lx %s+0x%lx\n", i, addr, name, off);
	else
		kprintf("  #%-2u 0x%016lx ?\n", i, addr);
}

static int frame_readable(uint64_t rbp)
{
	return rbp && !(rbp & 7) && vm_is_mapped(rbp) && vm_is_mapped(rbp + 8);
}

/* Walks the frame-pointer chain (the kernel is built with -fno-omit-frame-pointer). */
static void backtrace(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace:\n");
	print_address(0, rip);
	for (unsigned i = 1; i < BACKTRACE_MAX && frame_readable(rbp); i++) {
		const uint64_t *fp = (const uint64_t *)rbp;
		if (!fp[1])
			break;
		print_address(i, fp[1]);
		if (fp[0] <= rbp) /* frames grow towards higher addresses */
			break;
		rbp = fp[0];
	}
}

static void dump_registers(const struct intr_frame *f)
{
	kprintf("RIP %016lx  CS %04lx  RFLAGS %016lx  RSP %016lx  SS %04lx\n", f->rip, f->cs, f->rflags,
		f->rsp, f->ss);
	kprintf("RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("RSI %016lx  RDI %016lx  RBP %016lx  R8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("R9  %016lx  R10 %016lx  R11 %016lx  R12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("R13 %016lx  R14 %016lx  R15 %016lx\n", f->r13, f->r14, f->r15);
	kprintf("CR0 %016lx  CR2 %016lx  CR3 %016lx  CR4 %016lx\n", read_cr0(), read_cr2(), read_cr3(),
		read_cr4());
	kprintf("FS.base %016lx  GS.base %016lx\n", rdmsr(MSR_FS_BASE), rdmsr(MSR_GS_BASE));
}

static void describe_page_fault(const struct intr_frame *f)
{
	uint64_t e = f->error;
	kprintf("page fault at address 0x%016lx: %s %s%s%s\n", this_cpu()->fault_address,
		(e & PF_FETCH) ? "instruction fetch" : (e & PF_WRITE) ? "write" : "read",
		(e & PF_PRESENT) ? "on a protected page" : "of an unmapped page",
		(e & PF_RSVD) ? ", reserved bit set" : "", (e & PF_USER) ? ", user mode" : "");
}

void intr_fatal(const struct intr_frame *f, const char *why)
{
	if (__atomic_exchange_n(&in_fatal, 1, __ATOMIC_ACQ_REL))
		cpu_stop(); /* a fault while reporting a fault: the first report wins */
	klog_panic_mode();
	const char *name = f->vector < 32 ? exception_names[f->vector] : "interrupt";
	kprintf("\nFATAL: %s (vector %lu) error code 0x%lx on CPU %u%s%s\n", name, f->vector, f->error,
		this_cpu()->cpu_index, why ? ": " : "", why ? why : "");
	if (f->vector == VEC_PAGE_FAULT)
		describe_page_fault(f);
	dump_registers(f);
	backtrace(f->rip, f->rbp);
	power_off(POWER_STATUS_PANIC);
}

void panic(const char *fmt, ...)
{
	irq_disable();
	if (__atomic_exchange_n(&in_fatal, 1, __ATOMIC_ACQ_REL))
		cpu_stop();
	klog_panic_mode();
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	backtrace((uint64_t)__builtin_return_address(0), *(uint64_t *)__builtin_frame_address(0));
	power_off(POWER_STATUS_PANIC);
}
