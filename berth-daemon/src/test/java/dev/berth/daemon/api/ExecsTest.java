package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecsTest {
    private static final SandboxId C1 = new SandboxId("a".repeat(64));
    private static final SandboxId C2 = new SandboxId("b".repeat(64));
    private static final ContainerIo.ExecSpec LS = new ContainerIo.ExecSpec(List.of("ls"), List.of(), "", "", false,
            false, false, 0, 0);

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-05T06:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anEndedExecStaysFiveMinutesAndGoesWithItsContainer() {
        Moving clock = new Moving();
        Set<SandboxId> present = new HashSet<>(Set.of(C1, C2));
        Execs execs = new Execs(clock, present::contains);
        Execs.Instance ended = execs.create(C1, LS, true, true, "");
        Execs.Instance other = execs.create(C2, LS, true, true, "");
        ended.claimStart();
        ended.exited(0, clock.now);
        assertThrows(ConflictException.class, ended::claimStart);
        clock.now = clock.now.plus(Execs.KEPT);
        assertEquals(ended, execs.get(ended.id));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThrows(NotFoundException.class, () -> execs.get(ended.id));
        assertEquals(other, execs.get(other.id));
        present.remove(C2);
        NotFoundException gone = assertThrows(NotFoundException.class, () -> execs.get(other.id));
        assertEquals("No such exec instance: " + other.id, gone.getMessage());
    }
}
