package dev.berth.cli.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The functions a template may call: Go's built-ins ({@code index len eq ne not and or print
 * printf}) plus the docker CLI's ({@code json split join title lower upper pad truncate}).
 * {@link #header()} is docker's {@code HeaderFunctions} variant used to render table headers,
 * where the docker functions return their first argument unchanged.
 */
public final class Functions {

    /** A callable template function. */
    @FunctionalInterface
    public interface Function {
        /** Calls the function. */
        TemplateValue apply(List<TemplateValue> args);
    }

    private final Map<String, Function> table;

    private Functions(Map<String, Function> table) {
        this.table = Map.copyOf(table);
    }

    /** The functions for executing a template over data. */
    public static Functions basic() {
        Map<String, Function> table = builtins();
        table.put("json", a -> Scalar.string(arg(a, 0).json(false).strip()));
        table.put("split", a -> split(text(a, 0), text(a, 1)));
        table.put("join", a -> Scalar.string(String.join(text(a, 1), arg(a, 0).entries().stream().map(e -> e.value().print()).toList())));
        table.put("title", a -> Scalar.string(title(text(a, 0))));
        table.put("lower", a -> Scalar.string(text(a, 0).toLowerCase(Locale.ROOT)));
        table.put("upper", a -> Scalar.string(text(a, 0).toUpperCase(Locale.ROOT)));
        table.put("pad", a -> Scalar.string(pad(text(a, 0), number(a, 1), number(a, 2))));
        table.put("truncate", a -> Scalar.string(truncate(text(a, 0), number(a, 1))));
        return new Functions(table);
    }

    /** The functions for rendering a table header: docker's functions pass their first argument through. */
    public static Functions header() {
        Map<String, Function> table = builtins();
        for (String name : List.of("json", "split", "join", "title", "lower", "upper", "pad", "truncate")) {
            table.put(name, a -> arg(a, 0));
        }
        return new Functions(table);
    }

    /** The defined names, for the parser. */
    public Set<String> names() {
        return table.keySet();
    }

    Function get(String name) {
        return table.get(name);
    }

    private static Map<String, Function> builtins() {
        Map<String, Function> table = new HashMap<>();
        table.put("index", Functions::index);
        table.put("len", a -> Scalar.integer(arg(a, 0).length()));
        table.put("eq", a -> Scalar.bool(a.subList(1, a.size()).stream().anyMatch(b -> same(arg(a, 0), b))));
        table.put("ne", a -> Scalar.bool(!same(arg(a, 0), arg(a, 1))));
        table.put("not", a -> Scalar.bool(!arg(a, 0).truth()));
        table.put("and", a -> a.stream().filter(v -> !v.truth()).findFirst().orElse(a.getLast()));
        table.put("or", a -> a.stream().filter(TemplateValue::truth).findFirst().orElse(a.getLast()));
        table.put("print", a -> Scalar.string(sprint(a)));
        table.put("println", a -> Scalar.string(String.join(" ", a.stream().map(TemplateValue::print).toList()) + "\n"));
        table.put("printf", a -> Scalar.string(printf(text(a, 0), a.subList(1, a.size()))));
        return table;
    }

    private static TemplateValue arg(List<TemplateValue> args, int i) {
        if (i >= args.size()) {
            throw new TemplateException("wrong number of args: want at least " + (i + 1) + " got " + args.size());
        }
        return args.get(i);
    }

    private static String text(List<TemplateValue> args, int i) {
        TemplateValue value = arg(args, i);
        if (value.kind() == TemplateValue.Kind.STRING && !value.typeName().equals("string")) {
            throw new TemplateException("wrong type for value; expected string; got " + value.typeName());
        }
        return value.print();
    }

    private static int number(List<TemplateValue> args, int i) {
        try {
            return Integer.parseInt(text(args, i));
        } catch (NumberFormatException e) {
            throw new TemplateException("expected integer; found " + text(args, i));
        }
    }

    private static TemplateValue index(List<TemplateValue> args) {
        TemplateValue value = arg(args, 0);
        for (TemplateValue key : args.subList(1, args.size())) {
            value = value.index(key);
        }
        return value;
    }

    private static boolean same(TemplateValue a, TemplateValue b) {
        if (a.kind() != b.kind() && !(a.kind() == TemplateValue.Kind.INVALID || b.kind() == TemplateValue.Kind.INVALID)) {
            throw new TemplateException("error calling eq: incompatible types for comparison");
        }
        return a.kind() == b.kind() && a.print().equals(b.print());
    }

    private static TemplateValue split(String s, String separator) {
        List<TemplateValue> parts = new ArrayList<>();
        if (separator.isEmpty()) {
            s.codePoints().forEach(cp -> parts.add(Scalar.string(Character.toString(cp))));
        } else {
            int start = 0;
            for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, start)) {
                parts.add(Scalar.string(s.substring(start, at)));
                start = at + separator.length();
            }
            parts.add(Scalar.string(s.substring(start)));
        }
        return new Sequence(parts);
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            out.append(start ? Character.toTitleCase(c) : c);
            start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
        }
        return out.toString();
    }

    private static String pad(String s, int prefix, int suffix) {
        return s.isEmpty() ? s : " ".repeat(prefix) + s + " ".repeat(suffix);
    }

    private static String truncate(String s, int length) {
        return s.length() < length ? s : s.substring(0, length);
    }

    /** {@code fmt.Sprint}: a space between operands when neither is a string. */
    private static String sprint(List<TemplateValue> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            boolean isString = args.get(i).kind() == TemplateValue.Kind.STRING;
            if (i > 0 && !isString && args.get(i - 1).kind() != TemplateValue.Kind.STRING) {
                out.append(' ');
            }
            out.append(args.get(i).print());
        }
        return out.toString();
    }

    /** {@code fmt.Sprintf} for the verbs templates use: {@code %s %v %d %t %q %%}. */
    private static String printf(String format, List<TemplateValue> args) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char verb = format.charAt(++i);
            if (verb == '%') {
                out.append('%');
            } else if (used >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
            } else {
                TemplateValue v = args.get(used++);
                out.append(verb == 'q' ? dev.berth.cli.format.GoJson.quote(v.print(), false) : v.print());
            }
        }
        return out.toString();
    }
}
