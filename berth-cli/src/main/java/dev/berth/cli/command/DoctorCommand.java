package dev.berth.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.types.DoctorReport;
import dev.berth.cli.shell.Flags;
import dev.berth.cli.shell.Invocation;
import dev.berth.cli.shell.LeafCommand;
import dev.berth.cli.shell.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code berth doctor}: {@code GET /berth/doctor} printed as a report (each finding with its
 * severity, what was found, why it matters and the commands that fix it; checks that passed one
 * line each at the end, then the counts), or with {@code --format json} the daemon's JSON as it
 * came. Exit status 1 when a finding is an error, else 0.
 */
public final class DoctorCommand extends LeafCommand {
    static final String PATH = "/berth/doctor";
    /** Where the report's prose wraps. */
    private static final int WIDTH = 100;
    private static final String INDENT = "         ";

    public DoctorCommand() {
        super("doctor", "Check the host's readiness for Berth's networks (IPv6 above all) and the state Berth owns",
                Usage.optionsOnly());
    }

    @Override
    protected String description() {
        return summary() + ".\nEach finding says what was found, why it matters and the commands that fix it.\n"
                + "Exit status 1 when a finding is an error, 0 otherwise.";
    }

    @Override
    protected Flags flags() {
        return new Flags().string("format", 'f', "string", "Output format: 'json' prints the daemon's JSON, for scripts");
    }

    @Override
    protected int run(Invocation invocation, Flags.Options options) {
        String format = options.string("format", "");
        if (!format.isEmpty() && !format.equals("json")) {
            throw invalidFlag(invocation, "invalid argument \"" + format + "\" for \"--format\" flag: only json is supported");
        }
        byte[] body = invocation.engine().get(PATH, Map.of());
        DoctorReport report;
        try {
            report = new ObjectMapper().readValue(body, DoctorReport.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Error reading JSON: " + e.getMessage(), e);
        }
        if (format.equals("json")) {
            String json = new String(body, StandardCharsets.UTF_8);
            invocation.out().print(json.endsWith("\n") ? json : json + "\n");
        } else {
            invocation.out().print(text(report));
        }
        return count(report, DoctorReport.ERROR) > 0 ? 1 : 0;
    }

    /** The readable report. */
    static String text(DoctorReport report) {
        StringBuilder out = new StringBuilder();
        List<DoctorReport.Finding> ok = report.findings().stream().filter(f -> f.severity().equals(DoctorReport.OK)).toList();
        for (DoctorReport.Finding f : report.findings()) {
            if (f.severity().equals(DoctorReport.OK)) {
                continue;
            }
            out.append(label(f.severity())).append(f.id()).append(f.subject().isEmpty() ? "" : " (" + f.subject() + ")")
                    .append('\n');
            wrap(out, "  found: ", f.found());
            wrap(out, "  why:   ", f.why());
            for (int i = 0; i < f.fix().size(); i++) {
                out.append(i == 0 ? "  fix:   " : INDENT).append(f.fix().get(i)).append('\n');
            }
            out.append('\n');
        }
        for (DoctorReport.Finding f : ok) {
            out.append(label(f.severity())).append(f.id()).append(": ").append(f.found()).append('\n');
        }
        out.append(ok.isEmpty() ? "" : "\n").append(plural(count(report, DoctorReport.ERROR), "error")).append(", ")
                .append(plural(count(report, DoctorReport.WARNING), "warning")).append(", ")
                .append(count(report, DoctorReport.INFO)).append(" info, ")
                .append(ok.size()).append(" ok\n");
        return out.toString();
    }

    private static String label(String severity) {
        String text = severity.equals(DoctorReport.OK) ? "ok" : severity.toUpperCase(java.util.Locale.ROOT);
        return text + " ".repeat(Math.max(1, INDENT.length() - text.length()));
    }

    /** {@code head} then the text, wrapped at {@link #WIDTH} with the continuation lines indented. */
    private static void wrap(StringBuilder out, String head, String text) {
        if (text.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(head);
        for (String word : text.split(" ")) {
            if (line.length() > head.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(INDENT);
            } else if (line.length() > head.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }

    private static long count(DoctorReport report, String severity) {
        return report.findings().stream().filter(f -> f.severity().equals(severity)).count();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
