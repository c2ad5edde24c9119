package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import dev.berth.cli.shell.ClientVersion;
import dev.berth.cli.format.GoTime;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.http.EngineClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code berth version}: the client section, then the server's {@code GET /version} in the
 * docker CLI's layout (tabwriter minwidth 20, padding 1). If the daemon cannot be reached the
 * client section is still printed, then the error (exit status 1), as docker does.
 */
public final class VersionCommand extends LeafCommand {

    public VersionCommand() {
        super("version", "Show the Berth version information", Usage.optionsOnly());
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        TabWriter writer = new TabWriter(20, 1, ' ');
        JsonNode server;
        String api;
        try {
            api = invocation.engine().apiVersion();
            server = invocation.engine().getJson("/version", Map.of());
        } catch (DaemonError | ConnectionFailure e) {
            invocation.out().print(writer.format(client(EngineClient.MAX_VERSION)));
            throw e;
        }
        invocation.out().print(writer.format(client(api) + server(server, invocation)) + "\n");
        return 0;
    }

    private static String client(String api) {
        String downgraded = api.equals(EngineClient.MAX_VERSION) ? "" : " (downgraded from " + EngineClient.MAX_VERSION + ")";
        String arch = System.getProperty("os.arch").replace("aarch64", "arm64").replace("x86_64", "amd64");
        return "Client:\n"
                + " Version:\t" + ClientVersion.VERSION + "\n"
                + " API version:\t" + api + downgraded + "\n"
                + " Java version:\t" + Runtime.version() + "\n"
                + " OS/Arch:\tlinux/" + arch + "\n";
    }

    private static String server(JsonNode v, Invocation invocation) {
        String platform = v.path("Platform").path("Name").asText("");
        StringBuilder out = new StringBuilder("\nServer:").append(platform.isEmpty() ? "" : " " + platform);
        JsonNode components = v.path("Components");
        boolean hasEngine = false;
        for (JsonNode c : components) {
            hasEngine |= c.path("Name").asText("").equals("Engine");
        }
        if (!hasEngine) {
            out.append(engine(v.path("Version").asText(""), synthesized(v), invocation));
        }
        for (JsonNode c : components) {
            String name = c.path("Name").asText("");
            if (name.equals("Engine")) {
                out.append(engine(c.path("Version").asText(""), c.path("Details"), invocation));
            } else {
                out.append("\n ").append(name).append(":\n  Version:\t").append(c.path("Version").asText(""));
                TreeMap<String, String> details = new TreeMap<>();
                c.path("Details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asText("")));
                details.forEach((k, val) -> out.append("\n  ").append(k).append(":\t").append(val));
            }
        }
        return out.toString();
    }

    private static JsonNode synthesized(JsonNode v) {
        var details = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String key : List.of("ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion", "Os", "Arch", "BuildTime")) {
            details.put(key, v.path(key).asText(""));
        }
        details.put("Experimental", Boolean.toString(v.path("Experimental").asBoolean(false)));
        return details;
    }

    private static String engine(String version, JsonNode d, Invocation invocation) {
        return "\n Engine:"
                + "\n  Version:\t" + version
                + "\n  API version:\t" + d.path("ApiVersion").asText("") + " (minimum version " + d.path("MinAPIVersion").asText("") + ")"
                + "\n  Go version:\t" + d.path("GoVersion").asText("")
                + "\n  Git commit:\t" + d.path("GitCommit").asText("")
                + "\n  Built:\t" + reformat(d.path("BuildTime").asText(""), invocation)
                + "\n  OS/Arch:\t" + d.path("Os").asText("") + "/" + d.path("Arch").asText("")
                + "\n  Experimental:\t" + d.path("Experimental").asText("");
    }

    /** Docker's {@code reformatDate}: RFC 3339 becomes ANSIC, anything else is kept. */
    private static String reformat(String buildTime, Invocation invocation) {
        try {
            return GoTime.parse(buildTime, invocation.zone()).ansic();
        } catch (IllegalArgumentException e) {
            return buildTime;
        }
    }
}
