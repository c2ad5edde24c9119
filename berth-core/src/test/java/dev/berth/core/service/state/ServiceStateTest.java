package dev.berth.core.service.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The write lock and the two kinds of change subscriber: the lock order is kept by the state, not by them. */
class ServiceStateTest {
    private final Fixture f = new Fixture();
    private final ServiceState state = f.state;
    private final Sandbox sandbox = new Sandbox(SandboxId.random(new SplittableRandom(1)), "s1", "s1", "",
            Instant.EPOCH, Sandbox.MODE_BRIDGE, List.of());
    private final List<String> seen = new ArrayList<>();

    private boolean writing() {
        try {
            state.requireWriting();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void follow() {
        state.changes().onChange(c -> seen.add("inline " + name(c) + " " + writing()));
        state.changes().afterChange(c -> seen.add("after " + name(c) + " " + writing()));
    }

    private static String name(Change c) {
        return c.getClass().getSimpleName();
    }

    @Test
    void stepsThatMustHoldTheLockFailOutsideIt() {
        assertThrows(IllegalStateException.class, state::requireWriting);
        assertThrows(IllegalStateException.class, () -> state.networks(state.networks()));
        assertEquals(true, state.write(this::writing));
    }

    @Test
    void inlineSubscribersRunUnderTheLockAndTheOthersOnceTheOutermostWriteReleasedIt() {
        follow();
        state.update(() -> {
            state.publish(new Change.SandboxCreated(sandbox));
            state.update(() -> state.publish(new Change.SandboxRemoved(sandbox)));
            seen.add("end of write");
        });
        assertEquals(List.of("inline SandboxCreated true", "inline SandboxRemoved true", "end of write",
                "after SandboxCreated false", "after SandboxRemoved false"), seen);
    }

    @Test
    void aChangeMadeOutsideTheLockReachesEverySubscriberAtOnce() {
        follow();
        state.publish(new Change.ProcessDied(sandbox, 3));
        assertEquals(List.of("inline ProcessDied false", "after ProcessDied false"), seen);
    }

    @Test
    void aFailedWriteStillHandsOnWhatItPublishedAndAFailingSubscriberStopsNobody() {
        state.changes().afterChange(c -> {
            throw new IllegalStateException("subscriber bug");
        });
        follow();
        assertThrows(ArithmeticException.class, () -> state.update(() -> {
            state.publish(new Change.SandboxCreated(sandbox));
            throw new ArithmeticException("change failed");
        }));
        assertEquals(List.of("inline SandboxCreated true", "after SandboxCreated false"), seen);
    }

    @Test
    void theEventLogFollowsTheStreamAndAClosedSubscriptionStops() {
        ChangeStream.Subscription subscription = state.changes().onChange(c -> seen.add(name(c)));
        state.publish(new Change.ProcessStarted(sandbox));
        subscription.close();
        subscription.close();
        state.publish(new Change.ProcessDied(sandbox, 0));
        assertEquals(List.of("ProcessStarted"), seen);
        List<Event> events = f.events.replay(0, Long.MAX_VALUE, e -> e.actorId().equals(sandbox.id().value()));
        assertEquals(List.of(Event.Action.START, Event.Action.DIE), events.stream().map(Event::action).toList());
    }
}
