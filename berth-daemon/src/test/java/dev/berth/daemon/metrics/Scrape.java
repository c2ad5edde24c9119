package dev.berth.daemon.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scrape in the Prometheus text format, sample by sample: {@code name{labels}} to its value.
 * Test-side parsing only (lines of {@code series value}); the daemon writes it with the library.
 */
public final class Scrape {
    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    public Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** The value of one series, written as the text format writes it: {@code name{a="x",b="y"}}. */
    public double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            fail("no series " + series + " in\n" + text);
        }
        return v;
    }

    /** The value, 0 when the series is absent (a labelled counter appears at its first increment). */
    public double valueOrZero(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    public String text() {
        return text;
    }
}
