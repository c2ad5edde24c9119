package dev.berth.cli.template;

import java.util.ArrayList;
import java.util.List;

/** Walks the parse tree with a dot value and a variable stack, writing output as it goes. */
final class Executor {

    private record Variable(String name, TemplateValue value) {
    }

    private final String source;
    private final Functions functions;
    private final StringBuilder out;
    private final List<Variable> variables = new ArrayList<>();
    private TemplateValue dot;

    Executor(String source, Functions functions, StringBuilder out, TemplateValue data) {
        this.source = source;
        this.functions = functions;
        this.out = out;
        this.dot = data;
        variables.add(new Variable("$", data));
    }

    void run(List<Node> nodes) {
        for (Node node : nodes) {
            switch (node) {
                case Node.Text t -> out.append(t.text());
                case Node.Action a -> {
                    TemplateValue value = pipeline(a.pipeline());
                    if (a.pipeline().variables().isEmpty()) {
                        out.append(value.print());
                    }
                }
                case Node.Control c -> control(c);
            }
        }
    }

    private void control(Node.Control c) {
        int mark = variables.size();
        TemplateValue saved = dot;
        try {
            TemplateValue value = c.keyword().equals("range") ? evaluate(c.pipeline()) : pipeline(c.pipeline());
            switch (c.keyword()) {
                case "if" -> run(value.truth() ? c.body() : c.otherwise());
                case "with" -> {
                    if (value.truth()) {
                        dot = value;
                        run(c.body());
                    } else {
                        run(c.otherwise());
                    }
                }
                default -> range(c, value);
            }
        } finally {
            dot = saved;
            variables.subList(mark, variables.size()).clear();
        }
    }

    private void range(Node.Control c, TemplateValue value) {
        List<TemplateValue.Entry> entries = value.kind() == TemplateValue.Kind.INVALID ? List.of() : value.entries();
        if (entries.isEmpty()) {
            run(c.otherwise());
            return;
        }
        List<String> names = c.pipeline().variables();
        int mark = variables.size();
        for (TemplateValue.Entry entry : entries) {
            if (names.size() == 1) {
                variables.add(new Variable(names.get(0), entry.value()));
            } else if (names.size() == 2) {
                variables.add(new Variable(names.get(0), entry.key()));
                variables.add(new Variable(names.get(1), entry.value()));
            }
            dot = entry.value();
            run(c.body());
            variables.subList(mark, variables.size()).clear();
        }
    }

    /** Evaluates a pipeline without binding its declared variables (range binds them per element). */
    private TemplateValue evaluate(Node.Pipeline pipeline) {
        TemplateValue value = null;
        for (Node.Command command : pipeline.commands()) {
            value = command(command, value);
        }
        return value;
    }

    private TemplateValue pipeline(Node.Pipeline pipeline) {
        TemplateValue value = evaluate(pipeline);
        for (String name : pipeline.variables()) {
            variables.add(new Variable(name, value));
        }
        return value;
    }

    private TemplateValue command(Node.Command command, TemplateValue piped) {
        Node.Arg first = command.args().getFirst();
        List<Node.Arg> rest = command.args().subList(1, command.args().size());
        return switch (first) {
            case Node.Function f -> call(f, rest, piped);
            case Node.Field f -> at(f.pos(), f.source(), () -> chain(dot, f.path(), arguments(rest, piped)));
            case Node.Variable v -> at(v.pos(), v.source(), () -> chain(variable(v.name()), v.path(), arguments(rest, piped)));
            default -> {
                if (!rest.isEmpty() || piped != null) {
                    throw new TemplateException("template: :1: can't give argument to non-function");
                }
                yield argument(first);
            }
        };
    }

    private TemplateValue call(Node.Function f, List<Node.Arg> rest, TemplateValue piped) {
        List<TemplateValue> args = arguments(rest, piped);
        return at(f.pos(), f.name(), () -> {
            try {
                return functions.get(f.name()).apply(args);
            } catch (TemplateException e) {
                // argument type errors are Go's, raised before the call
                throw e.getMessage().startsWith("error calling") || e.getMessage().startsWith("wrong type for value") ? e
                        : new TemplateException("error calling " + f.name() + ": " + e.getMessage());
            }
        });
    }

    private List<TemplateValue> arguments(List<Node.Arg> args, TemplateValue piped) {
        List<TemplateValue> values = new ArrayList<>(args.size() + 1);
        for (Node.Arg arg : args) {
            values.add(argument(arg));
        }
        if (piped != null) {
            values.add(piped);
        }
        return values;
    }

    private TemplateValue argument(Node.Arg arg) {
        return switch (arg) {
            case Node.Constant c -> c.value();
            case Node.Field f -> at(f.pos(), f.source(), () -> chain(dot, f.path(), List.of()));
            case Node.Variable v -> at(v.pos(), v.source(), () -> chain(variable(v.name()), v.path(), List.of()));
            case Node.Nested n -> pipeline(n.pipeline());
            case Node.Function f -> call(f, List.of(), null);
        };
    }

    private static TemplateValue chain(TemplateValue start, List<String> path, List<TemplateValue> args) {
        if (path.isEmpty() && !args.isEmpty()) {
            throw new TemplateException("can't give argument to non-function " + start.print());
        }
        TemplateValue value = start;
        for (int i = 0; i < path.size(); i++) {
            if (value.kind() == TemplateValue.Kind.INVALID) {
                throw new TemplateException("nil pointer evaluating interface {}." + path.get(i));
            }
            value = value.field(path.get(i), i == path.size() - 1 ? args : List.of());
        }
        return value;
    }

    private TemplateValue variable(String name) {
        for (int i = variables.size() - 1; i >= 0; i--) {
            if (variables.get(i).name().equals(name)) {
                return variables.get(i).value();
            }
        }
        throw new TemplateException("template: :1: undefined variable: " + name);
    }

    private TemplateValue at(int pos, String text, java.util.function.Supplier<TemplateValue> step) {
        try {
            return step.get();
        } catch (TemplateException e) {
            if (e.getMessage().startsWith("template: ")) {
                throw e;
            }
            throw new TemplateException("template: :" + location(pos) + ": executing \"\" at <" + text + ">: " + e.getMessage());
        }
    }

    private String location(int pos) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (pos - lineStart);
    }
}
