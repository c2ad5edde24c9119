package dev.berth.it.crash;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One operation under crash test: what must exist before it, the client call itself (the docker
 * or berth CLI, as a user would run it), and whether its effect is visible through the API.
 *
 * @param name short name used in reports and in {@code -Dberth.crash.ops}
 * @param setup builds the starting state through the normal API (not counted)
 * @param act the operation; its exit code tells whether the daemon acknowledged it
 * @param applied true when the API shows the operation's whole effect (for {@code run}: the
 *     sandbox exists and its process runs)
 * @param finish what a client does to complete the operation when its effect is not (wholly)
 *     there after the restart: the operation again, or for {@code run}, whose create may have
 *     been done, {@code docker start s1}
 * @param reset brings the daemon back to its first configuration once everything is removed,
 *     before the comparison with the state right after the first start (a reload changed
 *     daemon.json: {@link ReloadOperations}); nothing for the other operations
 * @param beforeRestart what the user does between the kill and the restart (puts the old
 *     daemon.json back: {@link ReloadOperations}); nothing for the other operations
 */
record CrashOperation(String name, BiConsumer<Testbed, String> setup, BiFunction<Testbed, String, CommandResult> act,
        BiPredicate<Testbed, String> applied, BiFunction<Testbed, String, CommandResult> finish,
        Function<Testbed, List<String>> reset, java.util.function.Consumer<Testbed> beforeRestart) {

    CrashOperation(String name, BiConsumer<Testbed, String> setup, BiFunction<Testbed, String, CommandResult> act,
            BiPredicate<Testbed, String> applied) {
        this(name, setup, act, applied, act);
    }

    CrashOperation(String name, BiConsumer<Testbed, String> setup, BiFunction<Testbed, String, CommandResult> act,
            BiPredicate<Testbed, String> applied, BiFunction<Testbed, String, CommandResult> finish) {
        this(name, setup, act, applied, finish, bed -> List.of(), bed -> { });
    }

    /**
     * The operations of issue 9, in the order the full run goes through them, then the reloads
     * ({@link ReloadOperations}).
     */
    static List<CrashOperation> all() {
        List<CrashOperation> all = new java.util.ArrayList<>(issue9());
        all.addAll(ReloadOperations.all());
        return List.copyOf(all);
    }

    private static List<CrashOperation> issue9() {
        return List.of(
                new CrashOperation("network-create", (bed, marker) -> { },
                        (bed, marker) -> bed.docker().run("network", "create", "--ipv6", "n1"),
                        (bed, marker) -> networks(bed).contains("n1")),
                new CrashOperation("connect",
                        (bed, marker) -> {
                            network(bed, "n1");
                            bed.docker().ok("create", "--name", "c1", "x");
                        },
                        (bed, marker) -> bed.docker().run("network", "connect", "n1", "c1"),
                        (bed, marker) -> attached(bed, "c1").contains("n1")),
                new CrashOperation("disconnect",
                        (bed, marker) -> {
                            network(bed, "n1");
                            bed.docker().ok("create", "--name", "c1", "--network", "n1", "x");
                        },
                        (bed, marker) -> bed.docker().run("network", "disconnect", "n1", "c1"),
                        (bed, marker) -> !attached(bed, "c1").contains("n1")),
                new CrashOperation("publish", (bed, marker) -> network(bed, "n1"),
                        (bed, marker) -> bed.docker().run("create", "--name", "c2", "--network", "n1", "-p", "8080:80",
                                "x"),
                        (bed, marker) -> containers(bed).contains("c2")),
                new CrashOperation("connect-published",
                        (bed, marker) -> {
                            network(bed, "n1");
                            bed.docker().ok("create", "--name", "c3", "-p", "8081:80", "x");
                        },
                        (bed, marker) -> bed.docker().run("network", "connect", "n1", "c3"),
                        (bed, marker) -> attached(bed, "c3").contains("n1")),
                new CrashOperation("run", (bed, marker) -> network(bed, "n1"),
                        (bed, marker) -> berth(bed, "run", "-d", "--name", "s1", "--network", "n1", "--", "sleep",
                                marker),
                        (bed, marker) -> running(bed).contains("s1"),
                        (bed, marker) -> containers(bed).contains("s1") ? bed.docker().run("start", "s1")
                                : berth(bed, "run", "-d", "--name", "s1", "--network", "n1", "--", "sleep", marker)),
                new CrashOperation("rm",
                        (bed, marker) -> {
                            network(bed, "n1");
                            berth(bed, "run", "-d", "--name", "s1", "--network", "n1", "--", "sleep", marker)
                                    .assertSuccess();
                        },
                        (bed, marker) -> berth(bed, "rm", "-f", "s1"),
                        (bed, marker) -> !containers(bed).contains("s1")),
                new CrashOperation("network-rm", (bed, marker) -> network(bed, "n1"),
                        (bed, marker) -> bed.docker().run("network", "rm", "n1"),
                        (bed, marker) -> !networks(bed).contains("n1")),
                new CrashOperation("prune",
                        (bed, marker) -> {
                            network(bed, "n1");
                            bed.docker().ok("network", "create", "--internal", "n2");
                        },
                        (bed, marker) -> bed.docker().run("network", "prune", "-f"),
                        (bed, marker) -> !networks(bed).contains("n1") && !networks(bed).contains("n2")));
    }

    private static void network(Testbed bed, String name) {
        bed.docker().ok("network", "create", "--ipv6", name);
    }

    static CommandResult berth(Testbed bed, String... args) {
        return bed.berth().withFlag(bed.daemon().socket(), args);
    }

    private static List<String> networks(Testbed bed) {
        return bed.docker().ok("network", "ls", "--format", "{{.Name}}").lines();
    }

    private static List<String> containers(Testbed bed) {
        return bed.docker().ok("ps", "-a", "--format", "{{.Names}}").lines();
    }

    /** Containers whose process runs (inspect says so and the PID is alive); created-only ones have none. */
    static List<String> running(Testbed bed) {
        List<String> out = new java.util.ArrayList<>();
        for (var c : Convergence.inspectAll(bed, "ps", "-aq", "--no-trunc")) {
            long pid = c.path("State").path("Pid").asLong();
            if (c.path("State").path("Running").asBoolean() && pid > 0
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                out.add(c.path("Name").asText().replaceFirst("^/", ""));
            }
        }
        return out;
    }

    private static List<String> attached(Testbed bed, String container) {
        CommandResult r = bed.docker().run("inspect", "-f",
                "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}\n{{end}}", container);
        return r.exitCode() == 0 ? r.lines() : List.of();
    }
}
