package dev.berth.cli.command;

import dev.berth.cli.shell.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * docker's {@code PromptForConfirmation}: prints {@code message [y/N] } to stdout, reads one line
 * from stdin; only {@code y} or {@code Y} (surrounding blanks ignored) means yes, end of input
 * means no. Reads byte by byte so that a second prompt gets the next line.
 */
final class Confirmation {

    private Confirmation() {
    }

    static boolean ask(Invocation invocation, String message) {
        invocation.out().print(message + " [y/N] ");
        invocation.out().flush();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = invocation.in().read(); b >= 0 && b != '\n'; b = invocation.in().read()) {
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString(StandardCharsets.UTF_8).strip().equalsIgnoreCase("y");
    }
}
