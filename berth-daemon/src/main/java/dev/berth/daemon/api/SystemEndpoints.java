package dev.berth.daemon.api;

import dev.berth.api.types.InfoResponse;
import dev.berth.api.types.VersionResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version} and {@code /info}. */
final class SystemEndpoints {
    static final String PLATFORM = "Berth";
    /**
     * The engine version {@code /version} and {@code /info} report: the Docker Engine release whose API
     * ({@link ApiVersion#MAX}) Berth serves. Clients compare it as a Docker version (Testcontainers
     * refuses an engine below 1.6.0), so Berth's own version, 0.x, would turn them away; it is shown as
     * a component of its own ({@code Berth}), as dockerd lists containerd and runc.
     */
    static final String ENGINE_VERSION = "28.2.2";

    private final SystemInfo system;

    SystemEndpoints(SystemInfo system) {
        this.system = system;
    }

    void register(Routes routes) {
        routes.add("GET", "/_ping", this::ping)
                .add("HEAD", "/_ping", this::ping)
                .add("GET", "/version", request -> Reply.ok(version()))
                .add("GET", "/info", request -> Reply.ok(info()));
    }

    /** {@code /_ping}: {@code OK} for GET, no body for HEAD; the CLI negotiates from the headers. */
    private Reply ping(ApiRequest request) {
        Map<String, String> headers = Map.of(
                "Swarm", "inactive",
                "Cache-Control", "no-cache, no-store, must-revalidate",
                "Pragma", "no-cache");
        String body = request.method().equals("HEAD") ? "" : "OK";
        return new Reply.Text(200, "text/plain; charset=utf-8", body, headers);
    }

    VersionResponse version() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.MAX.text());
        details.put("Arch", goArch());
        details.put("BuildTime", system.buildTime());
        details.put("Experimental", "false");
        details.put("GitCommit", system.gitCommit());
        details.put("GoVersion", runtimeVersion());
        details.put("KernelVersion", system.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.text());
        details.put("Os", "linux");
        VersionResponse.Component engine = new VersionResponse.Component("Engine", ENGINE_VERSION, details);
        VersionResponse.Component berth = new VersionResponse.Component(PLATFORM, system.version(),
                Map.of("GitCommit", system.gitCommit()));
        return new VersionResponse(new VersionResponse.Platform(PLATFORM), List.of(engine, berth), ENGINE_VERSION,
                ApiVersion.MAX.text(), ApiVersion.MIN.text(), system.gitCommit(), runtimeVersion(), "linux", goArch(),
                system.kernelVersion(), false, system.buildTime());
    }

    InfoResponse info() {
        InfoResponse.Plugins plugins = new InfoResponse.Plugins(List.of(), List.of("bridge", "host", "null"), null,
                List.of());
        return new InfoResponse(system.engineId(), 0, 0, 0, 0, 0, "none", List.of(), plugins,
                false, false, false, false, false, false, false, true, false, 0, false, 0,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "none", "none", "2", 0, system.kernelVersion(), system.operatingSystem(), "", "linux",
                unameArch(), "", system.cpus(), system.memTotal(), system.dataRoot(), "", "", "",
                system.hostname(), List.of(), false, ENGINE_VERSION, Map.of(), "",
                InfoResponse.Swarm.inactive(), false, "", "",
                new InfoResponse.Commit(""), new InfoResponse.Commit(""), new InfoResponse.Commit(""),
                List.of(), null);
    }

    private static String runtimeVersion() {
        return "java" + Runtime.version();
    }

    /** The architecture in Go's spelling ({@code GOARCH}), as {@code /version} reports it. */
    private static String goArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case String other -> other;
        };
    }

    /** The architecture as {@code uname -m} spells it, as {@code /info} reports it. */
    private static String unameArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case String other -> other;
        };
    }
}
