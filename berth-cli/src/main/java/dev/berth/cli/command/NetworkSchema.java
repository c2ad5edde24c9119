package dev.berth.cli.command;

import static dev.berth.cli.template.GoType.BOOL;
import static dev.berth.cli.template.GoType.INT;
import static dev.berth.cli.template.GoType.STRING;
import static dev.berth.cli.template.GoType.TIME;

import dev.berth.cli.template.GoType;
import dev.berth.cli.template.GoType.Field;
import dev.berth.cli.template.GoType.MapOf;
import dev.berth.cli.template.GoType.SliceOf;
import dev.berth.cli.template.GoType.Struct;
import java.util.List;

/**
 * The Go type the docker CLI decodes a network into ({@code network.Inspect}, API 1.50), so
 * templates see Go field names ({@code .ID}, {@code .IPAM.Config}, {@code .AuxAddress}) and
 * {@code {{json .}}} re-encodes in Go's struct order.
 */
final class NetworkSchema {

    static final Struct IPAM_CONFIG = new Struct("network.IPAMConfig", List.of(
            new Field("Subnet", "Subnet", STRING, true),
            new Field("IPRange", "IPRange", STRING, true),
            new Field("Gateway", "Gateway", STRING, true),
            new Field("AuxAddress", "AuxiliaryAddresses", new MapOf(STRING), true)));

    static final Struct IPAM = new Struct("network.IPAM", List.of(
            Field.of("Driver", STRING),
            Field.of("Options", new MapOf(STRING)),
            Field.of("Config", new SliceOf(IPAM_CONFIG))));

    static final Struct ENDPOINT = new Struct("network.EndpointResource", List.of(
            Field.of("Name", STRING), Field.of("EndpointID", STRING), Field.of("MacAddress", STRING),
            Field.of("IPv4Address", STRING), Field.of("IPv6Address", STRING)));

    static final Struct PEER = new Struct("network.PeerInfo", List.of(Field.of("Name", STRING), Field.of("IP", STRING)));

    static final Struct TASK = new Struct("network.Task", List.of(
            Field.of("Name", STRING), Field.of("EndpointID", STRING), Field.of("EndpointIP", STRING),
            Field.of("Info", new MapOf(STRING))));

    static final Struct SERVICE = new Struct("network.ServiceInfo", List.of(
            Field.of("VIP", STRING), Field.of("Ports", new SliceOf(STRING)),
            Field.of("LocalLBIndex", INT), Field.of("Tasks", new SliceOf(TASK))));

    /** {@code network.Inspect} (also what {@code GET /networks} list entries decode into). */
    static final Struct INSPECT = new Struct("network.Inspect", List.of(
            Field.of("Name", STRING),
            new Field("ID", "Id", STRING, false),
            Field.of("Created", TIME),
            Field.of("Scope", STRING),
            Field.of("Driver", STRING),
            Field.of("EnableIPv4", BOOL),
            Field.of("EnableIPv6", BOOL),
            Field.of("IPAM", IPAM),
            Field.of("Internal", BOOL),
            Field.of("Attachable", BOOL),
            Field.of("Ingress", BOOL),
            Field.of("ConfigFrom", new Struct("config.ConfigReference", List.of(Field.of("Network", STRING)))),
            Field.of("ConfigOnly", BOOL),
            Field.of("Containers", new MapOf(ENDPOINT)),
            Field.of("Options", new MapOf(STRING)),
            Field.of("Labels", new MapOf(STRING)),
            new Field("Peers", "Peers", new SliceOf(PEER), true),
            new Field("Services", "Services", new MapOf(SERVICE), true)));

    private NetworkSchema() {
    }

    /** The type of one network. */
    static GoType network() {
        return INSPECT;
    }
}
