package dev.berth.daemon.api;

import static dev.berth.daemon.api.HttpProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.UnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** JSON request bodies as moby's {@code ReadJSON} reads them, and error categories as statuses. */
class RequestBodyTest extends DaemonOverHttp {
    record Echo(@JsonProperty("Name") String name) {
    }

    @Override
    TestDaemon newDaemon(Path dir) {
        return new TestDaemon(dir, routes -> routes
                .add("POST", "/echo", r -> r.body(Echo.class)
                        .<Reply>map(e -> Reply.ok(e))
                        .orElse(new Reply.Empty(204)))
                .add("GET", "/fail/conflict", r -> { throw new ConflictException("taken"); })
                .add("GET", "/fail/forbidden", r -> { throw new ForbiddenException("no"); })
                .add("GET", "/fail/unavailable", r -> { throw new UnavailableException("later"); })
                .add("GET", "/fail/internal", r -> { throw new InternalException("broke"); })
                .add("GET", "/fail/bug", r -> { throw new IllegalStateException("bug here"); })
                .add("GET", "/fail/npe", r -> { throw new NullPointerException(); }));
    }

    @Test
    void decodesJsonCaseInsensitivelyIgnoringUnknownFields() throws IOException {
        RawHttp.Response r = http.send("POST", "/v1.50/echo", "application/json", "{\"name\":\"x\",\"Other\":1}\n");
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"Name\":\"x\"}\n", r.body());
        assertEquals(200, http.send("POST", "/echo", "application/json; charset=utf-8", "{\"Name\":\"y\"}").status());
    }

    @Test
    void emptyBodyWithoutContentTypeIsAllowed() throws IOException {
        assertEquals(204, http.send("POST", "/v1.50/echo", null, "").status());
        assertEquals(204, http.send("POST", "/v1.50/echo", "application/json", "").status());
    }

    @Test
    void otherContentTypeIsRejected() throws IOException {
        assertError(http.send("POST", "/v1.50/echo", "text/plain", "{}"), 400,
                "unsupported Content-Type header (text/plain): must be 'application/json'");
        assertError(http.send("POST", "/v1.50/echo", null, "{}"), 400,
                "unsupported Content-Type header (): must be 'application/json'");
    }

    @Test
    void malformedJsonIsInvalidJson() throws IOException {
        RawHttp.Response r = http.send("POST", "/v1.50/echo", "application/json", "{\"Name\":");
        assertEquals(400, r.status());
        assertEquals("application/json", r.header("Content-Type").orElseThrow());
        assertTrue(r.body().startsWith("{\"message\":\"invalid JSON: "), r.body());
    }

    @Test
    void errorCategoriesMapToStatuses() throws IOException {
        assertError(http.get("/fail/conflict"), 409, "taken");
        assertError(http.get("/fail/forbidden"), 403, "no");
        assertError(http.get("/fail/unavailable"), 503, "later");
        assertError(http.get("/fail/internal"), 500, "broke");
        assertError(http.get("/fail/bug"), 500, "bug here");
        assertError(http.get("/fail/npe"), 500, "java.lang.NullPointerException");
    }
}
