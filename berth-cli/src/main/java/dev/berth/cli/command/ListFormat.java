package dev.berth.cli.command;

import dev.berth.cli.shell.CommandFailure;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.template.Functions;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;
import dev.berth.cli.template.TemplateValue;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code formatter.Context} for list commands: {@code table} formats get a header row
 * and go through a tabwriter (minwidth 10, padding 3), {@code json} means {@code {{json .}}},
 * any other text is a template applied to each row with a newline after it. In the format text
 * the two-character sequences {@code \t} and {@code \n} become tab and newline.
 *
 * @param format  the format after command defaults were applied (e.g. {@code table {{.ID}}...})
 * @param headers the header of each field, for table formats
 */
record ListFormat(String format, Map<String, String> headers) {

    private static final String TABLE = "table";

    /**
     * Docker's {@code NewFormat} for a list: {@code table} (the default) and {@code raw} are
     * expanded, {@code -q} turns them into the id-only format, anything else is kept as given.
     */
    static String expand(String source, boolean quiet, String defaultTable, String rawFormat, String quietRaw) {
        return switch (source) {
            case TABLE -> quiet ? "{{.ID}}" : defaultTable;
            case "raw" -> quiet ? quietRaw : rawFormat;
            default -> source;
        };
    }

    boolean isTable() {
        return format.startsWith(TABLE);
    }

    /** Renders all rows. */
    String render(List<? extends TemplateValue> rows) {
        String text = format;
        if (isTable()) {
            text = text.substring(TABLE.length());
        } else if (format.strip().equals("json")) {
            text = "{{json .}}";
        }
        text = trimSpaces(text).replace("\\t", "\t").replace("\\n", "\n");
        Functions functions = Functions.basic();
        Template template = parse(text, functions);
        StringBuilder body = new StringBuilder();
        for (TemplateValue row : rows) {
            try {
                body.append(template.execute(row, functions)).append('\n');
            } catch (TemplateException e) {
                throw new CommandFailure("template parsing error: " + e.getMessage(), 1);
            }
        }
        if (!isTable()) {
            return body.toString();
        }
        String header = template.executePartially(new HeaderRow(headers), Functions.header()).output();
        return TabWriter.dockerTable().format(header + "\n" + body);
    }

    private static Template parse(String text, Functions functions) {
        try {
            return Template.parse(text, functions);
        } catch (TemplateException e) {
            throw new CommandFailure("template parsing error: " + e.getMessage(), 1);
        }
    }

    /** Go's {@code strings.Trim(s, " ")}: spaces only, both ends. */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
