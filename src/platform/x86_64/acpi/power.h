/* Power-off and reboot.
 *
 * Exit status convention under QEMU (scripts/qemu-run):
 *   power_off(0): ACPI S5 (\_S5 from the DSDT -> PM1a_CNT); QEMU exits with status 0.
 *   power_off(n), n != 0: writes n to the isa-debug-exit port (0xf4); QEMU exits with
 *   (n << 1) | 1, which qemu-run maps back to n.
 * Before either, the kernel prints "rtjs: power-off status=<n>". If ACPI power-off fails,
 * debug-exit(0) is tried (QEMU status 1; qemu-run maps it to 0 when it sees that line),
 * then the CPU halts. */
#ifndef RTJS_POWER_H
#define RTJS_POWER_H

#define POWER_STATUS_OK 0
#define POWER_STATUS_PANIC 3 /* kernel panic or fatal exception */
#define POWER_STATUS_TEST_FAILED 2

void power_off(int status) __attribute__((noreturn));
/* FADT reset register, else the keyboard controller, else a triple fault. */
void power_reboot(void) __attribute__((noreturn));

#endif
