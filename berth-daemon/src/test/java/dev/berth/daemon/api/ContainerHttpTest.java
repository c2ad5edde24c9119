package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The container life-cycle routes over raw HTTP: status codes moby gives, and wait's early headers. */
class ContainerHttpTest extends DaemonOverHttp {
    @Override
    TestDaemon newDaemon(Path dir) {
        return new TestDaemon(dir, Clock.systemUTC(), new ScriptedLauncher(), new FakeImages());
    }

    private RawHttp.Response post(String target, String body) throws Exception {
        return http.send("POST", "/v1.50" + target, body == null ? null : "application/json", body);
    }

    @Test
    void waitAnswersItsHeadersBeforeTheContainerStartsAndItsBodyWhenItExits() throws Exception {
        assertEquals(201, post("/containers/create?name=c1", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"exit 3\"]}")
                .status());
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(daemon.socket));
            channel.write(ByteBuffer.wrap(("POST /v1.50/containers/c1/wait?condition=next-exit HTTP/1.1\r\n"
                    + "Host: api.moby.localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (!seen.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")) {
                assertTrue(channel.read(buffer) > 0, "the headers come before the container starts");
                seen.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String head = seen.toString(StandardCharsets.UTF_8);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertFalse(head.contains("StatusCode"), head);
            assertEquals(204, post("/containers/c1/start", null).status());
            String rest = RawHttp.readAll(channel);
            assertTrue(rest.contains("{\"StatusCode\":3}"), rest);
        }
    }

    @Test
    void statusCodesOfTheLifeCycleRoutes() throws Exception {
        assertEquals(201, post("/containers/create?name=c1", "{\"Image\":\"busybox\",\"Cmd\":\"sleep 1000\"}").status());
        assertEquals(204, post("/containers/c1/start", null).status());
        assertEquals(304, post("/containers/c1/start", null).status(), "already started");
        RawHttp.Response bad = post("/containers/c1/kill?signal=SIGNOPE", null);
        assertEquals(400, bad.status());
        assertEquals("{\"message\":\"Invalid signal: SIGNOPE\"}\n", bad.body());
        assertEquals(400, post("/containers/c1/stop?t=soon", null).status());
        assertEquals(400, post("/containers/c1/wait?condition=sometime", null).status());
        assertEquals(404, post("/containers/nosuch/wait", null).status());
        assertEquals(400, post("/containers/c1/rename?name=", null).status());
        assertEquals(204, post("/containers/c1/rename?name=c2", null).status());
        assertEquals(204, post("/containers/c2/kill?signal=9", null).status());
        assertEquals(409, post("/containers/c2/kill", null).status());
        assertEquals(304, post("/containers/c2/stop", null).status(), "not running");
        assertEquals(204, post("/containers/c2/restart?t=0", null).status());
        assertEquals(204, post("/containers/c2/stop?t=0", null).status());
        RawHttp.Response inspect = http.get("/v1.50/containers/c2/json");
        assertTrue(inspect.body().contains("\"Cmd\":[\"sleep 1000\"]"), "a string Cmd is one argument, as StrSlice");
        RawHttp.Response missing = post("/containers/create", "{\"Image\":\"alpine:3\"}");
        assertEquals(404, missing.status());
        assertEquals("{\"message\":\"No such image: alpine:3\"}\n", missing.body());
        RawHttp.Response network = post("/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"nosuch\"}}");
        assertEquals(400, network.status(), network.body());
    }

    @Test
    void pruneRemovesWhatDoesNotRunAndMatchesAsMobyDoes() throws Exception {
        assertEquals(201, post("/containers/create?name=up", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"],"
                + "\"Labels\":{\"suite\":\"x\"}}").status());
        assertEquals(204, post("/containers/up/start", null).status());
        assertEquals(201, post("/containers/create?name=made", "{\"Image\":\"busybox\",\"Labels\":{\"suite\":\"x\"}}")
                .status());
        assertEquals(201, post("/containers/create?name=done", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"exit 3\"],"
                + "\"Labels\":{\"suite\":\"x\"}}").status());
        assertEquals(201, post("/containers/create?name=other", "{\"Image\":\"busybox\",\"Labels\":{\"suite\":\"y\"}}")
                .status());
        assertEquals(204, post("/containers/done/start", null).status());
        assertTrue(post("/containers/done/wait", null).body().contains("{\"StatusCode\":3}"));
        String made = http.get("/v1.50/containers/made/json").body().substring(7, 71);
        String done = http.get("/v1.50/containers/done/json").body().substring(7, 71);

        RawHttp.Response bad = post("/containers/prune?filters=%7B%22name%22%3A%7B%22x%22%3Atrue%7D%7D", null);
        assertEquals(400, bad.status());
        assertEquals("{\"message\":\"invalid filter 'name'\"}\n", bad.body());
        // label=suite=x: the running one stays, and so does the one of another label
        RawHttp.Response pruned = post("/containers/prune?filters=%7B%22label%22%3A%7B%22suite%3Dx%22%3Atrue%7D%7D", null);
        assertEquals(200, pruned.status());
        assertTrue(pruned.body().equals("{\"ContainersDeleted\":[\"" + made + "\",\"" + done + "\"],\"SpaceReclaimed\":0}\n")
                || pruned.body().equals("{\"ContainersDeleted\":[\"" + done + "\",\"" + made + "\"],\"SpaceReclaimed\":0}\n"),
                pruned.body());
        assertEquals(404, http.get("/v1.50/containers/made/json").status());
        assertEquals(200, http.get("/v1.50/containers/up/json").status());
        assertEquals(200, http.get("/v1.50/containers/other/json").status());
        assertEquals("{\"ContainersDeleted\":null,\"SpaceReclaimed\":0}\n",
                post("/containers/prune?filters=%7B%22label!%22%3A%7B%22suite%3Dy%22%3Atrue%7D%7D", null).body());
        assertEquals(200, post("/containers/prune", null).status());
        assertEquals(404, http.get("/v1.50/containers/other/json").status());
        assertEquals(200, http.get("/v1.50/containers/up/json").status());
    }

    @Test
    void volumeRoutesAnswerAsADaemonWithoutVolumes() throws Exception {
        assertEquals("{\"Volumes\":[],\"Warnings\":null}\n", http.get("/v1.50/volumes").body());
        assertEquals("{\"VolumesDeleted\":null,\"SpaceReclaimed\":0}\n", post("/volumes/prune", null).body());
        assertEquals(400, post("/volumes/prune?filters=%7B%22until%22%3A%7B%221h%22%3Atrue%7D%7D", null).status());
        RawHttp.Response missing = http.get("/v1.50/volumes/data");
        assertEquals(404, missing.status());
        assertEquals("{\"message\":\"get data: no such volume\"}\n", missing.body());
        assertEquals(404, http.send("DELETE", "/v1.50/volumes/data", null, null).status());
        assertEquals(204, http.send("DELETE", "/v1.50/volumes/data?force=1", null, null).status());
        RawHttp.Response create = post("/volumes/create", "{\"Name\":\"data\"}");
        assertEquals(400, create.status());
        assertEquals("{\"message\":\"" + VolumeEndpoints.NO_VOLUMES + "\"}\n", create.body());
    }

    @Test
    void inspectBefore145AddsTheShortIdAndHostnameToAliasesOnUserNetworksAsMoby() throws Exception {
        assertEquals(201, post("/networks/create", "{\"Name\":\"n1\"}").status());
        assertEquals(201, post("/containers/create?name=web", "{\"Image\":\"busybox\",\"Hostname\":\"h1\","
                + "\"HostConfig\":{\"NetworkMode\":\"n1\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"n1\":{\"Aliases\":[\"www\"]}}}}").status());
        assertEquals(201, post("/containers/create?name=plain", "{\"Image\":\"busybox\"}").status());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var old = json.readTree(http.get("/v1.41/containers/web/json").body());
        String shortId = old.path("Id").asText().substring(0, 12);
        assertEquals("[\"www\",\"" + shortId + "\",\"h1\"]", old.at("/NetworkSettings/Networks/n1/Aliases").toString());
        assertEquals("[\"www\",\"" + shortId + "\",\"h1\"]",
                json.readTree(http.get("/v1.44/containers/web/json").body()).at("/NetworkSettings/Networks/n1/Aliases").toString());
        var current = json.readTree(http.get("/v1.45/containers/web/json").body());
        assertEquals("[\"www\"]", current.at("/NetworkSettings/Networks/n1/Aliases").toString());
        assertEquals("[\"web\",\"www\",\"" + shortId + "\",\"h1\"]", current.at("/NetworkSettings/Networks/n1/DNSNames").toString());
        // not on the default bridge, and not in the list
        assertTrue(json.readTree(http.get("/v1.41/containers/plain/json").body()).at("/NetworkSettings/Networks/bridge/Aliases").isNull());
        for (var listed : json.readTree(http.get("/v1.41/containers/json?all=1").body())) {
            if (listed.path("Names").get(0).asText().equals("/web")) {
                assertEquals("[\"www\"]", listed.at("/NetworkSettings/Networks/n1/Aliases").toString());
            }
        }
    }

    @Test
    void severalNetworksAtCreateNeedApi144AsInMoby() throws Exception {
        assertEquals(201, post("/networks/create", "{\"Name\":\"m1\"}").status());
        assertEquals(201, post("/networks/create", "{\"Name\":\"m2\"}").status());
        String body = "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"m1\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"m2\":{},\"m1\":{}}}}";
        RawHttp.Response old = http.send("POST", "/v1.43/containers/create?name=old", "application/json", body);
        assertEquals(400, old.status());
        assertEquals("{\"message\":\"Container cannot be created with multiple network endpoints: m1, m2\"}\n", old.body());
        assertEquals(404, http.get("/v1.50/containers/old/json").status(), "nothing made");
        assertEquals(201, http.send("POST", "/v1.44/containers/create?name=both", "application/json", body).status());
        String both = http.get("/v1.50/containers/both/json").body();
        assertTrue(both.contains("\"m1\":{") && both.contains("\"m2\":{"), both);
    }
}
