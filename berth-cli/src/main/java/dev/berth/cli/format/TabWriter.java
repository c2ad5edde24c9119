package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's {@code text/tabwriter} for flags 0 and a non-tab pad character, the way the
 * docker CLI uses it ({@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)} for tables).
 *
 * <p>Cells are terminated by {@code '\t'} (or {@code '\v'}); the text after the last tab of a line
 * is not part of a column and is never padded. A column block is a run of consecutive lines that
 * all have a cell in that column; its width is the widest cell of the block plus padding, but at
 * least {@code minWidth}. Widths count code points, as Go counts runes.
 */
public final class TabWriter {

    private final int minWidth;
    private final int padding;
    private final char padChar;

    /** Go's {@code NewWriter(out, minWidth, tabWidth, padding, padChar, 0)}; tabWidth is unused. */
    public TabWriter(int minWidth, int padding, char padChar) {
        if (padChar == '\t') {
            throw new IllegalArgumentException("tab padding is not supported");
        }
        this.minWidth = minWidth;
        this.padding = padding;
        this.padChar = padChar;
    }

    /** The writer docker uses for {@code table} formats: minwidth 10, padding 3, spaces. */
    public static TabWriter dockerTable() {
        return new TabWriter(10, 3, ' ');
    }

    /** Formats the whole text as if written to the tabwriter and flushed. */
    public String format(String text) {
        List<List<String>> lines = split(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        format(out, lines, new ArrayList<>(), 0, lines.size());
        return out.toString();
    }

    private static List<List<String>> split(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\u000b' || c == '\n' || c == '\f') {
                line.add(text.substring(start, i));
                start = i + 1;
                if (c == '\n' || c == '\f') {
                    lines.add(line);
                    line = new ArrayList<>();
                }
            }
        }
        if (start < text.length()) {
            line.add(text.substring(start));
        }
        lines.add(line);
        return lines;
    }

    private void format(StringBuilder out, List<List<String>> lines, List<Integer> widths, int from, int to) {
        int line0 = from;
        int column = widths.size();
        for (int current = line0; current < to; current++) {
            if (column >= lines.get(current).size() - 1) {
                continue;
            }
            writeLines(out, lines, widths, line0, current);
            line0 = current;
            int width = minWidth;
            for (; current < to; current++) {
                List<String> line = lines.get(current);
                if (column >= line.size() - 1) {
                    break;
                }
                width = Math.max(width, cellWidth(line.get(column)) + padding);
            }
            widths.add(width);
            format(out, lines, widths, line0, current);
            widths.removeLast();
            line0 = current;
        }
        writeLines(out, lines, widths, line0, to);
    }

    private void writeLines(StringBuilder out, List<List<String>> lines, List<Integer> widths, int from, int to) {
        for (int i = from; i < to; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String cell = line.get(j);
                out.append(cell);
                if (j < widths.size()) {
                    out.repeat(padChar, widths.get(j) - cellWidth(cell));
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }

    private static int cellWidth(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
