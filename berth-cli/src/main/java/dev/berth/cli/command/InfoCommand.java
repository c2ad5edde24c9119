package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.shell.ClientVersion;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth info}: a docker-like summary of {@code GET /info} (the parts that concern a
 * networking daemon). Daemon warnings go to stderr, as docker prints them.
 */
public final class InfoCommand extends LeafCommand {

    private static final List<String> BINARY_UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");

    public InfoCommand() {
        super("info", "Display system-wide information", Usage.optionsOnly());
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        StringBuilder out = new StringBuilder("Client:\n Version:    " + ClientVersion.VERSION + "\n Debug Mode: false\n\n");
        JsonNode info = invocation.engine().getJson("/info", Map.of());
        out.append("Server:\n");
        line(out, " Containers: ", info, "Containers");
        line(out, "  Running: ", info, "ContainersRunning");
        line(out, "  Paused: ", info, "ContainersPaused");
        line(out, "  Stopped: ", info, "ContainersStopped");
        line(out, " Images: ", info, "Images");
        line(out, " Server Version: ", info, "ServerVersion");
        line(out, " Storage Driver: ", info, "Driver");
        line(out, " Logging Driver: ", info, "LoggingDriver");
        line(out, " Cgroup Driver: ", info, "CgroupDriver");
        line(out, " Cgroup Version: ", info, "CgroupVersion");
        JsonNode plugins = info.path("Plugins");
        out.append(" Plugins:\n");
        out.append("  Volume: ").append(join(plugins.path("Volume"))).append('\n');
        out.append("  Network: ").append(join(plugins.path("Network"))).append('\n');
        out.append("  Log: ").append(join(plugins.path("Log"))).append('\n');
        out.append(" Swarm: ").append(info.path("Swarm").path("LocalNodeState").asText("")).append('\n');
        line(out, " Kernel Version: ", info, "KernelVersion");
        line(out, " Operating System: ", info, "OperatingSystem");
        line(out, " OSType: ", info, "OSType");
        line(out, " Architecture: ", info, "Architecture");
        line(out, " CPUs: ", info, "NCPU");
        out.append(" Total Memory: ").append(bytesSize(info.path("MemTotal").asDouble(0))).append('\n');
        line(out, " Name: ", info, "Name");
        line(out, " ID: ", info, "ID");
        line(out, " Docker Root Dir: ", info, "DockerRootDir");
        out.append(" Debug Mode: ").append(info.path("Debug").asBoolean(false)).append('\n');
        out.append(" Experimental: ").append(info.path("ExperimentalBuild").asBoolean(false)).append('\n');
        out.append(" Live Restore Enabled: ").append(info.path("LiveRestoreEnabled").asBoolean(false)).append("\n\n");
        invocation.out().print(out);
        info.path("Warnings").forEach(w -> invocation.err().println(w.asText()));
        return 0;
    }

    private static void line(StringBuilder out, String label, JsonNode info, String field) {
        JsonNode value = info.path(field);
        out.append(label).append(value.isMissingNode() || value.isNull() ? (value.isNumber() ? "0" : defaultFor(field)) : value.asText()).append('\n');
    }

    private static String defaultFor(String field) {
        return field.startsWith("Containers") || field.equals("Images") || field.equals("NCPU") ? "0" : "";
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return String.join(" ", items);
    }

    /** go-units {@code BytesSize}: binary units, {@code %.4g}. */
    static String bytesSize(double size) {
        int unit = 0;
        while (size >= 1024 && unit < BINARY_UNITS.size() - 1) {
            size /= 1024;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
        return rounded.toPlainString() + BINARY_UNITS.get(unit);
    }
}
