/**
 * berthd's composition root: {@code main()} and the wiring of configuration, store, drivers,
 * services, DNS and API, signals and shutdown. Nothing imports this package, and it holds no
 * logic of its own: configuration is {@code daemon.config}, directories and host facts
 * {@code daemon.host}, the reconcile timer {@code daemon.reconcile} (the ArchitectureTest keeps
 * this package to its few classes).
 *
 * <pre>{@code
 * berthd -H unix:///run/berth/berth.sock --data-root /var/lib/berth --config-file /etc/berth/daemon.json
 * }</pre>
 *
 * <p>SIGTERM and SIGINT stop the daemon cleanly (exit 0); kernel state is left in place and
 * re-ensured at the next start.
 */
package dev.berth.daemon;
