/* Kernel self-tests chosen with `selftest=<name>` on the command line (the QEMU tests use
 * them): heap, vm, timer, irq, smp, simd, all (those six), pagefault, divzero, panic. Each prints
 * "selftest <name>: PASS" or stops the machine with POWER_STATUS_TEST_FAILED. */
#ifndef RTJS_SELFTEST_H
#define RTJS_SELFTEST_H

void selftest_run(const char *cmdline);

#endif
