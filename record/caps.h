/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * caps.h - give up the capabilities the recorder no longer needs.
 *
 * Opening a source needs the most (CAP_AUDIT_READ for the audit socket;
 * CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN for the BPF program; CAP_AUDIT_CONTROL
 * and more for the command's session). Once the source is open and the
 * command started, the loop only reads what it already holds plus /proc
 * and the runtimes' state, so everything else is dropped.
 */
#ifndef SCA_RECORD_CAPS_H
#define SCA_RECORD_CAPS_H

#include <stdbool.h>

/*
 * Keep only: CAP_SYS_PTRACE (reading other users' /proc/PID/exe and ns),
 * CAP_DAC_READ_SEARCH (container bundles and state owned by others), and
 * with kill_child CAP_KILL (forwarding signals to a command that changed
 * its uid), with new_files CAP_DAC_OVERRIDE (creating rotated traces).
 * Returns 0, or a negative errno; without privileges there is nothing to
 * drop and it returns 0.
 */
int sca_caps__drop(bool kill_child, bool new_files);

#endif
