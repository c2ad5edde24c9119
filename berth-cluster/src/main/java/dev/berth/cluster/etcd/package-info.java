/**
 * etcd as Berth uses it, through jetcd: string keys and byte values, leases with keep-alive,
 * compare-and-swap transactions (create only if absent, delete only if unchanged), prefix reads
 * and prefix watches. Knows nothing of networks: the daemon's {@code cluster} package gives the
 * keys their meaning.
 */
package dev.berth.cluster.etcd;
