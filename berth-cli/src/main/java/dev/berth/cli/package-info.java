/**
 * The {@code berth} command line: global options, a tiny command registry, pflag-like flag
 * parsing and docker's usage-error conventions. No CLI library, no reflection.
 *
 * <pre>{@code
 * int status = Main.run(new String[] {"-H", "unix:///tmp/b.sock", "network", "ls"}, env, out, err);
 * }</pre>
 *
 * <p>Add a command by subclassing {@link dev.berth.cli.shell.LeafCommand} in {@code cli.command} and
 * registering it in {@link dev.berth.cli.Main#commands()} (or in a {@link
 * dev.berth.cli.shell.CommandGroup}'s registry). Exit statuses follow docker: 125 for flag errors, 1
 * for unknown commands, argument-count errors and failures, 64 for an unparsable inspect
 * template. The daemon address comes from {@code -H}, then {@code BERTH_HOST}; {@code
 * DOCKER_HOST} is deliberately ignored.
 */
package dev.berth.cli;
