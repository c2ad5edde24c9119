package dev.berth.daemon.doctor;

import java.util.List;

/**
 * One diagnosis over a {@link HostView}: pure (everything it reads is in the view), so each check
 * has unit tests over a fake view and new ones (NDP proxy entries, reload) slot into
 * {@link Doctor#standardChecks} without touching the others.
 */
@FunctionalInterface
public interface Check {
    /**
     * What the check found: usually one finding, {@link Finding#ok} when all is well; empty when it
     * does not apply (no IPv6 in the kernel, no uplink: other checks say so).
     */
    List<Finding> run(HostView host);
}
