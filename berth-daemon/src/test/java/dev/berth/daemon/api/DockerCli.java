package dev.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real docker CLI against a test server's socket, with a private config directory. */
final class DockerCli {
    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    private final String host;
    private final List<String> global;
    private final Path directory;
    private int runs;

    record Run(int exit, String out, String err) {
    }

    DockerCli(Path socket, Path directory) {
        this("unix://" + socket, List.of(), directory);
    }

    /** Against {@code host} ({@code tcp://127.0.0.1:2376}) with {@code global} options first ({@code --tlsverify ...}). */
    DockerCli(String host, List<String> global, Path directory) {
        this.host = host;
        this.global = List.copyOf(global);
        this.directory = directory;
    }

    static boolean installed() {
        return Files.isExecutable(DOCKER);
    }

    /** Runs to completion (30 s at most). */
    Run run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs to completion (30 s at most) with these variables added to the environment ({@code DOCKER_API_VERSION}). */
    Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        int n = ++runs;
        Path out = directory.resolve("out" + n + ".txt");
        Path err = directory.resolve("err" + n + ".txt");
        ProcessBuilder builder = builder(args);
        builder.environment().putAll(env);
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs to completion (30 s at most) with {@code stdin} as its input. */
    Run runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        Path in = directory.resolve("in" + (runs + 1) + ".txt");
        Files.writeString(in, stdin);
        return run(builder(args).redirectInput(in.toFile()), args);
    }

    /**
     * Runs under a pseudo-terminal ({@code script -qec} of util-linux), {@code stdin} typed into
     * it; {@code out} is what the terminal showed.
     */
    Run runInTerminal(String stdin, String... args) throws IOException, InterruptedException {
        // a terminal of 30 rows and 100 columns (script's own has none when its stdin is no terminal)
        StringBuilder line = new StringBuilder("stty rows 30 cols 100; " + DOCKER);
        for (String arg : args) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder builder = builder();
        builder.command(List.of("script", "-qec", line.toString(), "/dev/null"));
        Path in = directory.resolve("in" + (runs + 1) + ".txt");
        Files.writeString(in, stdin);
        return run(builder.redirectInput(in.toFile()), args);
    }

    private Run run(ProcessBuilder builder, String... args) throws IOException, InterruptedException {
        int n = ++runs;
        Path out = directory.resolve("out" + n + ".txt");
        Path err = directory.resolve("err" + n + ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts a long-running command (e.g. {@code docker events}); stdout is read through the pipe. */
    Process start(String... args) throws IOException {
        return builder(args).redirectError(directory.resolve("err-bg.txt").toFile()).start();
    }

    private ProcessBuilder builder(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(global);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        builder.environment().put("DOCKER_HOST", host);
        builder.environment().put("DOCKER_CONFIG", Files.createDirectories(directory.resolve("config")).toString());
        builder.environment().put("TZ", "UTC");
        return builder;
    }
}
