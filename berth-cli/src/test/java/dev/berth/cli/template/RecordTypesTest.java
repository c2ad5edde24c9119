package dev.berth.cli.template;

import static dev.berth.cli.template.GoType.BOOL;
import static dev.berth.cli.template.GoType.INT;
import static dev.berth.cli.template.GoType.STRING;
import static dev.berth.cli.template.GoType.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.types.GoName;
import dev.berth.api.types.GoTime;
import dev.berth.api.types.NetworkResource;
import dev.berth.cli.template.GoType.Field;
import dev.berth.cli.template.GoType.MapOf;
import dev.berth.cli.template.GoType.SliceOf;
import dev.berth.cli.template.GoType.Struct;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTypesTest {

    /**
     * The docker CLI's {@code network.Inspect} (API 1.50) as it was written by hand before the
     * CLI read it from {@link NetworkResource}: Go names ({@code ID}, {@code AuxAddress}), the
     * {@code time.Time}, the omitempty fields and the swarm-only {@code Peers}/{@code Services}.
     */
    private static final Struct HAND_WRITTEN_INSPECT;

    static {
        Struct ipamConfig = new Struct("network.IPAMConfig", List.of(
                new Field("Subnet", "Subnet", STRING, true),
                new Field("IPRange", "IPRange", STRING, true),
                new Field("Gateway", "Gateway", STRING, true),
                new Field("AuxAddress", "AuxiliaryAddresses", new MapOf(STRING), true)));
        Struct ipam = new Struct("network.IPAM", List.of(
                Field.of("Driver", STRING),
                Field.of("Options", new MapOf(STRING)),
                Field.of("Config", new SliceOf(ipamConfig))));
        Struct endpoint = new Struct("network.EndpointResource", List.of(
                Field.of("Name", STRING), Field.of("EndpointID", STRING), Field.of("MacAddress", STRING),
                Field.of("IPv4Address", STRING), Field.of("IPv6Address", STRING)));
        Struct peer = new Struct("network.PeerInfo", List.of(Field.of("Name", STRING), Field.of("IP", STRING)));
        Struct task = new Struct("network.Task", List.of(
                Field.of("Name", STRING), Field.of("EndpointID", STRING), Field.of("EndpointIP", STRING),
                Field.of("Info", new MapOf(STRING))));
        Struct service = new Struct("network.ServiceInfo", List.of(
                Field.of("VIP", STRING), Field.of("Ports", new SliceOf(STRING)),
                Field.of("LocalLBIndex", INT), Field.of("Tasks", new SliceOf(task))));
        HAND_WRITTEN_INSPECT = new Struct("network.Inspect", List.of(
                Field.of("Name", STRING),
                new Field("ID", "Id", STRING, false),
                Field.of("Created", TIME),
                Field.of("Scope", STRING),
                Field.of("Driver", STRING),
                Field.of("EnableIPv4", BOOL),
                Field.of("EnableIPv6", BOOL),
                Field.of("IPAM", ipam),
                Field.of("Internal", BOOL),
                Field.of("Attachable", BOOL),
                Field.of("Ingress", BOOL),
                Field.of("ConfigFrom", new Struct("config.ConfigReference", List.of(Field.of("Network", STRING)))),
                Field.of("ConfigOnly", BOOL),
                Field.of("Containers", new MapOf(endpoint)),
                Field.of("Options", new MapOf(STRING)),
                Field.of("Labels", new MapOf(STRING)),
                new Field("Peers", "Peers", new SliceOf(peer), true),
                new Field("Services", "Services", new MapOf(service), true)));
    }

    @Test
    void theNetworkRecordIsTheHandWrittenGoStruct() {
        assertEquals(HAND_WRITTEN_INSPECT, RecordTypes.struct(NetworkResource.class));
    }

    /** Component-level inclusion wins over the record's, as in Jackson; only NON_EMPTY is omitempty. */
    @Test
    void omitEmptyComesFromNonEmptyOnTheComponentOrElseTheRecord() {
        assertEquals(new Struct("t.Mixed", List.of(
                new Field("A", "A", STRING, true),
                new Field("B", "B", BOOL, false),
                new Field("C", "C", new SliceOf(INT), false))), RecordTypes.struct(Mixed.class));
    }

    @Test
    void recordsWithoutAGoNameOrGoCounterpartAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RecordTypes.struct(Unnamed.class));
        assertThrows(IllegalArgumentException.class, () -> RecordTypes.struct(NotATime.class));
        assertThrows(IllegalArgumentException.class, () -> RecordTypes.struct(IntKeys.class));
    }

    @GoName("t.Mixed")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Mixed(@JsonProperty("A") String a,
                 @JsonProperty("B") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean b,
                 @JsonProperty("C") @JsonInclude(JsonInclude.Include.ALWAYS) List<Long> c) {
    }

    record Unnamed(@JsonProperty("A") String a) {
    }

    @GoName("t.NotATime")
    record NotATime(@JsonProperty("T") @GoTime long t) {
    }

    @GoName("t.IntKeys")
    record IntKeys(@JsonProperty("M") java.util.Map<Integer, String> m) {
    }
}
