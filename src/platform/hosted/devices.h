/*
 * The simulated PC behind the hosted platform's device functions (platform.h "Devices"):
 * port I/O, physical memory windows, DMA memory and IRQ lines go to the models in sim/.
 *
 * What platform.c does with it:
 *   - platform_init calls sim_devices_init(argc, argv) first; it consumes the simulator's
 *     options and starts the device thread (timers, IRQ delivery, scripted keys) and, unless
 *     headless, the SDL window's own thread. Nothing has to run on main().
 *   - platform_shutdown calls sim_devices_shutdown (takes the screenshot, stops threads).
 *   - COM1: the console side decides where serial goes. sim_devices_uart_set_output installs
 *     the byte sink (default: discarded, or the --serial-log file); sim_devices_uart_input
 *     feeds bytes typed on the terminal (held until a driver attaches IRQ 4).
 *
 * Options (removed from argv; only those before the app's path or "--"):
 *   --headless          no SDL window even if a display exists
 *   --framebuffer WxH[xBPP] a linear framebuffer (32 bpp x8r8g8b8, or 24 bpp, at 0xFD000000:
 *                       sim/framebuffer.h)
 *                       instead of the VGA text screen, as a UEFI machine has; window,
 *                       --screenshot and platform_framebuffer show it
 *   --keys TEXT         scripted keyboard input, notation in sim/keyscript.h
 *                       (e.g. --keys '6*7\n'); keys are typed once the guest has enabled
 *                       the keyboard and attached IRQ 1, each after the previous one was read
 *   --screenshot FILE   save the screen as PNG at shutdown, and whenever the process
 *                       gets SIGUSR1 (kill -USR1 <pid>)
 *   --serial-log FILE   append what the guest writes to COM1 to FILE
 *   --serial-input TEXT bytes for COM1's receiver (escapes \n \r \t \e \\), delivered
 *                       once a driver has attached IRQ 4, as terminal input is
 *   --trace             print device trace points (same as RTJS_SIM_TRACE=1)
 *   --no-pci-testdev    leave out the sim's PCI test device (00:03.0, 1234:5153: I/O BAR,
 *                       64-bit memory BAR, capabilities, INTA on IRQ 11; sim/pci-testdev.h)
 *   --net SPEC          a virtio-net PCI function (00:04.0, INTA on IRQ 10) on the network
 *                       SPEC names (net.h: "user[,hostfwd=tcp:127.0.0.1:8080-:80][,mac=...]")
 *   --net-faults SPEC   drop/duplicate/reorder/corrupt a share of frames, seeded (net.h)
 *   --rng               a virtio-rng PCI function (00:05.0, INTA on IRQ 5)
 *   --virtio-fault K@N  virtio-net misbehaves at its completion N: K is used-jump (used index
 *                       jumps), bad-id (descriptor id out of range) or bad-len (length past
 *                       the buffer); for driver tests
 * Each option also accepts the --opt=VALUE form.
 */
#ifndef RTJS_HOSTED_DEVICES_H
#define RTJS_HOSTED_DEVICES_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0, or a negative errno after printing what was wrong with the options. */
int sim_devices_init(int *argc, char **argv);
/* The help text for the options sim_devices_init consumes. */
const char *sim_devices_options_help(void);
/* Safe to call twice, and from the window's thread (window closed). */
void sim_devices_shutdown(void);

/* Where the guest's COM1 bytes go. fn runs on the thread doing the port write, with the
 * UART locked: copy the byte, do not call back into the devices. NULL: discard. */
void sim_devices_uart_set_output(void (*fn)(void *ctx, uint8_t byte), void *ctx);
/* Queues bytes for COM1's receiver (delivered as the guest drains its FIFO). Returns how many
 * were queued (fewer when the 64 KiB queue is full). */
size_t sim_devices_uart_input(const uint8_t *bytes, size_t len);
/* Writes the screen (VGA text, or the framebuffer) to a PNG file now. 0 or -errno. */
int sim_devices_screenshot(const char *path);
/* Runs on the window's thread when the user closes it; default: the machine ends with status
 * 0 (platform_shutdown, then _exit, from the device thread). */
void sim_devices_set_quit_handler(void (*fn)(void *ctx), void *ctx);

#endif
