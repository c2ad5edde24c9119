package dev.berth.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.errors.InvalidParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Dockerfile instructions {@code docker import -c} and {@code docker commit -c} accept, applied
 * to an image's run-time config: {@code CMD}, {@code ENTRYPOINT} (JSON or shell form),
 * {@code ENV}, {@code EXPOSE}, {@code LABEL}, {@code STOPSIGNAL}, {@code USER}, {@code VOLUME},
 * {@code WORKDIR}. Any other is a 400 with moby's words.
 */
final class ConfigChanges {
    private static final Set<String> ALLOWED = Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD",
            "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    private ConfigChanges() {
    }

    static ObjectNode apply(ObjectMapper mapper, List<String> changes) {
        ObjectNode config = mapper.createObjectNode();
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = indexOfSpace(line);
            String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space).strip();
            if (!ALLOWED.contains(instruction)) {
                throw new InvalidParameterException(instruction.toLowerCase(Locale.ROOT) + " is not a valid change command");
            }
            switch (instruction) {
                case "CMD" -> config.set("Cmd", command(mapper, rest));
                case "ENTRYPOINT" -> config.set("Entrypoint", command(mapper, rest));
                case "ENV" -> {
                    ArrayNode env = config.withArray("Env");
                    for (String[] pair : pairs(rest, "ENV")) {
                        replaceEnv(env, pair[0], pair[1]);
                    }
                }
                case "LABEL" -> {
                    ObjectNode labels = config.withObject("Labels");
                    for (String[] pair : pairs(rest, "LABEL")) {
                        labels.put(pair[0], pair[1]);
                    }
                }
                case "EXPOSE" -> {
                    ObjectNode ports = config.withObject("ExposedPorts");
                    for (String port : rest.split("\\s+")) {
                        if (!port.matches("[0-9]+(-[0-9]+)?(/(tcp|udp|sctp))?")) {
                            throw new InvalidParameterException("invalid containerPort: " + port);
                        }
                        ports.putObject(port.contains("/") ? port : port + "/tcp");
                    }
                }
                case "VOLUME" -> {
                    ObjectNode volumes = config.withObject("Volumes");
                    JsonNode list = rest.startsWith("[") ? json(mapper, rest) : null;
                    if (list != null) {
                        list.forEach(v -> volumes.putObject(v.asText()));
                    } else {
                        for (String v : rest.split("\\s+")) {
                            volumes.putObject(v);
                        }
                    }
                }
                case "USER" -> config.put("User", rest);
                case "WORKDIR" -> config.put("WorkingDir", rest);
                case "STOPSIGNAL" -> config.put("StopSignal", rest);
                default -> config.withArray("OnBuild").add(rest);
            }
        }
        return config;
    }

    private static int indexOfSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** JSON form ({@code ["sh","-c","x"]}) as given; shell form as {@code ["/bin/sh","-c",text]}. */
    private static ArrayNode command(ObjectMapper mapper, String rest) {
        JsonNode parsed = rest.startsWith("[") ? json(mapper, rest) : null;
        ArrayNode out = mapper.createArrayNode();
        if (parsed != null && parsed.isArray()) {
            parsed.forEach(w -> out.add(w.asText()));
        } else {
            out.add("/bin/sh").add("-c").add(rest);
        }
        return out;
    }

    private static JsonNode json(ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code K=V K2="v 2"} pairs, or the legacy {@code K V...} form. */
    private static List<String[]> pairs(String rest, String instruction) {
        List<String[]> out = new ArrayList<>();
        if (rest.isEmpty()) {
            throw new InvalidParameterException(instruction + " requires at least one argument");
        }
        List<String> words = words(rest);
        if (!words.getFirst().contains("=")) {
            int space = indexOfSpace(rest);
            if (space < 0) {
                throw new InvalidParameterException(instruction + " names can not be blank");
            }
            out.add(new String[] {rest.substring(0, space), rest.substring(space).strip()});
            return out;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new InvalidParameterException("Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
            }
            out.add(new String[] {word.substring(0, eq), word.substring(eq + 1)});
        }
        return out;
    }

    /** Splits on blanks outside double or single quotes, removing the quotes. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
            }
        }
        if (any || !word.isEmpty()) {
            out.add(word.toString());
        }
        return out;
    }

    private static void replaceEnv(ArrayNode env, String key, String value) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith(key + "=")) {
                env.remove(i);
                break;
            }
        }
        env.add(key + "=" + value);
    }
}
