package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth completion bash} run by bash itself: the script is sourced, {@code COMP_WORDS}
 * set as bash sets them for a TAB, and {@code COMPREPLY} read back. Operands come from a stand-in
 * {@code berth} on the PATH that records how it was asked.
 */
class CompletionCommandTest {
    @TempDir
    Path dir;
    private Path script;

    @BeforeEach
    void generate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"completion", "bash"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        script = dir.resolve("berth.bash");
        Files.writeString(script, out.toString(StandardCharsets.UTF_8));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path berth = bin.resolve("berth");
        Files.writeString(berth, "#!/bin/sh\necho \"$*\" >> '" + dir.resolve("asked") + "'\n"
                + "case \"$*\" in *'network ls --format'*) printf 'net1\\nnet2\\nother\\n' ;; *'ps -a -q'*) echo 4f2c0e1a9b3d ;; esac\n");
        Files.setPosixFilePermissions(berth, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> complete(String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String program = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _berth; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String text = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), text);
        return text.lines().filter(l -> !l.isEmpty()).toList();
    }

    private List<String> completeWithStub(String... words) throws Exception {
        List<String> quoted = new java.util.ArrayList<>();
        for (String w : words) {
            quoted.add("'" + w + "'");
        }
        String program = "PATH='" + dir.resolve("bin") + "':$PATH; source '" + script + "'; COMP_WORDS=("
                + String.join(" ", quoted) + "); COMP_CWORD=" + (words.length - 1) + "; _berth; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String text = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(20, TimeUnit.SECONDS));
        return text.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void commandsThenSubCommandsThenFlags() throws Exception {
        assertEquals(List.of("network"), complete("berth", "net"));
        assertTrue(complete("berth", "").containsAll(List.of("network", "doctor", "run", "completion", "version")));
        assertEquals(List.of("create"), complete("berth", "network", "cr"));
        assertEquals(List.of("ls", "list"), complete("berth", "network", "l"));
        assertEquals(List.of("--filter", "--format"), complete("berth", "network", "ls", "--f"));
        assertEquals(List.of("--filter", "--format"), complete("berth", "network", "list", "--f"), "an alias completes as its command");
        assertEquals(List.of("--help", "--host"), complete("berth", "--h"));
    }

    @Test
    void aFlagsValueIsSkippedAndNotCompleted() throws Exception {
        assertEquals(List.of("network"), complete("berth", "-H", "unix:///x", "net"));
        assertEquals(List.of("network"), complete("berth", "--host=unix:///x", "net"));
        assertEquals(List.of(), complete("berth", "network", "create", "--subnet", ""));
        assertEquals(List.of("--ingress", "--internal", "--ip-range", "--ipam-driver", "--ipam-opt", "--ipv4", "--ipv6"),
                complete("berth", "network", "create", "--subnet", "10.1.0.0/24", "--i").stream().sorted().toList());
    }

    @Test
    void networkNamesAndSandboxIdsComeFromTheDaemonWithTheGivenHost() throws Exception {
        assertEquals(List.of("net1", "net2"), completeWithStub("berth", "-H", "unix:///tmp/b.sock", "network", "inspect", "ne"));
        assertEquals(List.of("-H unix:///tmp/b.sock network ls --format {{.Name}}"), Files.readAllLines(dir.resolve("asked")));
        assertEquals(List.of("4f2c0e1a9b3d"), completeWithStub("berth", "rm", "4f"));
    }

    @Test
    void onlyBash() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"completion", "zsh"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(125, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("berth completion: unsupported shell \"zsh\": only bash"),
                err.toString(StandardCharsets.UTF_8));
    }
}
