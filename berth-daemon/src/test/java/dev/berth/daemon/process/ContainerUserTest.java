package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User names resolved through the image's passwd and group as Docker resolves them. */
class ContainerUserTest {
    @TempDir
    Path root;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                broken line
                www:x:33:33:www:/var/www:/bin/false
                nohome:x:7:8::::
                """);
        Files.writeString(root.resolve("etc/group"), """
                root:x:0:
                www:x:33:
                adm:x:4:www,syslog
                staff:x:50:www
                """);
    }

    @Test
    void emptyIsRootWithItsHome() {
        assertEquals(new ContainerUser(0, 0, List.of(0L), "/root"), ContainerUser.resolve(root, ""));
    }

    @Test
    void aNameGivesItsIdsHomeAndSupplementaryGroups() {
        assertEquals(new ContainerUser(33, 33, List.of(33L, 4L, 50L), "/var/www"), ContainerUser.resolve(root, "www"));
        assertEquals(new ContainerUser(33, 33, List.of(33L, 4L, 50L), "/var/www"), ContainerUser.resolve(root, "33"),
                "a uid in passwd is that entry");
        assertEquals(new ContainerUser(7, 8, List.of(8L), "/"), ContainerUser.resolve(root, "nohome"));
    }

    @Test
    void numbersNeedNoEntry() {
        assertEquals(new ContainerUser(1234, 0, List.of(0L), "/"), ContainerUser.resolve(root, "1234"));
        assertEquals(new ContainerUser(1234, 5678, List.of(5678L), "/"), ContainerUser.resolve(root, "1234:5678"));
    }

    @Test
    void aGroupByNameOrNumberReplacesThePrimaryGroupAndDropsTheMemberships() {
        assertEquals(new ContainerUser(33, 4, List.of(4L), "/var/www"), ContainerUser.resolve(root, "www:adm"));
        assertEquals(new ContainerUser(0, 50, List.of(50L), "/root"), ContainerUser.resolve(root, "root:staff"));
        assertEquals(new ContainerUser(0, 99, List.of(99L), "/root"), ContainerUser.resolve(root, "0:99"));
    }

    @Test
    void unknownNamesAreRefusedAsRuncWordsIt() {
        InvalidParameterException user = assertThrows(InvalidParameterException.class,
                () -> ContainerUser.resolve(root, "nobody"));
        assertEquals("unable to find user nobody: no matching entries in passwd file", user.getMessage());
        InvalidParameterException group = assertThrows(InvalidParameterException.class,
                () -> ContainerUser.resolve(root, "www:nogroup"));
        assertEquals("unable to find group nogroup: no matching entries in group file", group.getMessage());
    }

    @Test
    void withoutPasswdOnlyNumbersWork() throws IOException {
        Files.delete(root.resolve("etc/passwd"));
        assertEquals(new ContainerUser(0, 0, List.of(0L), "/"), ContainerUser.resolve(root, ""));
        assertThrows(InvalidParameterException.class, () -> ContainerUser.resolve(root, "www"));
    }

    @Test
    void aPasswdThatIsASymbolicLinkIsNotFollowedOutOfTheRoot() throws IOException {
        Path outside = Files.writeString(root.resolveSibling(root.getFileName() + "-host-passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), outside);
        assertThrows(InvalidParameterException.class, () -> ContainerUser.resolve(root, "evil"));
        Files.delete(outside);
    }

    @Test
    void anEtcThatIsASymbolicLinkIsNotFollowedEither() throws IOException {
        Path hostEtc = Files.createDirectories(root.resolveSibling(root.getFileName() + "-host-etc"));
        Files.writeString(hostEtc.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
        Path image = Files.createDirectories(root.resolve("image"));
        Files.createSymbolicLink(image.resolve("etc"), hostEtc);
        assertThrows(InvalidParameterException.class, () -> ContainerUser.resolve(image, "evil"));
        Files.delete(hostEtc.resolve("passwd"));
        Files.delete(hostEtc);
    }
}
