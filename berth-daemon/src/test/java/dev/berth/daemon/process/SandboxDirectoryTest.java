package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher.FilesUpdate;
import dev.berth.core.spi.ProcessLauncher.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files side of the launcher, on a temporary directory: no process is started. */
class SandboxDirectoryTest {
    private static final SandboxId ID = new SandboxId("b".repeat(64));

    @TempDir
    Path tmp;

    private SandboxDirectory launcher() throws IOException {
        Path host = tmp.resolve("host-resolv.conf");
        Files.writeString(host, "nameserver 10.0.0.2\nsearch corp.example\n");
        return new SandboxDirectory(tmp.resolve("sandboxes"), host);
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void connectSwitchesResolvConfOnceAndHostsFollowTheAddressesInPlace() throws IOException {
        SandboxDirectory launcher = launcher();
        Path dir = launcher.writeFiles(new Launch(ID, "c1", "box", "", List.of("true"), List.of("172.17.0.2"), false));
        Path resolv = dir.resolve("resolv.conf");
        Path hosts = dir.resolve("hosts");
        Object resolvInode = inode(resolv);
        Object hostsInode = inode(hosts);
        assertEquals("nameserver 10.0.0.2\nsearch corp.example\n", Files.readString(resolv));

        launcher.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("172.17.0.2", "10.1.0.3"), true));
        assertEquals("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0\n", Files.readString(resolv));
        assertTrue(Files.readString(hosts).endsWith("172.17.0.2\tbox c1\n10.1.0.3\tbox c1\n"));
        assertEquals(resolvInode, inode(resolv), "rewritten in place: the bind mount pins the inode");
        assertEquals(hostsInode, inode(hosts));

        launcher.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("172.17.0.2"), false));
        assertEquals("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0\n", Files.readString(resolv),
                "Docker does not switch back on disconnect");
        assertTrue(Files.readString(hosts).endsWith("ff02::2\tip6-allrouters\n172.17.0.2\tbox c1\n"));
        assertEquals(hostsInode, inode(hosts));
    }

    @Test
    void aRestartedDaemonStillKnowsWhatItWroteAndSwitchesResolvConfOfAnAdoptedProcess() throws IOException {
        Path dir = launcher().writeFiles(new Launch(ID, "c1", "box", "", List.of("true"), List.of("172.17.0.2"), false));
        SandboxDirectory restarted = launcher();
        restarted.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("172.17.0.2", "10.1.0.3"), true));
        assertEquals("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0\n",
                Files.readString(dir.resolve("resolv.conf")));
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
        Files.writeString(dir.resolve(SandboxDirectory.RESOLV_CONF_WRITTEN), "nameserver 10.0.0.2\n");
        SandboxDirectory again = launcher();
        again.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("10.1.0.3"), true));
        assertEquals("nameserver 192.0.2.53\n", Files.readString(dir.resolve("resolv.conf")), "edited: left alone");
    }

    @Test
    void aResolvConfEditedByTheUserIsLeftAlone() throws IOException {
        SandboxDirectory launcher = launcher();
        Path dir = launcher.writeFiles(new Launch(ID, "c1", "box", "", List.of("true"), List.of("172.17.0.2"), false));
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
        launcher.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("172.17.0.2", "10.1.0.3"), true));
        assertEquals("nameserver 192.0.2.53\n", Files.readString(dir.resolve("resolv.conf")));
        assertTrue(Files.readString(dir.resolve("hosts")).contains("10.1.0.3\tbox c1\n"));
    }

    @Test
    void aSandboxWithoutFilesIsNoChangeAndAVanishedFileIsAnError() throws IOException {
        SandboxDirectory launcher = launcher();
        launcher.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("10.1.0.3"), true));
        assertFalse(Files.exists(tmp.resolve("sandboxes").resolve(ID.value())));
        Path dir = launcher.writeFiles(new Launch(ID, "c1", "box", "", List.of("true"), List.of(), false));
        Files.delete(dir.resolve("hosts"));
        assertThrows(InternalException.class,
                () -> launcher.updateFiles(new FilesUpdate(ID, "c1", "box", List.of("10.1.0.3"), true)));
        launcher.delete(ID);
    }

    @Test
    void rewriteInPlaceKeepsTheInodeAndReplacesTheWholeContent() throws IOException {
        Path file = tmp.resolve("f");
        Files.writeString(file, "a much longer first content\n");
        Object before = inode(file);
        SandboxDirectory.rewriteInPlace(file, "short\n");
        assertEquals("short\n", Files.readString(file));
        assertEquals(before, inode(file));
        assertThrows(IOException.class, () -> SandboxDirectory.rewriteInPlace(tmp.resolve("gone"), "x"));
    }
}
