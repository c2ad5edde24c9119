package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The berth CLI prints exactly what the docker CLI prints, and fails clearly without a daemon. */
@ExtendWith(TestbedExtension.class)
class BerthCliIT {

    @Test
    void networkLsIsByteIdenticalToDocker(Testbed bed) {
        bed.daemon().start();
        Path socket = bed.daemon().socket();
        CommandResult docker = bed.docker().ok("network", "ls");
        CommandResult berth = bed.berth().withFlag(socket, "network", "ls").assertSuccess();
        assertEquals(docker.stdout(), berth.stdout());
    }

    @Test
    void networkInspectBridgeIsByteIdenticalToDocker(Testbed bed) {
        bed.daemon().start();
        Path socket = bed.daemon().socket();
        CommandResult docker = bed.docker().ok("network", "inspect", "bridge");
        CommandResult berth = bed.berth().withFlag(socket, "network", "inspect", "bridge").assertSuccess();
        assertEquals(docker.stdout(), berth.stdout());
    }

    @Test
    void berthHostEnvironmentAndFlagReachTheSameDaemon(Testbed bed) {
        bed.daemon().start();
        Path socket = bed.daemon().socket();
        CommandResult viaEnv = bed.berth().withEnv(socket, "network", "ls").assertSuccess();
        CommandResult viaFlag = bed.berth().withFlag(socket, "network", "ls").assertSuccess();
        assertEquals(viaFlag.stdout(), viaEnv.stdout());
        assertEquals(4, viaEnv.lines().size(), viaEnv::describe);
        CommandResult inspect = bed.berth().withEnv(socket, "network", "inspect", "bridge").assertSuccess();
        assertEquals(bed.docker().ok("network", "inspect", "bridge").stdout(), inspect.stdout());
    }

    @Test
    void withoutADaemonItFailsNamingTheSocket(Testbed bed) {
        Path socket = bed.dir().resolve("nobody-listens.sock");
        for (CommandResult result : new CommandResult[] {
            bed.berth().withFlag(socket, "network", "ls"),
            bed.berth().withEnv(socket, "network", "ls"),
        }) {
            assertNotEquals(0, result.exitCode(), result::describe);
            assertTrue((result.stderr() + result.stdout()).contains(socket.toString()), result::describe);
        }
    }
}
