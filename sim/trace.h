/*
 * Trace points of the simulated devices.
 *
 * Every misuse of a device register (unknown port, bad width, command the model does not
 * implement) goes through sim_trace, never printf: it prints to stderr only when tracing is
 * on (environment RTJS_SIM_TRACE set and not "0", or sim_trace_enable(1)), and always
 * counts, so that tests can check that a misuse was noticed.
 */
#ifndef RTJS_SIM_TRACE_H
#define RTJS_SIM_TRACE_H

void sim_trace(const char *dev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_trace_enable(int on);
/* Number of trace events since start (counted whether printed or not). */
unsigned long sim_trace_count(void);

#endif
