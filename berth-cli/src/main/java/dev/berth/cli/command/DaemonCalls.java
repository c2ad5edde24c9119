package dev.berth.cli.command;

import dev.berth.cli.http.ConnectionFailure;
import dev.berth.cli.http.DaemonError;
import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.shell.Invocation;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls to the daemon whose failure is reported and survived rather than ending the command: a
 * daemon error or a connection failure is printed to stderr as docker words it, and the caller
 * goes on.
 */
final class DaemonCalls {

    private DaemonCalls() {
    }

    /** The call's answer, or empty once its failure is printed to {@code err}. */
    static <T> Optional<T> answer(PrintStream err, Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (DaemonError | ConnectionFailure e) {
            err.println(e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the call succeeded; its failure is printed to {@code err}. */
    static boolean reported(PrintStream err, Runnable call) {
        return answer(err, () -> {
            call.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    /**
     * Docker's way with several names ({@code rm}, {@code network rm}): {@code action} for each,
     * a failure printed as it happens and the other names still done; if any failed, the command
     * ends with {@code exit status 1}.
     */
    static void forEachName(Invocation invocation, List<String> names, Consumer<String> action) {
        boolean failed = false;
        for (String name : names) {
            failed |= !reported(invocation.err(), () -> action.accept(name));
        }
        if (failed) {
            throw new CommandFailure("exit status 1", 1);
        }
    }
}
