/* Starting the program: the initrd becomes the file system, the program and its
 * interpreter are mapped, the initial stack is built (System V x86_64 psABI, 3.4.1:
 * argc, argv, envp, auxv), and the CPU jumps to ld.so's entry, in ring 0.
 *
 * Kernel command line: `init=/bin/rtjs` (the default) names the program; everything after
 * a lone `--` is its arguments; `tty` makes the console claim to be a terminal. */
#include "linux/process.h"

#include <errno.h>
#include <string.h>

#include "acpi/power.h"
#include "boot/bootinfo.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "dev/random.h"
#include "intr/intr.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/log.h"
#include "linux/console.h"
#include "linux/cpio.h"
#include "linux/fd.h"
#include "linux/syscall.h"
#include "linux/vdso.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "cpu/lock.h"
#include "sched/sched.h"
#include "time/clock.h"

/* Auxiliary vector types (include/uapi/linux/auxvec.h, asm/auxvec.h). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31
#define AT_SYSINFO_EHDR 33
#define CLK_TCK 100
#define MAX_ARGS 64
#define EXIT_FAULT 139 /* as a shell reports SIGSEGV: 128 + 11 */

struct process current_process;
static struct mm program_mm;

extern void program_enter(uint64_t sp, uint64_t entry) __attribute__((noreturn));

static const char *const default_env[] = { "PATH=/bin", "HOME=/", "TERM=linux", NULL };

void process_exit(int status)
{
	kprintf("linux: %s exited with status %d\n", current_process.path, status);
	/* What the machine's memory has to hold besides the boot modules (the initrd, which
	 * the allocator never manages): the kernel's heap, the program's pages, V8's heaps. */
	kprintf("pmm: at most %lu of %lu MiB were in use, boot modules aside\n",
		(pmm_total_count() - pmm_low_count()) * PAGE_SIZE >> 20, pmm_total_count() * PAGE_SIZE >> 20);
	power_off(status);
}

/* "libnode.so.115: v8::internal::Heap::Foo+0x1c" for an address in a file mapping. */
static void describe_code(uint64_t rip, char *buf, size_t cap)
{
	const struct node *file = NULL;
	uint64_t file_off = 0;
	if (current_mm) {
		read_lock(&current_mm->lock);
		struct vma *v = vma_find(current_mm, rip);
		if (v && v->file) {
			file = v->file;
			file_off = rip - v->start + v->file_off;
		}
		read_unlock(&current_mm->lock);
	}
	if (!file) {
		ksnprintf(buf, cap, "not in any file");
		return;
	}
	uint64_t off = 0;
	const char *sym = elf_symbol(file, 0, elf_offset_to_vaddr(file, file_off), &off);
	const char *base = strrchr(file->path, '/');
	ksnprintf(buf, cap, "%s: %s+0x%lx", base ? base + 1 : file->path, sym ? sym : "?",
		  (unsigned long)off);
}

void process_fault(uint64_t addr, uint64_t rip, const char *what)
{
	char where[256];
	describe_code(rip, where, sizeof(where));
	klog_console_too(); /* the report of the program's end belongs on its console */
	kprintf("linux: %s: %s at address 0x%lx, instruction at 0x%lx (%s)\n", current_process.path,
		what, (unsigned long)addr, (unsigned long)rip, where);
	power_off(EXIT_FAULT);
}

static int on_page_fault(struct intr_frame *f, void *ctx)
{
	(void)ctx;
	uint64_t addr = intr_fault_address();
	/* A load that must not be served here (a lock held): it answers -EFAULT instead. */
	if (f->rip == (uintptr_t)user_nofault_load && addr < USER_LIMIT) {
		f->rip = (uintptr_t)user_nofault_fixup;
		return INTR_HANDLED;
	}
	if (!current_mm || addr >= USER_LIMIT)
		return INTR_UNHANDLED; /* the kernel's own: a bug, reported by the fatal handler */
	if (lock_debug_on)
		lock_debug_may_fault();
	/* A system call's copy (linux/user-copy.S) whose range another thread took away after
	 * the call checked it: the copy answers -EFAULT rather than the fault ending the program. */
	int in_copy = f->rip == (uintptr_t)user_copy_move;
	/* The areas' lock is held with interrupts on (cpu/rwlock.h): a writer's TLB shootdown
	 * must reach this CPU while it waits. Faults of other threads proceed side by side. */
	struct mm *mm = current_mm;
	irq_enable();
	read_lock(&mm->lock);
	int rc = vma_fault(mm, addr, (f->error & PF_WRITE) != 0, (f->error & PF_FETCH) != 0);
	int mapped = rc != 0 && vma_find(mm, addr) != NULL;
	read_unlock(&mm->lock);
	if (rc != 0 && rc != -ENOMEM && in_copy) {
		irq_disable();
		f->rip = (uintptr_t)user_copy_fixup;
		return INTR_HANDLED;
	}
	if (rc != 0) {
		/* Reported with interrupts still on: the report takes the areas' lock again. */
		const char *what = rc == -ENOMEM ? "out of memory on a page fault" :
				   !mapped ? "access to unmapped memory" :
				   (f->error & PF_FETCH) ? "instruction fetch from non-executable memory" :
				   (f->error & PF_WRITE) ? "write to read-only memory" : "read of inaccessible memory";
		process_fault(addr, f->rip, what);
	}
	irq_disable();
	return INTR_HANDLED;
}

/* AT_HWCAP on x86_64 is CPUID.1:EDX (arch/x86/include/asm/elf.h, ELF_HWCAP). */
static uint64_t cpu_hwcap(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[3];
}

/* Pushes bytes onto the stack being built; returns their address. */
static uint64_t push_bytes(uint64_t *sp, const void *data, size_t n)
{
	*sp -= n;
	memcpy((void *)(uintptr_t)*sp, data, n);
	return *sp;
}

static uint64_t build_stack(const char *const *argv, int argc, const char *const *envp, uint64_t vdso)
{
	uint64_t sp = STACK_TOP;
	uint64_t argp[MAX_ARGS], envpp[8];
	int envc = 0;
	uint8_t random[16];
	random_read(random, sizeof(random));
	uint64_t at_random = push_bytes(&sp, random, sizeof(random));
	uint64_t at_platform = push_bytes(&sp, "x86_64", 7);
	uint64_t at_execfn = push_bytes(&sp, current_process.path, strlen(current_process.path) + 1);
	for (int i = argc - 1; i >= 0; i--)
		argp[i] = push_bytes(&sp, argv[i], strlen(argv[i]) + 1);
	while (envp[envc])
		envc++;
	for (int i = envc - 1; i >= 0; i--)
		envpp[i] = push_bytes(&sp, envp[i], strlen(envp[i]) + 1);
	const struct elf_image *p = &current_process.program;
	uint64_t auxv[][2] = {
		{ AT_PHDR, p->phdr }, { AT_PHENT, p->phent }, { AT_PHNUM, p->phnum },
		{ AT_PAGESZ, PAGE_SIZE }, { AT_BASE, current_process.interp_file ? current_process.interp.bias : 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, p->entry }, { AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 },
		{ AT_EGID, 0 }, { AT_PLATFORM, at_platform }, { AT_HWCAP, cpu_hwcap() },
		{ AT_CLKTCK, CLK_TCK }, { AT_SECURE, 0 }, { AT_RANDOM, at_random }, { AT_HWCAP2, 0 },
		{ AT_EXECFN, at_execfn },
		/* Last before the end, so that without a vDSO the entry is an early AT_NULL. */
		{ vdso ? AT_SYSINFO_EHDR : AT_NULL, vdso }, { AT_NULL, 0 },
	};
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + sizeof(auxv) / 8;
	sp &= ~15ull;
	if (words & 1)
		sp -= 8; /* argc must end up 16-byte aligned */
	sp -= sizeof(auxv);
	memcpy((void *)(uintptr_t)sp, auxv, sizeof(auxv));
	uint64_t *w = (uint64_t *)(uintptr_t)sp;
	*--w = 0;
	for (int i = envc - 1; i >= 0; i--)
		*--w = envpp[i];
	*--w = 0;
	for (int i = argc - 1; i >= 0; i--)
		*--w = argp[i];
	*--w = (uint64_t)argc;
	return (uint64_t)(uintptr_t)w;
}

/* Splits the command line into the program path and its argv (argv[0] = the path). */
static int parse_cmdline(const char *cl, char *storage, size_t cap, const char **argv)
{
	static char path[256];
	if (cmdline_get(cl, "init", path, sizeof(path)) < 0)
		strcpy(path, "/bin/rtjs");
	current_process.path = path;
	argv[0] = path;
	int argc = 1;
	const char *rest = strstr(cl, " -- ");
	if (!rest)
		return argc;
	size_t n = strlen(rest + 4);
	if (n >= cap)
		n = cap - 1;
	memcpy(storage, rest + 4, n);
	storage[n] = 0;
	for (char *p = storage; *p && argc < MAX_ARGS - 1;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

static int load(const char *cl, const char **argv, int *argc)
{
	static char args[1024];
	*argc = parse_cmdline(cl, args, sizeof(args), argv);
	int rc = mm_init(&program_mm);
	if (rc < 0)
		return rc;
	current_mm = &program_mm;
	as_switch(program_mm.as);
	current_process.program_file = fs_lookup(current_process.path);
	if (!current_process.program_file) {
		kprintf("linux: no program %s in the initrd\n", current_process.path);
		return -ENOENT;
	}
	rc = elf_load(&program_mm, current_process.program_file, PIE_BASE, &current_process.program);
	if (rc < 0)
		return rc;
	if (current_process.program.interp[0]) {
		current_process.interp_file = fs_lookup(current_process.program.interp);
		if (!current_process.interp_file) {
			kprintf("linux: %s needs %s, which is not in the initrd\n", current_process.path,
				current_process.program.interp);
			return -ENOENT;
		}
		rc = elf_load(&program_mm, current_process.interp_file, 0, &current_process.interp);
		if (rc < 0)
			return rc;
	}
	program_mm.brk_start = program_mm.brk = current_process.program.end;
	return vma_map(&program_mm, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE,
		       NULL, 0, 0, "[stack]");
}

void linux_start(const struct boot_info *bi)
{
	if (!bi->initrd_start) {
		kprintf("linux: no initrd: no program to run\n");
		return;
	}
	/* A module that is not a cpio archive is not ours to run (the kernel's own tests boot
	 * with other modules): the kernel carries on as its command line says. */
	if (!cpio_is_archive(phys_to_virt(bi->initrd_start), bi->initrd_end - bi->initrd_start)) {
		kprintf("linux: the initrd is not a cpio archive: no program to run\n");
		return;
	}
	console_init(cmdline_has(bi->cmdline, "tty"));
	syscall_trace(cmdline_has(bi->cmdline, "strace"));
	int rc = fs_init(phys_to_virt(bi->initrd_start), bi->initrd_end - bi->initrd_start);
	/* Further cpio modules add to it, later ones replacing earlier files: the runtime's
	 * archive is built once, an app travels as a small second one. */
	for (unsigned i = 1; i < bi->module_count && rc != -ENOMEM; i++) {
		const struct boot_module *m = &bi->modules[i];
		if (cpio_is_archive(phys_to_virt(m->start), m->end - m->start))
			rc = fs_add_archive(phys_to_virt(m->start), m->end - m->start);
	}
	if (rc == -ENOMEM || fd_init() < 0 || syscall_init() < 0 ||
	    intr_register(VEC_PAGE_FAULT, on_page_fault, NULL) < 0) {
		kprintf("linux: cannot set up the program's environment\n");
		return;
	}
	const char *argv[MAX_ARGS];
	int argc;
	rc = load(bi->cmdline, argv, &argc);
	if (rc < 0) {
		kprintf("linux: cannot start %s (error %d)\n", current_process.path, rc);
		power_off(1);
	}
	argv[argc] = NULL;
	/* Threads, and the tick that ends sleeps and futex and poll timeouts; after load(),
	 * because the other CPUs take on the program's address space. */
	if (sched_init(LINUX_PID) < 0)
		kprintf("linux: no scheduler (no timer tick?): sleeps will not end\n");
	/* `novdso`: every clock read is a system call, as without a vDSO (to compare). */
	uint64_t vdso = cmdline_has(bi->cmdline, "novdso") ? 0 : vdso_map(&program_mm);
	uint64_t sp = build_stack(argv, argc, default_env, vdso);
	uint64_t entry = current_process.interp_file ? current_process.interp.entry
						     : current_process.program.entry;
	kprintf("linux: starting %s (%d arguments) at 0x%lx\n", current_process.path, argc - 1,
		(unsigned long)entry);
	current_process.start_ns = clock_monotonic_ns();
	program_enter(sp, entry);
}
