package dev.berth.cli.template;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A Go slice built by the template itself, e.g. the result of {@code split}.
 *
 * @param items the elements
 */
public record Sequence(List<TemplateValue> items) implements TemplateValue {

    /** An immutable copy of {@code items}. */
    public Sequence {
        items = List.copyOf(items);
    }

    @Override
    public Kind kind() {
        return Kind.SLICE;
    }

    @Override
    public String typeName() {
        return "[]string";
    }

    @Override
    public String print() {
        StringJoiner out = new StringJoiner(" ", "[", "]");
        items.forEach(item -> out.add(item.print()));
        return out.toString();
    }

    @Override
    public String json(boolean escapeHtml) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        items.forEach(item -> out.add(item.json(escapeHtml)));
        return out.toString();
    }

    @Override
    public int length() {
        return items.size();
    }

    @Override
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            entries.add(new Entry(Scalar.integer(i), items.get(i)));
        }
        return entries;
    }

    @Override
    public TemplateValue index(TemplateValue key) {
        int i = Integer.parseInt(key.print());
        if (i < 0 || i >= items.size()) {
            throw new TemplateException("error calling index: index out of range: " + i);
        }
        return items.get(i);
    }
}
