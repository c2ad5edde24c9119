package dev.berth.it;

import dev.berth.it.fuzz.DnsFuzz;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link DnsFuzz} as its own JVM inside a sandbox's namespace (nsenter), with this test's
 * classes; output goes to a file in the test directory. Ended by its own process handle.
 */
final class DnsClient implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final Path stopFile;

    private DnsClient(Process process, Path output, Path stopFile) {
        this.process = process;
        this.output = output;
        this.stopFile = stopFile;
    }

    /** Starts {@code DnsFuzz args...} in the namespace {@code netns}. */
    static DnsClient start(Path dir, Path netns, String tag, String... args) throws IOException {
        Path classes;
        try {
            classes = Path.of(DnsFuzz.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                classes.toString(), DnsFuzz.class.getName()));
        argv.addAll(List.of(args));
        Path output = dir.resolve(tag + ".out");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new DnsClient(p, output, dir.resolve(tag + ".stop"));
    }

    /** A prober: valid queries for {@code name} in a loop until {@link #finish}. */
    static DnsClient probe(Path dir, Path netns, String name, String address) throws IOException {
        return start(dir, netns, "probe-" + name, "probe", dir.resolve("probe-" + name + ".stop").toString(), name,
                address);
    }

    /** Tells a prober to stop (fuzzers stop by themselves), waits, and returns its figures line. */
    String finish(Duration timeout) throws IOException, InterruptedException {
        Files.writeString(stopFile, "stop");
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("DNS client did not finish within " + timeout + ": " + Files.readString(output));
        }
        String out = Files.readString(output);
        if (process.exitValue() != 0) {
            throw new AssertionError("DNS client failed: " + out);
        }
        return out.strip();
    }

    /** The value of {@code key=N} in a figures line. */
    static long figure(String line, String key) {
        for (String part : line.split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return Long.parseLong(part.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(stopFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the directory goes with the test
        }
    }
}
