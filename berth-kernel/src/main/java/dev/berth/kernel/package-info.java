/**
 * Linux mechanisms reached through {@code java.lang.foreign}: rtnetlink, namespaces, sysctl and
 * nftables. Knows nothing about networks, sandboxes or Docker; speaks only in kernel terms.
 */
package dev.berth.kernel;
