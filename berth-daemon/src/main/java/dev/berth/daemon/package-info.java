/**
 * berthd's composition root: command line and daemon.json, logging, directories, wiring of store,
 * drivers, service and API, signals and shutdown. Nothing imports this package.
 *
 * <pre>{@code
 * berthd -H unix:///run/berth/berth.sock --data-root /var/lib/berth --config-file /etc/berth/daemon.json
 * }</pre>
 *
 * <p>Options follow dockerd: the same name on the command line and in daemon.json, an option in
 * both places is an error, an unknown option stops start-up with the file and line. SIGTERM and
 * SIGINT stop the daemon cleanly (exit 0); kernel state is left in place and re-ensured at the
 * next start.
 */
package dev.berth.daemon;
