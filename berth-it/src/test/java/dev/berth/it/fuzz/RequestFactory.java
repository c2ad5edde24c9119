package dev.berth.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates hostile Engine API requests from the daemon's real route set: random and mutated
 * paths under versioned prefixes, query strings (filters JSON, invalid percent-encoding),
 * broken framing and headers (Content-Length lies, chunked bodies good and bad, truncated
 * bodies), request bodies from {@link JsonBodies}, and a bounded share of slow clients.
 * Seeded: the same seed gives the same requests.
 */
final class RequestFactory {
    /**
     * Routes as {@code METHOD template}; {@code {id}} is replaced by a target or a mutation. Not
     * {@code POST /containers/{id}/wait}: on a sandbox without a process it blocks by design until
     * the sandbox is removed, and sends no header before (a long poll, not a hang).
     */
    static final List<String> ROUTES = List.of("GET /_ping", "HEAD /_ping", "GET /version", "GET /info",
            "GET /events", "GET /networks", "POST /networks/create", "POST /networks/prune",
            "POST /networks/{id}/connect", "POST /networks/{id}/disconnect", "GET /networks/{id}",
            "DELETE /networks/{id}", "POST /containers/create", "GET /containers/json", "GET /containers/{cid}/json",
            "POST /containers/{cid}/start", "POST /containers/{cid}/kill",
            "GET /containers/{cid}/logs", "DELETE /containers/{cid}");
    private static final String[] VERSIONS = {"", "", "/v1.50", "/v1.50", "/v1.41", "/v1.24", "/v1.12", "/v1.51",
        "/v9.99", "/v1.x", "/v", "/v1.50.1", "/V1.50", "/v1.50/v1.50", "/v01.050", "/v1.9999999999999999999"};
    private static final String[] METHODS = {"GET", "POST", "DELETE", "HEAD", "PUT", "PATCH", "OPTIONS", "get",
        "CONNECT", "TRACE", "G\u00e9T", "POST ", "X".repeat(100)};
    private static final String[] QUERY_KEYS = {"filters", "force", "name", "all", "since", "until", "signal", "t",
        "condition", "follow", "stdout", "tail", "verbose", "scope", "size", "limit", "platform", "", "f%00"};
    private static final String[] QUERY_VALUES = {"1", "0", "true", "false", "", "%", "%zz", "%4", "%C0%80",
        "%ED%A0%80", "%FF", "%00", "abc", "-1", "99999999999999999999", "SIGKILL", "SIGTERM", "9", "x".repeat(5000),
        "1700000000", "2026-01-01T00:00:00Z", "10m", "not-running", "a=b=c", "%2F..%2F"};
    private static final String[] FILTERS = {"{}", "{\"name\":[\"fz\"]}", "{\"name\":{\"fz\":true}}",
        "{\"type\":[\"custom\"]}", "{\"type\":[\"bogus\"]}", "{\"driver\":[\"bridge\"]}", "{\"label\":[\"a=b\"]}",
        "{\"dangling\":[\"true\"]}", "{\"dangling\":[\"maybe\"]}", "{\"until\":[\"10m\"]}", "{\"until\":[\"x\"]}",
        "{\"id\":[\"\"]}", "{\"scope\":[\"local\"]}", "{\"bogus\":[\"1\"]}", "[", "{\"name\":1}", "{\"name\":[1,{}]}",
        "null", "[]", "\"s\"", "{\"status\":[\"running\"]}", "{\"network\":[\"fz-net\"]}"};

    private final SplittableRandom random;
    private Targets targets;
    private final JsonBodies bodies;
    private final int slowEvery;

    /** @param slowEvery one request in this many is a slow client (0: none) */
    RequestFactory(long seed, Targets targets, int slowEvery) {
        this.random = new SplittableRandom(seed);
        this.targets = targets;
        this.bodies = new JsonBodies(random, targets);
        this.slowEvery = slowEvery;
    }

    /** Aims later requests at new targets (after the fixture objects were re-created). */
    void retarget(Targets next) {
        this.targets = next;
        bodies.retarget(next);
    }

    FuzzRequest next() {
        String route = ROUTES.get(random.nextInt(ROUTES.size()));
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        StringBuilder label = new StringBuilder();
        if (random.nextInt(20) == 0) {
            method = METHODS[random.nextInt(METHODS.length)];
            label.append("method ");
        }
        String target = VERSIONS[random.nextInt(VERSIONS.length)] + path(template, label) + query(label);
        if (method.equals("GET") && template.equals("/events") && !target.contains("until=")) {
            target += (target.contains("?") ? "&" : "?") + "until=1"; // a live stream never ends by design
        }
        if (template.endsWith("/logs") && target.contains("follow")) {
            target = target.replace("follow", "fallow");
        }
        byte[] body = method.equals("POST") || random.nextInt(10) == 0 ? bodies.body(method + " " + template) : null;
        if (body != null && label.isEmpty()) {
            label.append("body ");
        }
        FuzzRequest.Mode mode = FuzzRequest.Mode.WHOLE;
        if (slowEvery > 0 && random.nextInt(slowEvery) == 0) {
            mode = random.nextBoolean() ? FuzzRequest.Mode.DRIP : FuzzRequest.Mode.STALL;
            label.append("slow ");
        }
        byte[] bytes = frame(method, target, body, label);
        if (mode == FuzzRequest.Mode.WHOLE && label.indexOf("truncated") >= 0) {
            mode = FuzzRequest.Mode.HALF_CLOSE;
        }
        return new FuzzRequest(label.toString().strip(), method, method + " " + template, bytes, mode);
    }

    private String path(String template, StringBuilder label) {
        String path = template.replace("{id}", id(targets.networkId(), targets.networkName()))
                .replace("{cid}", id(targets.containerId(), targets.containerName()));
        switch (random.nextInt(16)) {
            case 0 -> {
                label.append("path-char ");
                int at = random.nextInt(path.length() + 1);
                path = path.substring(0, at) + pick(new String[] {"/", "//", "%", "%2f", "%00", "..", ";", "?", "#",
                    "\u00e9", "%ZZ", " ", "\t", "*"}) + path.substring(at);
            }
            case 1 -> {
                label.append("path-cut ");
                path = path.substring(0, random.nextInt(path.length() + 1));
            }
            case 2 -> {
                label.append("path-extra ");
                path = path + pick(new String[] {"/", "/x", "/../..", "/connect/connect", "%20", "/%ff%fe"});
            }
            default -> { }
        }
        return path;
    }

    private String id(String fullId, String name) {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> fullId;
            case 3 -> fullId.substring(0, 1 + random.nextInt(fullId.length()));
            case 4, 5 -> name;
            case 6 -> pick(new String[] {"bridge", "host", "none", "docker0"});
            case 7 -> "%" + Integer.toHexString(random.nextInt(256)) + name;
            case 8 -> "x".repeat(random.nextInt(1, 9000));
            case 9 -> pick(new String[] {"", "%", "%zz", "%C0%AE%C0%AE", "..", "%2e%2e", "%00", "a%2Fb", "%F0%9F%92%A9"});
            default -> Long.toHexString(random.nextLong());
        };
    }

    private String query(StringBuilder label) {
        int n = random.nextInt(4) == 0 ? random.nextInt(1, 5) : 0;
        if (n == 0) {
            return "";
        }
        label.append("query ");
        StringBuilder q = new StringBuilder("?");
        for (int i = 0; i < n; i++) {
            String key = pick(QUERY_KEYS);
            String value = key.equals("filters") || random.nextInt(6) == 0 ? filters() : pick(QUERY_VALUES);
            q.append(i == 0 ? "" : random.nextInt(10) == 0 ? "&&" : "&").append(key);
            if (random.nextInt(10) > 0) {
                q.append('=').append(value);
            }
        }
        return q.toString();
    }

    private String filters() {
        String json = pick(FILTERS);
        return random.nextInt(4) == 0 ? json : java.net.URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    /** Request line, headers and body, with framing faults now and then. */
    private byte[] frame(String method, String target, byte[] body, StringBuilder label) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String version = random.nextInt(40) == 0 ? pick(new String[] {"HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1", "",
            "HTTP/1.1 extra", "HTTP/1"}) : "HTTP/1.1";
        if (!version.equals("HTTP/1.1")) {
            label.append("version ");
        }
        write(out, method + " " + target + (version.isEmpty() ? "" : " " + version) + "\r\n");
        if (random.nextInt(30) > 0) {
            write(out, "Host: api.moby.localhost\r\n");
        }
        write(out, "Connection: close\r\n");
        if (body != null && random.nextInt(10) > 0) {
            write(out, "Content-Type: " + (random.nextInt(8) == 0 ? pick(new String[] {"text/plain", "application/x-tar",
                "application/json; charset=latin1", "", "application/json\u00ff"}) : "application/json") + "\r\n");
        }
        if (random.nextInt(15) == 0) {
            label.append("headers ");
            write(out, pick(new String[] {"X-Bad Name: 1\r\n", ": empty\r\n", "X-Fold: a\r\n b\r\n",
                "X-Long: " + "h".repeat(random.nextInt(1000, 70_000)) + "\r\n", "X-Nul: a\u0000b\r\n",
                "Expect: 100-continue\r\n", "X-Utf: \u00ff\u00fe\r\n", "X-Registry-Auth: %%%\r\n",
                "X-Many: 1\r\n".repeat(random.nextInt(50, 300)), "Content-Encoding: gzip\r\n"}));
        }
        if (body == null) {
            if (random.nextInt(20) == 0) {
                label.append("length-lie ");
                write(out, "Content-Length: " + pick(new String[] {"-1", "abc", "5", "0x10", "99999999999999999999"})
                        + "\r\n\r\n");
                label.append(random.nextBoolean() ? "truncated " : "");
                return out.toByteArray();
            }
            write(out, "\r\n");
            return out.toByteArray();
        }
        int framing = random.nextInt(20);
        if (framing < 3) {
            label.append("chunked ");
            write(out, "Transfer-Encoding: chunked\r\n\r\n");
            chunk(out, body, framing == 0, label);
        } else if (framing == 3) {
            label.append("length-lie truncated ");
            write(out, "Content-Length: " + (body.length + random.nextInt(1, 5000)) + "\r\n\r\n");
            out.writeBytes(body);
        } else if (framing == 4) {
            label.append("length-short ");
            write(out, "Content-Length: " + random.nextInt(body.length + 1) + "\r\n\r\n");
            out.writeBytes(body);
        } else if (framing == 5) {
            label.append("length-and-chunked ");
            write(out, "Content-Length: " + body.length + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(body);
        } else if (framing == 6) {
            label.append("length-twice ");
            write(out, "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 1) + "\r\n\r\n");
            out.writeBytes(body);
        } else {
            write(out, "Content-Length: " + body.length + "\r\n\r\n");
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private void chunk(ByteArrayOutputStream out, byte[] body, boolean broken, StringBuilder label) {
        int at = 0;
        while (at < body.length) {
            int n = Math.min(body.length - at, random.nextInt(1, 4096));
            write(out, (broken && random.nextInt(4) == 0 ? pick(new String[] {"zz", "-1", "ffffffffffffffff", ""})
                    : Integer.toHexString(n) + (random.nextInt(10) == 0 ? ";ext=1" : "")) + "\r\n");
            out.write(body, at, n);
            write(out, "\r\n");
            at += n;
        }
        if (broken && random.nextBoolean()) {
            label.append("truncated ");
            return; // no terminating chunk: the body ends at our half-close
        }
        write(out, "0\r\n\r\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
