# QEMU tests of the bare-metal kernel (TCG, seconds each). They boot
# ${CMAKE_BINARY_DIR}/rtjs.elf with -kernel (multiboot 1), or a GRUB2 ISO (multiboot2),
# through scripts/qemu-run and assert on the serial log and the exit status.
if(TARGET rtjs_kernel)
  set(KCHECK ${CMAKE_SOURCE_DIR}/tests/qemu/kernel/check.sh)
  set(KELF ${CMAKE_BINARY_DIR}/rtjs.elf)
  # The ISO under test powers off after ready; a small file stands in for the initrd.
  rtjs_make_iso(rtjs_test_iso ${CMAKE_BINARY_DIR}/rtjs-test.iso "poweroff" ${KCHECK})

  function(kernel_qemu_test name)
    add_test(NAME kernel/${name}@qemu COMMAND ${KCHECK} ${ARGN})
    set_tests_properties(kernel/${name}@qemu PROPERTIES TIMEOUT 60 LABELS kernel)
  endfunction()

  kernel_qemu_test(boot-kernel -e "boot: multiboot from 'qemu'" -e "rtjs: ready" -e "rtjs: power-off status=0"
    -- -k ${KELF} -a "poweroff" -t 30)
  kernel_qemu_test(boot-iso -e "boot: multiboot2 from 'GRUB" -e "boot: module 0 'initrd'" -e "rtjs: ready"
    -e "acpi: revision"
    -- -I ${CMAKE_BINARY_DIR}/rtjs-test.iso -t 45)
  # ACPI S5 itself (not the debug-port fallback) must end QEMU.
  kernel_qemu_test(poweroff-acpi -e "rtjs: power-off status=0" -x "did not power off" -x "could not power off"
    -- -k ${KELF} -a "poweroff" -t 30)
  # i440fx has no FADT reset register: the keyboard controller resets.
  kernel_qemu_test(reboot -e "rtjs: reboot" -e "reset through the keyboard controller"
    -- -k ${KELF} -a "reboot" -t 30)
  # q35 (ICH9): FADT reset register, MCFG, and its own PM1 block for S5.
  kernel_qemu_test(q35-reboot -e "reset through the FADT reset register" -x "keyboard controller"
    -- -k ${KELF} -a "reboot" -t 30 -- -machine q35)
  kernel_qemu_test(q35-poweroff -e "MCFG 1" -e "rtjs: ready" -e "rtjs: power-off status=0" -x "did not power off"
    -- -k ${KELF} -a "poweroff" -t 30 -- -machine q35)
  kernel_qemu_test(smp4-madt -e "4 CPUs (APIC ids 0 1 2 3)" -e "smp: 4 CPUs online" -e "rtjs: ready (4 CPUs"
    -e "tlb: CPU 1 read 1 before and 2 after the remap" -e "selftest smp: PASS"
    -- -k ${KELF} -a "selftest=smp poweroff" -s 4 -t 30)
  kernel_qemu_test(nosmp -e "4 CPUs (APIC ids 0 1 2 3)" -e "rtjs: ready (1 CPUs" -x "smp:"
    -- -k ${KELF} -a "nosmp poweroff" -s 4 -t 30)
  kernel_qemu_test(timer-rate -e "(against the HPET)" -e "selftest timer: PASS"
    -- -k ${KELF} -a "selftest=timer poweroff" -t 30)
  # Without an HPET the TSC is calibrated against the PIT.
  kernel_qemu_test(timer-rate-pit -e "(against the PIT)" -e "selftest timer: PASS"
    -- -k ${KELF} -a "selftest=timer poweroff" -t 30 -- -machine hpet=off)
  kernel_qemu_test(irq-ioapic -e "selftest irq: PASS" -e "ISA IRQ 0 -> GSI 2"
    -- -k ${KELF} -a "selftest=irq poweroff" -t 30)
  kernel_qemu_test(heap -e "selftest heap: PASS" -- -k ${KELF} -a "selftest=heap poweroff" -t 30)
  kernel_qemu_test(address-space -e "selftest vm: PASS" -- -k ${KELF} -a "selftest=vm poweroff" -t 30)
  # The hosted program's AVX registers survive interrupts that run kernel C.
  kernel_qemu_test(simd-state -e "ymm0-15 intact across 100 interrupts" -e "saves and restores ymm state"
    -e "selftest simd: PASS"
    -- -k ${KELF} -a "selftest=simd poweroff" -t 30)
  kernel_qemu_test(pagefault -s 3 -e "FATAL: #PF page fault (vector 14)"
    -e "page fault at address 0x00000000deadb000" -e "CR2 00000000deadb000" -e "selftest_pagefault+"
    -e "kmain+" -e "rtjs: power-off status=3" -- -k ${KELF} -a "selftest=pagefault" -t 30)
  kernel_qemu_test(divzero -s 3 -e "FATAL: #DE divide error (vector 0)" -e "selftest_divzero+"
    -- -k ${KELF} -a "selftest=divzero" -t 30)
  kernel_qemu_test(panic -s 3 -e "PANIC: selftest panic requested" -e "selftest_run+"
    -- -k ${KELF} -a "selftest=panic" -t 30)
  # No ACPI at all: the kernel says so, carries on, and powers off through the debug port.
  kernel_qemu_test(no-acpi -e "acpi: no RSDP" -e "rtjs: ready (1 CPUs" -e "selftest heap: PASS"
    -e "rtjs: power-off status=0" -- -k ${KELF} -a "selftest=heap poweroff" -t 30 -- -machine acpi=off)
  # RAM above 4 GiB: direct map and allocator beyond the boot tables.
  kernel_qemu_test(ram-above-4g -e "direct map of 6144 MiB" -e "selftest vm: PASS"
    -- -k ${KELF} -a "selftest=vm poweroff" -m 5G -t 30)
  # Out of memory at start (the runtime's archive leaves 112 MiB almost full): the program's
  # fault ends it, and the machine powers off with its status instead of halting.
  kernel_qemu_test(out-of-memory -s 139 -e "out of memory on a page fault" -e "rtjs: power-off status=139"
    -x "could not power off" -- -k ${KELF} -r ${CMAKE_BINARY_DIR}/initrd-runtime.cpio -m 112M -t 120)
  kernel_qemu_test(initrd-module -e "boot: module 0" -e "rtjs: ready"
    -- -k ${KELF} -r ${KCHECK} -a "poweroff" -t 30)
endif()
