package dev.berth.daemon.dns;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Test data: networks, sandboxes and endpoints with readable ids. */
final class Tables {
    private Tables() {
    }

    static String hex(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    static Network network(String name, char id, boolean internal) {
        return new Network(new NetworkId(hex(id, 64)), name, "bridge", Instant.EPOCH, "local",
                new Network.Ipam("default", null, List.of()),
                new Network.Flags(true, true, internal, false, false, false), new TreeMap<>(Map.of()), new TreeMap<>());
    }

    static Sandbox sandbox(String name, char id) {
        return new Sandbox(new SandboxId(hex(id, 64)), name, hex(id, 12), "/run/netns/" + name, Instant.EPOCH, "net1");
    }

    static NameTable.Entry entry(Network n, Sandbox s, String v4, String v6, String... aliases) {
        Endpoint e = new Endpoint(new EndpointId(n.id().value().substring(0, 32)
                + s.id().value().substring(32)), n.id(), s.id(), "eth0", "veth1234567",
                "02:00:00:00:00:01", v4 == null ? null : IpPrefix.parse(v4), v6 == null ? null : IpPrefix.parse(v6),
                List.of(aliases), Endpoint.Requested.NONE);
        return new NameTable.Entry(n, s, e);
    }

    /**
     * A table where {@code c1} (sandbox id 1...) is on one user-defined network that is not
     * internal: its questions for names outside the table may be forwarded.
     */
    static NameTable forwarding() {
        return NameTable.build(List.of(entry(network("net1", 'a', false), sandbox("c1", '1'), "172.18.0.2/16", null)));
    }

    static byte[] query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)).toWire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
