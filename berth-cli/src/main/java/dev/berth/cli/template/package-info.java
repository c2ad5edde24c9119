/**
 * A small Go {@code text/template} subset for {@code --format}, shared by every command that
 * formats output.
 *
 * <pre>{@code
 * Functions fns = Functions.basic();
 * Template t = Template.parse("{{range .IPAM.Config}}{{.Subnet}}{{end}}", fns);
 * GoType schema = RecordTypes.struct(NetworkResource.class);   // network.Inspect
 * String s = t.execute(Typed.decode(schema, jsonNode, ZoneId.systemDefault()), fns);
 * }</pre>
 *
 * <p>Data is seen through {@link dev.berth.cli.template.TemplateValue}: {@link
 * dev.berth.cli.template.Typed} mimics a decoded Go struct (Go field names, zero values,
 * {@code fmt} and {@code json} rendering) of a {@link dev.berth.cli.template.GoType}, which
 * {@link dev.berth.cli.template.RecordTypes} reads from an Engine API record (JSON keys,
 * {@code @GoName}, {@code @GoTime}, {@code NON_EMPTY} as omitempty), {@link
 * dev.berth.cli.template.RawJson} mimics {@code map[string]interface {}} with strict keys, and
 * commands add their own values for
 * method-based contexts (like {@code network ls} rows). Be aware that Go prints maps with sorted
 * keys and that a missing key prints {@code <no value>}; both are reproduced here.
 */
package dev.berth.cli.template;
