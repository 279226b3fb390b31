/* The Linux layer's big lock: one thread at a time runs a system call handler or handles
 * a page fault of the program (the layer's tables - memory areas, files, the console - have
 * no locks of their own). It is held by a thread, recursively (a system call that touches
 * the program's memory takes page faults), and it is dropped while the thread blocks
 * (sched_block) or exits, so that other threads can make system calls meanwhile.
 * Waiting for it spins with interrupts enabled: TLB shootdown IPIs from the holder must
 * get through. */
#ifndef RTJS_BKL_H
#define RTJS_BKL_H

void bkl_lock(void);
void bkl_unlock(void);
/* Drops the lock entirely if the caller holds it; returns the depth to give back to
 * bkl_reacquire (0: it did not hold it). */
int bkl_release_all(void);
void bkl_reacquire(int depth);

#endif
