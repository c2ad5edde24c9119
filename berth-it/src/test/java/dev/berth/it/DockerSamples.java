package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Output recorded from a real dockerd, shipped as test resources under {@code docker-samples/}. */
final class DockerSamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerSamples() {
    }

    /** The lines of {@code docker network ls} on a fresh dockerd. */
    static List<String> networkLs() {
        return text("network-ls.txt").lines().toList();
    }

    /** The single object of {@code docker network inspect bridge} on a fresh dockerd. */
    static JsonNode inspectBridge() {
        try {
            return JSON.readTree(text("inspect-bridge.default.json")).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        try (InputStream in = DockerSamples.class.getResourceAsStream("/docker-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource docker-samples/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
