package dev.berth.daemon.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (and slf4j through it) to stderr, as dockerd's text lines or as one JSON
 * object per line ({@code --log-format json}).
 */
public final class LogSetup {
    private LogSetup() {
    }

    public static void configure(DaemonConfig.Logging logging) {
        LogManager.getLogManager().reset();
        Level level = switch (logging.level()) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error", "fatal" -> Level.SEVERE;
            default -> Level.INFO;
        };
        Handler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(logging.format().equals("json") ? new JsonLines() : new TextLines());
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(handler);
        // Jetty is chatty below INFO; its debug output is only useful when chasing Jetty itself.
        Logger.getLogger("org.eclipse.jetty").setLevel(level == Level.FINE ? Level.INFO : Level.WARNING);
    }

    static String levelName(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "warning";
        }
        return level.intValue() >= Level.INFO.intValue() ? "info" : "debug";
    }

    private static String thrown(LogRecord record) {
        if (record.getThrown() == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** {@code time="..." level=info msg="..."}, dockerd's logfmt shape. */
    private static final class TextLines extends Formatter {
        @Override
        public String format(LogRecord r) {
            String msg = formatMessage(r).replace("\\", "\\\\").replace("\"", "\\\"");
            String trace = thrown(r);
            return "time=\"" + Instant.ofEpochMilli(r.getMillis()) + "\" level=" + levelName(r.getLevel())
                    + " msg=\"" + msg + "\"" + System.lineSeparator() + trace;
        }
    }

    /** {@code {"time":"...","level":"info","msg":"...","logger":"..."}} per line. */
    private static final class JsonLines extends Formatter {
        @Override
        public String format(LogRecord r) {
            JsonStringEncoder enc = JsonStringEncoder.getInstance();
            StringBuilder out = new StringBuilder("{\"time\":\"").append(r.getInstant()).append("\",\"level\":\"")
                    .append(levelName(r.getLevel())).append("\",\"msg\":\"")
                    .append(enc.quoteAsString(formatMessage(r))).append("\",\"logger\":\"")
                    .append(enc.quoteAsString(String.valueOf(r.getLoggerName()))).append('"');
            if (r.getThrown() != null) {
                out.append(",\"error\":\"").append(enc.quoteAsString(thrown(r))).append('"');
            }
            return out.append('}').append(System.lineSeparator()).toString();
        }
    }
}
