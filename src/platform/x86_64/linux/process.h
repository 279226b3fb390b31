/* The program the kernel runs (one: the runtime) and how it is started. */
#ifndef RTJS_LINUX_PROCESS_H
#define RTJS_LINUX_PROCESS_H

#include <stdint.h>

#include "linux/elf.h"

struct process {
	const char *path;        /* the program's path in the initrd (/proc/self/exe) */
	struct elf_image program, interp;
	const struct node *program_file, *interp_file;
	uint64_t start_ns;       /* for CPU-time clocks */
};

/* The program's process id; its main thread's tid is the same (linux/sys-thread.c). */
#define LINUX_PID 1

extern struct process current_process;

/* Ends the program: the system powers off with its exit status. */
void process_exit(int status) __attribute__((noreturn));
/* Reports a fault of the program at `addr` (instruction at rip) and ends it. */
void process_fault(uint64_t addr, uint64_t rip, const char *what) __attribute__((noreturn));

/* 1 if tid names a live thread of the program (linux/sys-thread.c). */
int linux_tid_alive(int tid);

#endif
