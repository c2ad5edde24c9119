/**
 * berthd's configuration: command-line flags ({@link dev.berth.daemon.config.DaemonFlags}),
 * daemon.json ({@code ConfigFile}), their merge with dockerd's rules into one
 * {@link dev.berth.daemon.config.DaemonConfig} ({@link dev.berth.daemon.config.ConfigLoader}), and
 * the logging it asks for ({@link dev.berth.daemon.config.LogSetup}). {@link dev.berth.daemon.config.ConfigKey}
 * is the one list of options, each applied by a reload (SIGHUP) or only at start;
 * {@link dev.berth.daemon.config.ConfigReload} reloads the file ({@code ConfigDiff}, then the steps the daemon
 * gives it, then the {@code daemon reload} event).
 *
 * <pre>{@code
 * ConfigLoader.Loaded loaded = ConfigLoader.load(DaemonFlags.parse(List.of(args)));
 * LogSetup.configure(loaded.config().logging());
 * }</pre>
 *
 * <p>Calls run one way: the loader reads the flags and the file; neither calls the loader. Options
 * follow dockerd: the same name on the command line and in daemon.json, an option in both places is
 * an error, an unknown option stops start-up with the file and line. Every problem is a
 * {@link dev.berth.daemon.config.ConfigException} whose message is shown as is.
 */
package dev.berth.daemon.config;
