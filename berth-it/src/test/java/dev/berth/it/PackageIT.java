package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.fixture.BerthBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./berth install} and {@code ./berth package} (scripts/install.sh) into scratch roots,
 * never the machine's own: the installed tree and its own runtime, a second install that changes
 * nothing, the unit file through {@code systemd-analyze verify}, the man pages through
 * {@code man}, and the .deb's control data, contents and unpacked tree. The slow part (jlink, the
 * deb) runs once for the class; the staged tree is cached under {@code target/berth-stage}.
 */
class PackageIT {
    @TempDir
    static Path scratch;
    private static Path root;
    private static Path deb;
    private static Path script;

    record Run(int code, String out, String err) {
        Run ok() {
            assertEquals(0, code, () -> "exit " + code + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    static Run run(List<String> argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("berth-it-out", ".txt");
        Path err = Files.createTempFile("berth-it-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = builder.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(argv + " did not end within 5 minutes");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // jlink and a 60 MB deb: a minute, more on a loaded machine
    static void installAndPackage() throws Exception {
        script = BerthBuild.fromSystemProperty().root().resolve("scripts/install.sh");
        root = Files.createDirectories(scratch.resolve("root"));
        Run first = run(List.of(script.toString(), "install", "--root", root.toString())).ok();
        assertTrue(first.out().contains("installed berth "), first.out());
        Path output = Files.createDirectories(scratch.resolve("debs"));
        run(List.of(script.toString(), "package", "--output", output.toString())).ok();
        try (Stream<Path> debs = Files.list(output)) {
            deb = debs.filter(f -> f.getFileName().toString().endsWith("_amd64.deb")).findFirst().orElseThrow();
        }
    }

    @Test
    void theInstalledTreeRunsOnItsOwnRuntime() throws Exception {
        for (String file : List.of("usr/bin/berthd", "usr/bin/berth", "usr/lib/berth/runtime/bin/java",
                "usr/lib/berth/install.sh")) {
            assertTrue(Files.isExecutable(root.resolve(file)), file);
        }
        assertEquals("{\n  \"group\": \"berth\"\n}\n", Files.readString(root.resolve("etc/berth/daemon.json")));
        String release = Files.readString(root.resolve("usr/lib/berth/runtime/release"));
        for (String module : List.of("java.base", "java.sql", "java.net.http", "jdk.unsupported", "java.naming")) {
            assertTrue(release.contains(module), "the runtime has " + module + ": " + release);
        }
        assertFalse(release.contains("jdk.compiler"), "a runtime, not a JDK: " + release);
        assertFalse(Files.exists(root.resolve("usr/lib/berth/runtime/bin/javac")));
        // the wrappers find the runtime beside them, wherever the root is
        assertTrue(run(List.of(root.resolve("usr/bin/berth").toString(), "--version")).ok().out()
                .startsWith("Berth version "));
        assertTrue(run(List.of(root.resolve("usr/bin/berthd").toString(), "--version")).ok().out()
                .startsWith("Berth version "));
        Path config = scratch.resolve("valid.json");
        Files.writeString(config, "{\"group\": \"berth\", \"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/64\"}");
        assertEquals("configuration OK\n", run(List.of(root.resolve("usr/bin/berthd").toString(), "--validate",
                "--config-file", config.toString())).ok().out());
        String completion = Files.readString(root.resolve("usr/share/bash-completion/completions/berth"));
        assertTrue(completion.contains("complete -F _berth berth"), completion);
        assertTrue(completion.contains("\"network create\") echo '"), "generated from the command tree");
        List<String> manifest = Files.readAllLines(root.resolve("usr/lib/berth/installed-files"));
        assertTrue(manifest.containsAll(List.of("usr/bin/berth", "usr/bin/berthd", "etc/berth/daemon.json",
                "usr/lib/systemd/system/berth.service", "usr/share/man/man8/berthd.8.gz")), manifest.toString());
    }

    @Test
    void aSecondInstallChangesNothingAndKeepsAChangedConfig() throws Exception {
        Path other = Files.createDirectories(scratch.resolve("twice"));
        run(List.of(script.toString(), "install", "--root", other.toString())).ok();
        Path config = other.resolve("etc/berth/daemon.json");
        Files.writeString(config, "{\"group\": \"admins\"}\n");
        Map<String, FileTime> before = times(other);
        Run again = run(List.of(script.toString(), "install", "--root", other.toString())).ok();
        assertTrue(again.out().contains("is installed in " + other + "; nothing changed"), again.out());
        assertEquals(before, times(other), "no file rewritten");
        assertEquals("{\"group\": \"admins\"}\n", Files.readString(config), "daemon.json is never overwritten");

        // a file gone is put back, and only that
        Files.delete(other.resolve("usr/share/man/man1/berth.1.gz"));
        Run repair = run(List.of(script.toString(), "install", "--root", other.toString())).ok();
        assertTrue(repair.out().contains("(1 files changed)"), repair.out());
        assertTrue(Files.isRegularFile(other.resolve("usr/share/man/man1/berth.1.gz")));

        // uninstall without a daemon: everything install made goes, a changed daemon.json stays
        Run removed = run(List.of(other.resolve("usr/bin/berth").toString(), "uninstall")).ok();
        assertTrue(removed.out().contains("removed berth from " + other), removed.out());
        assertTrue(removed.out().contains("kept " + config + " (changed since install)"), removed.out());
        try (Stream<Path> left = Files.walk(other)) {
            assertEquals(List.of("etc/berth/daemon.json"), left.filter(Files::isRegularFile)
                    .map(p -> other.relativize(p).toString()).toList());
        }
        assertFalse(Files.exists(other.resolve("usr/lib/berth")), "its directory is gone");
        Run none = run(List.of(script.toString(), "uninstall", "--root", other.toString())).ok();
        assertTrue(none.out().contains("is not installed in " + other + "; nothing to do"), none.out());
    }

    @Test
    void badOptionsAreRefusedAndChangeNothing() throws Exception {
        Run missing = run(List.of(script.toString(), "install", "--root", scratch.resolve("none").toString()));
        assertEquals(1, missing.code(), missing.toString());
        assertEquals("berth: install: root " + scratch.resolve("none") + " is not a directory\n", missing.err());
        assertFalse(Files.exists(scratch.resolve("none")));
        Run unknown = run(List.of(script.toString(), "install", "--prefix", "/usr/local"));
        assertEquals(1, unknown.code(), unknown.toString());
        assertTrue(unknown.err().startsWith("berth: install: unknown option --prefix"), unknown.err());
        Run notHere = run(List.of(root.resolve("usr/bin/berth").toString(), "install"));
        assertEquals(1, notHere.code(), notHere.toString());
        assertEquals("berth: 'install' is run from a Berth source checkout: ./berth install\n", notHere.err());
    }

    @Test
    void theUnitFilePassesSystemdAnalyzeVerify() throws Exception {
        String unit = Files.readString(root.resolve("usr/lib/systemd/system/berth.service"));
        for (String line : List.of("Type=notify", "ExecStart=/usr/bin/berthd", "ExecReload=/bin/kill -HUP $MAINPID",
                "KillMode=process", "WantedBy=multi-user.target")) {
            assertTrue(unit.lines().anyMatch(line::equals), line + " in\n" + unit);
        }
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed (package systemd): unit not verified");
        // A scratch system: the installed tree, plus what every Debian system has and the unit
        // names (systemd's own units and /bin/kill), copied from this machine.
        Path system = scratch.resolve("verify");
        run(List.of("cp", "-a", root + "/.", system + "/")).ok();
        Files.createDirectories(system.resolve("bin"));
        run(List.of("cp", "-an", "/usr/lib/systemd/system/.", system.resolve("usr/lib/systemd/system") + "/")).ok();
        run(List.of("cp", "/bin/kill", system.resolve("bin/kill").toString())).ok();
        Run verified = run(List.of(analyze.toString(), "verify", "--man=no", "--root=" + system,
                "/usr/lib/systemd/system/berth.service"));
        assertEquals(new Run(0, "", ""), verified, "systemd-analyze verify finds nothing to say");

        // the check is live: a unit with a mistake in it is reported
        Path broken = system.resolve("usr/lib/systemd/system/berth-broken.service");
        Files.writeString(broken, unit.replace("Type=notify", "Type=notfy").replace("KillMode=process", "KillMod=process"));
        Run complaint = run(List.of(analyze.toString(), "verify", "--man=no", "--root=" + system,
                "/usr/lib/systemd/system/berth-broken.service"));
        assertTrue(complaint.err().contains("Failed to parse service type, ignoring: notfy"), complaint.err());
        assertTrue(complaint.err().contains("Unknown key name 'KillMod'") || complaint.err().contains("Unknown key 'KillMod'"),
                complaint.err());
    }

    @Test
    void theManPagesFormatWithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "man is not installed (package man-db): pages not formatted");
        for (String page : List.of("usr/share/man/man8/berthd.8.gz", "usr/share/man/man1/berth.1.gz")) {
            Run man = run(List.of("sh", "-c", "MANWIDTH=100 man --warnings=all -l " + root.resolve(page))).ok();
            assertEquals("", man.err(), page);
            assertTrue(man.out().contains("SYNOPSIS") && man.out().contains("OPTIONS AND COMMANDS"), man.out());
        }
        Run daemon = run(List.of("sh", "-c", "MANWIDTH=200 man -l " + root.resolve("usr/share/man/man8/berthd.8.gz"))).ok();
        assertTrue(daemon.out().contains("-G, --group string"), "berthd's flags, from its --help: " + daemon.out());
        Run cli = run(List.of("sh", "-c", "MANWIDTH=200 man -l " + root.resolve("usr/share/man/man1/berth.1.gz"))).ok();
        assertTrue(cli.out().contains("Berth's own"), "berth's commands, from its --help: " + cli.out());
    }

    @Test
    void theDebHoldsTheSameTreeWithControlData() throws Exception {
        String info = run(List.of("dpkg-deb", "-I", deb.toString())).ok().out();
        assertTrue(info.contains(" Package: berth\n"), info);
        assertTrue(info.contains(" Architecture: amd64\n"), info);
        assertTrue(info.matches("(?s).* Version: [0-9][0-9.]*(~SNAPSHOT)?\n.*"), "the pom's version, - as ~: " + info);
        assertTrue(info.contains(" Depends: libnftables1, runc, conmon"), info);
        for (String part : List.of("control", "conffiles", "postinst", "prerm", "postrm")) {
            assertTrue(info.contains(" " + part), part + " in\n" + info);
        }
        assertEquals("/etc/berth/daemon.json\n", field(deb, "conffiles"), "daemon.json is the admin's: a conffile");
        String postinst = field(deb, "postinst");
        assertTrue(postinst.contains("addgroup --system berth"), postinst);
        assertFalse(postinst.lines().anyMatch(l -> l.trim().matches("systemctl (start|enable|restart).*")
                        || l.contains("deb-systemd-invoke")),
                "the package never starts the service: " + postinst);

        String contents = run(List.of("dpkg-deb", "-c", deb.toString())).ok().out();
        assertTrue(contents.lines().allMatch(l -> l.contains(" root/root ")), "owned by root:\n" + contents);
        for (String file : List.of("./usr/bin/berthd", "./usr/bin/berth", "./usr/lib/systemd/system/berth.service",
                "./etc/berth/daemon.json", "./usr/lib/berth/runtime/bin/java",
                "./usr/share/bash-completion/completions/berth", "./usr/share/man/man8/berthd.8.gz")) {
            assertTrue(contents.lines().anyMatch(l -> l.endsWith(" " + file) || l.contains(" " + file + " -> ")),
                    file + " in the package");
        }

        Path unpacked = scratch.resolve("unpacked");
        run(List.of("dpkg", "-x", deb.toString(), unpacked.toString())).ok();
        Map<String, String> installed = tree(root);
        installed.remove("usr/lib/berth/installed-files"); // dpkg keeps the file list of a package
        Map<String, String> packaged = tree(unpacked);
        packaged.remove("usr/share/doc/berth/README.md.gz");
        assertEquals(installed, packaged, "the package unpacks to what install puts in place");
        assertTrue(run(List.of(unpacked.resolve("usr/bin/berth").toString(), "--version")).ok().out()
                .startsWith("Berth version "));
    }

    private static String field(Path deb, String name) throws Exception {
        Path control = scratch.resolve("control-" + name);
        run(List.of("dpkg-deb", "-e", deb.toString(), control.toString())).ok();
        return Files.readString(control.resolve(name));
    }

    /** Every file of a tree: its sha-free identity (size and mode, or a symlink's target). */
    private static Map<String, String> tree(Path top) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    files.put(top.relativize(p).toString(), "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    files.put(top.relativize(p).toString(), Files.size(p) + " "
                            + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        return files;
    }

    private static Map<String, FileTime> times(Path top) throws IOException {
        Map<String, FileTime> times = new TreeMap<>();
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                times.put(top.relativize(p).toString(), Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
            }
        }
        return times;
    }
}
