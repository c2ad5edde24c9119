package dev.berth.cli.command;

import dev.berth.cli.template.Scalar;
import dev.berth.cli.template.TemplateValue;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The value a table header is rendered from: docker's {@code SubHeaderContext}, a map from
 * field name to header, whose {@code Label "a.b-c"} method yields {@code b c}.
 */
final class HeaderRow implements TemplateValue {

    private final Map<String, String> headers;

    HeaderRow(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public Kind kind() {
        return Kind.MAP;
    }

    @Override
    public String typeName() {
        return "formatter.SubHeaderContext";
    }

    @Override
    public TemplateValue field(String name, List<TemplateValue> args) {
        if (name.equals("Label") && args.size() == 1) {
            String[] parts = args.getFirst().print().split("\\.", -1);
            return Scalar.string(parts[parts.length - 1].replace('-', ' ').replace('_', ' '));
        }
        String header = headers.get(name);
        return header == null ? Scalar.NO_VALUE : Scalar.string(header);
    }

    @Override
    public String print() {
        StringJoiner out = new StringJoiner(" ", "map[", "]");
        new TreeMap<>(headers).forEach((k, v) -> out.add(k + ":" + v));
        return out.toString();
    }

    @Override
    public String json(boolean escapeHtml) {
        return print();
    }
}
