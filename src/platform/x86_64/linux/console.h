/* The program's console: fds 0, 1, 2 and /dev/console are the serial line (COM1).
 * Output translates "\n" to "\r\n" as a terminal's ONLCR does. Input: without the `tty`
 * kernel flag, "\r" becomes "\n" (ICRNL) and the console does not claim to be a terminal,
 * so programs read plain lines; with `tty`, bytes pass raw and TCGETS succeeds, so a line
 * editor in the program can take over. */
#ifndef RTJS_LINUX_CONSOLE_H
#define RTJS_LINUX_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_init(int tty);
int console_is_tty(void);
void console_write(const char *buf, size_t n);
/* Bytes pass between the program's memory and the console through a buffer of this size on
 * the kernel's stack (user_copy, which may fault, fills or empties it). */
#define CONSOLE_BOUNCE 256
/* The program's n bytes at buf (checked with user_access) as one piece of the output, no
 * other write inside it: n, what was written before a page of buf went away, or -EFAULT. */
long console_write_user(const char *buf, size_t n);
/* Bytes waiting to be read. */
size_t console_pending(void);
/* Reads up to n bytes into the program's buf (checked with user_access); waits for at least
 * one unless nonblock (then -EAGAIN). Bytes whose copy faults stay unread: the count copied
 * before a page of buf went away, or -EFAULT if none was. */
long console_read_user(char *buf, size_t n, int nonblock);
/* Waits (interrupts enabled) until input arrives or the monotonic clock passes deadline_ns
 * (UINT64_MAX: no deadline); returns 1 if input is waiting. */
int console_wait(uint64_t deadline_ns);
/* Waits with interrupts enabled until the monotonic clock passes deadline_ns. */
void sleep_until(uint64_t deadline_ns);

#endif
