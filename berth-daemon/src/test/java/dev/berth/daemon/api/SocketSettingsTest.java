package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket's group (dockerd's {@code -G} rules), the backlog and the query escapes: pure parts. */
class SocketSettingsTest {
    @TempDir
    Path dir;

    @Test
    void groupByNameOrGidAndAMissingOneIsAnErrorUnlessItIsTheDefault() throws IOException {
        assertEquals("root", SocketGroup.resolve("root").group().orElseThrow().getName());
        assertTrue(SocketGroup.resolve("0").group().isPresent(), "a gid works as in dockerd");
        assertEquals(SocketGroup.own(), SocketGroup.resolve(""));
        InvalidParameterException missing = assertThrows(InvalidParameterException.class,
                () -> SocketGroup.resolve("no-such-group-h2"));
        assertEquals("group no-such-group-h2 not found (the API socket's group, set by -G/--group or daemon.json"
                + " \"group\")", missing.getMessage());
        SocketGroup docker = SocketGroup.resolve(SocketGroup.DEFAULT);
        if (!dockerGroupExists()) {
            assertEquals(Optional.empty(), docker.group());
            assertTrue(docker.warning().orElseThrow().contains("group docker not found"));
        } else {
            assertEquals(Optional.empty(), docker.warning());
        }
    }

    @Test
    void theSocketGetsTheGroupAndMode0660() throws IOException {
        Path socket = dir.resolve("s.sock");
        try (ApiServer server = new ApiServer(TestDaemon.context())) {
            server.start(socket, SocketGroup.resolve("0"));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(socket)));
            assertEquals(0, (Integer) Files.getAttribute(socket, "unix:gid"));
        }
    }

    @Test
    void backlogIsSomaxconnOrTheKernelDefault() {
        assertEquals(4096, AcceptQueue.size("4096\n"));
        assertEquals(65535, AcceptQueue.size("65535"));
        assertEquals(AcceptQueue.FALLBACK, AcceptQueue.size(""));
        assertEquals(AcceptQueue.FALLBACK, AcceptQueue.size("0"));
        assertEquals(AcceptQueue.FALLBACK, AcceptQueue.size("-1"));
        assertThrows(IllegalArgumentException.class, () -> new ApiServer(TestDaemon.context(), 0));
    }

    @Test
    void badEscapesAreReportedAsGoReportsThem() {
        assertEquals(Optional.of("invalid URL escape \"%zz\""), QueryText.badEscape("a=%zz"));
        assertEquals(Optional.of("invalid URL escape \"%4\""), QueryText.badEscape("a=%4"));
        assertEquals(Optional.of("invalid URL escape \"%\""), QueryText.badEscape("a=b%"));
        assertEquals(Optional.of("invalid URL escape \"%g1\""), QueryText.badEscape("a=%41%g1"));
        assertEquals(Optional.empty(), QueryText.badEscape("a=%41%7b&b=c"));
    }

    private static boolean dockerGroupExists() throws IOException {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("docker");
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
    }
}
