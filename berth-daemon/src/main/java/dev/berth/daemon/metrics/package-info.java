/**
 * The Prometheus endpoint ({@code metrics-addr}, dockerd's option): the registry, its metrics and
 * the HTTP server that serves them at {@code /metrics}, with the Prometheus Java client library
 * (the only package that uses it). The rest of the daemon knows nothing of it: the parts that see
 * what is counted tell small interfaces of their own ({@code daemon.api.RequestObserver},
 * {@code daemon.dns.DnsObserver}, {@code kernel.ffm.KernelErrors}, the firewall's
 * {@code NftScriptRunner}), the change stream tells of events and reconcile repairs, and the gauges read the
 * state when scraped. {@link dev.berth.daemon.metrics.Metrics#off()} hands out observers that do
 * nothing and loads none of the library.
 */
package dev.berth.daemon.metrics;
