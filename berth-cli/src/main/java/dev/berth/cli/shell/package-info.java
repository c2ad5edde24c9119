/**
 * The CLI's command framework: commands and groups, the registry, flag parsing, the invocation
 * context (streams, environment, daemon client) and usage errors.
 *
 * <pre>{@code
 * final class NetworkRemove extends LeafCommand {             // in dev.berth.cli.command
 *     NetworkRemove() {
 *         super("rm", "Remove one or more networks", Usage.atLeast(1, "NETWORK [NETWORK...]"), "remove");
 *     }
 *     // flags() (none by default), run(invocation, options)
 * }
 * registry.add(new CommandGroup("network", ...).add(new NetworkRemove()));
 * }</pre>
 *
 * <p>Commands live in {@code dev.berth.cli.command} and only depend on this package, so the
 * composition in {@code Main} never creates a package cycle.
 */
package dev.berth.cli.shell;
