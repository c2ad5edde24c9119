package dev.berth.it.crash;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one operation's campaign found: its points, the ones tried, and what was wrong at each failing one. */
final class CrashReport {
    private final String operation;
    private final Map<String, List<String>> failures = new LinkedHashMap<>();
    private final java.util.Set<String> triedPoints = new java.util.HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private List<String> points = List.of();
    private List<String> tracedRunProblems = List.of();
    private int tried;

    CrashReport(String operation) {
        this.operation = operation;
    }

    void points(List<String> all) {
        this.points = List.copyOf(all);
    }

    void tracedRun(List<String> problems) {
        this.tracedRunProblems = List.copyOf(problems);
    }

    void tried(String point, List<String> problems) {
        tried++;
        triedPoints.add(point);
        if (!problems.isEmpty()) {
            failures.put(point, List.copyOf(problems));
        }
    }

    void note(String text) {
        notes.add(text);
    }

    String operation() {
        return operation;
    }

    int pointCount() {
        return points.size();
    }

    int tried() {
        return tried;
    }

    int converged() {
        return tried - failures.size();
    }

    Map<String, List<String>> failures() {
        return failures;
    }

    List<String> tracedRunProblems() {
        return tracedRunProblems;
    }

    /**
     * A readable block: the figure, every point in trace order marked {@code ok}, {@code FAILED}
     * or {@code -} (not tried), then every failing point with its problems.
     */
    String describe() {
        StringBuilder out = new StringBuilder();
        out.append(operation).append(": ").append(pointCount()).append(" points, tried ").append(tried)
                .append(", converged ").append(converged()).append('\n');
        if (!tracedRunProblems.isEmpty()) {
            out.append("  run without a kill: ").append(tracedRunProblems).append('\n');
        }
        for (int i = 0; i < points.size(); i++) {
            String p = points.get(i);
            String mark = failures.containsKey(p) ? "FAILED" : triedPoints.contains(p) ? "ok" : "-";
            out.append(String.format("  %3d %-6s %s%n", i + 1, mark, p));
        }
        failures.forEach((point, problems) -> {
            out.append("  FAILED ").append(point).append('\n');
            problems.forEach(p -> out.append("      ").append(p).append('\n'));
        });
        notes.forEach(n -> out.append("  note: ").append(n).append('\n'));
        return out.toString();
    }
}
