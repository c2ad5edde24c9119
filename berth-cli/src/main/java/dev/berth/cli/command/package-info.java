/**
 * The commands themselves: {@code network ls/inspect/create/rm/prune}, {@code events} (also
 * under {@code system}), {@code version}, {@code info}, and sandbox lifecycle: {@code run},
 * {@code exec}, {@code ps}, {@code rm}; later {@code network connect/disconnect}.
 *
 * <pre>{@code
 * public final class NetworkRemove extends LeafCommand { ... }   // then register it in Main.commands()
 * }</pre>
 *
 * <p>Output is the contract: each command reproduces what the docker CLI 28.2 prints for the same
 * daemon answer. List commands go through {@link dev.berth.cli.command.ListFormat} (docker's
 * formatter: table/json/template, tabwriter); inspect-style commands print the daemon's raw JSON
 * re-indented, so never re-serialize it through records. Templates over inspected objects see
 * the Go struct first (read from the API record by {@link dev.berth.cli.template.RecordTypes}),
 * then the raw map. Requests are part of the contract too: {@code network create} reproduces docker's client-side IPAM
 * checks ({@link dev.berth.cli.command.IpamFlags}) and body, {@code rm} does GET then DELETE per
 * name. Prompts ({@link dev.berth.cli.command.Confirmation}) read {@link
 * dev.berth.cli.Invocation#in()}. The one intended difference: {@code network create} shows the
 * daemon's {@code Warning}. {@code run} and {@code exec} are Berth's own: {@code run} uses the
 * Berth extension of the container API (create with {@code Cmd}, start, raw {@code logs}
 * follow, {@code wait}); {@code exec} runs {@code nsenter} on the sandbox process's PID itself,
 * so it needs root on the daemon's host ({@link dev.berth.cli.command.ExecCommand}).
 */
package dev.berth.cli.command;
