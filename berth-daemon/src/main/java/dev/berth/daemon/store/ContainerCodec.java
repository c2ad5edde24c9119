package dev.berth.daemon.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.model.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link ContainerConfig}: an object of the store's own keys (not the
 * record's component names, so renaming a component never changes what is on disk). A key that is
 * missing reads as its default, so keys can be added without a new record version.
 */
final class ContainerCodec {
    private ContainerCodec() {
    }

    static ObjectNode encode(ObjectMapper mapper, ContainerConfig c) {
        ObjectNode o = mapper.createObjectNode();
        o.put("image", c.image()).put("imageId", c.imageId());
        strings(o.putArray("entrypoint"), c.entrypoint());
        strings(o.putArray("cmd"), c.cmd());
        strings(o.putArray("env"), c.env());
        o.put("workingDir", c.workingDir()).put("user", c.user()).put("tty", c.tty()).put("openStdin", c.openStdin())
                .put("stdinOnce", c.stdinOnce()).put("readOnlyRootfs", c.readOnlyRootfs())
                .put("privileged", c.privileged()).put("stopSignal", c.stopSignal());
        ArrayNode mounts = o.putArray("mounts");
        for (ContainerConfig.Mount m : c.mounts()) {
            ObjectNode n = mounts.addObject().put("type", m.type()).put("source", m.source()).put("target", m.target())
                    .put("readOnly", m.readOnly());
            strings(n.putArray("options"), m.options());
        }
        ContainerConfig.Resources r = c.resources();
        o.putObject("resources").put("memory", r.memoryBytes()).put("nanoCpus", r.nanoCpus())
                .put("pidsLimit", r.pidsLimit()).put("cpuQuota", r.cpuQuota()).put("cpuPeriod", r.cpuPeriod());
        strings(o.putArray("capAdd"), c.capAdd());
        strings(o.putArray("capDrop"), c.capDrop());
        o.putObject("restart").put("name", c.restart().name()).put("max", c.restart().maximumRetryCount());
        if (c.stopTimeout() != null) {
            o.put("stopTimeout", c.stopTimeout());
        }
        map(o.putObject("labels"), c.labels());
        o.putObject("log").put("maxSize", c.log().maxSizeBytes()).put("maxFiles", c.log().maxFiles());
        ContainerConfig.Shown s = c.shown();
        ObjectNode shown = o.putObject("shown").put("domainname", s.domainname()).put("attachStdin", s.attachStdin())
                .put("attachStdout", s.attachStdout()).put("attachStderr", s.attachStderr())
                .put("logType", s.logType());
        strings(shown.putArray("exposedPorts"), s.exposedPorts());
        s.consoleSize().forEach(shown.putArray("consoleSize")::add);
        strings(shown.putArray("binds"), s.binds());
        map(shown.putObject("tmpfs"), s.tmpfs());
        map(shown.putObject("logConfig"), s.logConfig());
        return o;
    }

    static ContainerConfig decode(JsonNode o) {
        List<ContainerConfig.Mount> mounts = new ArrayList<>();
        o.path("mounts").forEach(m -> mounts.add(new ContainerConfig.Mount(m.path("type").asText(),
                m.path("source").asText(), m.path("target").asText(), m.path("readOnly").asBoolean(),
                strings(m.path("options")))));
        JsonNode r = o.path("resources");
        JsonNode s = o.path("shown");
        List<Integer> console = new ArrayList<>();
        s.path("consoleSize").forEach(n -> console.add(n.asInt()));
        ContainerConfig.Shown shown = new ContainerConfig.Shown(s.path("domainname").asText(""),
                strings(s.path("exposedPorts")), s.path("attachStdin").asBoolean(), s.path("attachStdout").asBoolean(),
                s.path("attachStderr").asBoolean(), console, strings(s.path("binds")), map(s.path("tmpfs")),
                s.path("logType").asText(""), map(s.path("logConfig")));
        JsonNode timeout = o.get("stopTimeout");
        return new ContainerConfig(o.path("image").asText(), o.path("imageId").asText(), strings(o.path("entrypoint")),
                strings(o.path("cmd")), strings(o.path("env")), o.path("workingDir").asText(""),
                o.path("user").asText(""), o.path("tty").asBoolean(), o.path("openStdin").asBoolean(),
                o.path("stdinOnce").asBoolean(), mounts, o.path("readOnlyRootfs").asBoolean(),
                new ContainerConfig.Resources(r.path("memory").asLong(), r.path("nanoCpus").asLong(),
                        r.path("pidsLimit").asLong(), r.path("cpuQuota").asLong(), r.path("cpuPeriod").asLong()),
                strings(o.path("capAdd")), strings(o.path("capDrop")), o.path("privileged").asBoolean(),
                new ContainerConfig.RestartPolicy(o.path("restart").path("name").asText("no"),
                        o.path("restart").path("max").asInt()),
                o.path("stopSignal").asText(""), timeout == null || timeout.isNull() ? null : timeout.asInt(),
                map(o.path("labels")),
                new ContainerConfig.LogOptions(o.path("log").path("maxSize").asLong(),
                        o.path("log").path("maxFiles").asInt(1)),
                shown);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void map(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
