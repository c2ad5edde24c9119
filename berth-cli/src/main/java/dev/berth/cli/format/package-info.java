/**
 * Byte-exact ports of the Go text routines the docker CLI's output depends on.
 *
 * <pre>{@code
 * String table = TabWriter.dockerTable().format("NETWORK ID\tNAME\n" + rows);
 * String pretty = JsonText.indent(rawJson, "", "    ");
 * rows.sort(Comparator.comparing(Row::name, NaturalOrder.INSTANCE));
 * }</pre>
 *
 * <p>{@link dev.berth.cli.format.TabWriter} is {@code text/tabwriter} (flags 0), {@link
 * dev.berth.cli.format.JsonText} is {@code json.Indent}/{@code json.Compact}, {@link
 * dev.berth.cli.format.NaturalOrder} is {@code sortorder.NaturalLess}, {@link
 * dev.berth.cli.format.GoJson} is {@code encoding/json} string quoting and {@link
 * dev.berth.cli.format.GoTime} is {@code time.Time} parsing and printing, {@link
 * dev.berth.cli.format.JsonWriter} is {@code json.Encoder} output for request bodies, and {@link
 * dev.berth.cli.format.GoTimestamp} (with {@link dev.berth.cli.format.GoDuration} and {@link
 * dev.berth.cli.format.GoLayout}) is the docker client's {@code --since/--until} conversion,
 * Go's error texts included. Be aware that widths count code points (Go runes), not display
 * columns, exactly like Go, and that {@code GoLayout} knows only the layout elements docker uses.
 */
package dev.berth.cli.format;
