package dev.berth.daemon.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads daemon.json: a JSON object of Docker's option names. Each value keeps the line it stood on
 * so a bad value is reported as {@code file:line}. A missing file means no options.
 */
final class ConfigFile {
    /** Docker options that do not concern networking: accepted and ignored with a warning. */
    static final Set<String> IGNORED = Set.of("log-driver", "log-opts", "storage-driver", "storage-opts",
            "registry-mirrors", "insecure-registries", "live-restore", "max-concurrent-downloads",
            "max-concurrent-uploads", "max-download-attempts", "default-runtime", "runtimes", "exec-opts",
            "features", "experimental", "builder", "containerd", "cgroup-parent", "default-ulimits", "init",
            "seccomp-profile", "selinux-enabled", "userns-remap", "shutdown-timeout", "labels",
            "default-shm-size", "no-new-privileges", "oom-score-adjust", "pidfile");

    /** One option: its JSON value and the line of its key. */
    record Entry(JsonNode value, int line) {
    }

    private ConfigFile() {
    }

    static Map<String, Entry> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory(mapper).createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ConfigException(where(file, p.currentTokenLocation().getLineNr(),
                        p.currentTokenLocation().getColumnNr()) + "the configuration must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = p.currentTokenLocation().getLineNr();
                p.nextToken();
                JsonNode value = mapper.readTree(p);
                if (entries.put(key, new Entry(value, line)) != null) {
                    throw new ConfigException(where(file, line, 0) + "option \"" + key + "\" is given twice");
                }
            }
            if (p.nextToken() != null) {
                throw new ConfigException(where(file, p.currentTokenLocation().getLineNr(),
                        p.currentTokenLocation().getColumnNr()) + "unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(where(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr())
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return entries;
    }

    static String where(Path file, int line, int column) {
        String position = line <= 0 ? "" : column > 0 ? "line " + line + ", column " + column + ": "
                : "line " + line + ": ";
        return "invalid configuration file " + file + ": " + position;
    }
}
