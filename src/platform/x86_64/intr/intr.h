/* Interrupts and exceptions: the saved register frame and handler registration.
 *
 * Every vector enters through intr/isr.S on an IST stack (cpu/gdt.h): NMI, #DF, #MC and
 * #PF each have their own, other exceptions share one, IRQs share one. Handlers run with
 * interrupts disabled. */
#ifndef RTJS_INTR_H
#define RTJS_INTR_H
#include <stdint.h>

/* Vector plan. 0-31 exceptions (SDM vol. 3A, table 6-1). */
#define VEC_DIVIDE 0
#define VEC_DEBUG 1
#define VEC_NMI 2
#define VEC_BREAKPOINT 3
#define VEC_INVALID_OPCODE 6
#define VEC_DOUBLE_FAULT 8
#define VEC_GP 13
#define VEC_PAGE_FAULT 14
#define VEC_MACHINE_CHECK 18
#define VEC_IRQ_BASE 0x30  /* IOAPIC GSI n -> vector VEC_IRQ_BASE + n */
#define VEC_MSI_BASE 0x60  /* message-signalled interrupts: 0x60-0x7f (above the 24 GSIs) */
#define VEC_MSI_COUNT 32
#define VEC_IRQ_LAST 0xdf
#define VEC_IPI_BASE 0xe0  /* 0xe0-0xef free for inter-processor interrupts (L: TLB shootdown) */
#define VEC_LAPIC_TIMER 0xf0
#define VEC_SPURIOUS 0xff

/* Page-fault error code bits (SDM vol. 3A, 4.7). */
#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_USER (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_FETCH (1u << 4)

/* The registers as saved on entry; layout fixed by intr/isr.S (lowest address first). */
struct intr_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error; /* error is 0 for vectors without an error code */
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* A handler returns INTR_HANDLED, or INTR_UNHANDLED to let the kernel treat the event as
 * fatal (exceptions: register dump, backtrace, stop). For IRQ vectors the return value
 * only matters for logging. */
#define INTR_HANDLED 0
#define INTR_UNHANDLED 1
typedef int (*intr_fn)(struct intr_frame *f, void *ctx);

/* Install fn for a vector (exceptions included: e.g. VEC_PAGE_FAULT for demand paging;
 * CR2 is in intr_fault_address()). -EBUSY if one is installed, -EINVAL bad vector. */
int intr_register(unsigned vector, intr_fn fn, void *ctx);
void intr_unregister(unsigned vector);

/* After the current handler returns, resume the CPU from frame f instead of the
 * interrupted context (a scheduler switching threads from the timer tick or a fault).
 * f must not live on the IST stack (copy the frame out first) and stays in use until
 * iretq has read it. Only valid inside a handler. */
void intr_return_to(struct intr_frame *f);

/* CR2 as saved at entry of the page fault being handled. */
uint64_t intr_fault_address(void);

/* Kernel: fills the IDT and loads it on this CPU. */
void idt_init(void);
void idt_load(void);
/* Prints the frame and a backtrace, then stops the machine with a failing status. */
void intr_fatal(const struct intr_frame *f, const char *why) __attribute__((noreturn));

#endif
