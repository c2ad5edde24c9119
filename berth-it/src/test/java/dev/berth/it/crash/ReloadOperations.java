package dev.berth.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import java.time.Duration;
import java.util.List;

/**
 * Reloads under crash test (SIGHUP after daemon.json changed): one that turns IPv6 on for the
 * default bridge, one that gives it another {@code bip6}/{@code fixed-cidr-v6} (every sandbox on it
 * renumbered, the gateway and prefix length moved). Each starts from its old configuration with
 * three sandboxes on the default bridge: two running a process (so their {@code /etc/hosts} must
 * follow), one of them with a published port, and one without a process.
 *
 * <p>The reload is acknowledged when the daemon logs {@code Reloaded configuration}. A daemon
 * killed during it starts again with the new daemon.json, so after the restart the API must show
 * the new configuration whole and the kernel must match it ({@link Convergence}: every endpoint's
 * addresses with their prefix lengths, IPv6 default routes, no stray address on a sandbox or a
 * bridge, hosts files); a kill before the store write converges through the start-up re-addressing,
 * one after it through the restore. Finishing it is the reload again. A third,
 * {@code reload-renumber-reverted}, puts the old daemon.json back before the restart: the old
 * configuration must then be there whole (the start-up renumbers back what the reload had stored).
 * It runs in full mode only ({@link CrashIT}).
 */
final class ReloadOperations {
    /** The configuration of a fresh testbed (no daemon.json): IPv6 off. */
    static final String FIRST = "{}\n";
    private static final String V6_1 = "{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\"}\n";
    private static final String V6_2 = "{\"ipv6\": true, \"bip6\": \"2001:db8:2::1/64\", \"fixed-cidr-v6\": \"2001:db8:2::/80\"}\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(20);

    private ReloadOperations() {
    }

    static List<CrashOperation> all() {
        return List.of(reload("reload-ipv6-on", FIRST, V6_1, "2001:db8:1::/80", false),
                reload("reload-renumber", V6_1, V6_2, "2001:db8:2::/64", false),
                reload("reload-renumber-reverted", V6_1, V6_2, "2001:db8:1::/80", true));
    }

    /**
     * A reload from {@code from} to {@code to}. Its effect after a restart is the default bridge on
     * {@code subnet}: the new one, or with {@code reverted} (the user puts the old daemon.json back
     * before the restart) the old one, whole, whatever the killed reload had stored and changed.
     */
    private static CrashOperation reload(String name, String from, String to, String subnet, boolean reverted) {
        String restartWith = reverted ? from : to;
        return new CrashOperation(name,
                (bed, marker) -> {
                    configure(bed, from).assertSuccess();
                    CrashOperation.berth(bed, "run", "-d", "--name", "r1", "-p", "8090:80", "--", "sleep", marker)
                            .assertSuccess();
                    CrashOperation.berth(bed, "run", "-d", "--name", "r2", "--", "sleep", marker).assertSuccess();
                    bed.docker().ok("create", "--name", "c3", "x");
                },
                (bed, marker) -> configure(bed, to),
                (bed, marker) -> ipv6Subnet(bed).equals(subnet),
                (bed, marker) -> configure(bed, restartWith),
                bed -> {
                    CommandResult back = configure(bed, FIRST);
                    return back.exitCode() == 0 ? List.of()
                            : List.of("cleanup: the reload back to the first configuration fails: " + back.stdout());
                },
                bed -> bed.daemon().writeConfig(restartWith));
    }

    /**
     * Writes daemon.json and sends SIGHUP; exit 0 with the outcome line when the daemon logged
     * {@code Reloaded configuration}, 1 when it refused the file or died first.
     */
    static CommandResult configure(Testbed bed, String json) {
        List<String> argv = List.of("kill", "-HUP", Long.toString(bed.daemon().pid()));
        bed.daemon().writeConfig(json);
        int before = bed.daemon().reloadLines().size();
        bed.daemon().sighup();
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = bed.daemon().reloadLines();
            if (lines.size() > before) {
                String line = lines.getLast();
                return new CommandResult(argv, line.contains("Reloaded configuration: ") ? 0 : 1, line, "");
            }
            if (!bed.daemon().isRunning()) {
                return new CommandResult(argv, 137, "", "the daemon died during the reload");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String tail = String.join("\n", bed.daemon().stderr().lines().toList().reversed().stream().limit(15).toList()
                .reversed());
        return new CommandResult(argv, 1, "", "no reload outcome after " + OUTCOME_TIMEOUT.toSeconds() + " s; the log"
                + " ends with:\n" + tail);
    }

    /** The default bridge's IPv6 subnet as {@code docker network inspect bridge} shows it; empty without IPv6. */
    private static String ipv6Subnet(Testbed bed) {
        JsonNode bridge;
        try {
            bridge = JSON.readTree(bed.docker().ok("network", "inspect", "bridge").stdout()).path(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!bridge.path("EnableIPv6").asBoolean()) {
            return "";
        }
        for (JsonNode config : bridge.path("IPAM").path("Config")) {
            if (config.path("Subnet").asText().contains(":")) {
                return config.path("Subnet").asText();
            }
        }
        return "";
    }
}
