package dev.berth.cli.template;

import java.util.List;

/** The parse tree of a template: text, actions and the control structures. */
sealed interface Node {

    /** Literal text, written as is. */
    record Text(String text) implements Node {
    }

    /** {@code {{pipeline}}}: printed unless it declares variables. */
    record Action(Pipeline pipeline) implements Node {
    }

    /** {@code if}, {@code with} (dot rebinding) and {@code range}, each with an optional else. */
    record Control(String keyword, Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {
    }

    /** Commands joined by {@code |}, optionally declaring variables ({@code $k, $v :=}). */
    record Pipeline(List<String> variables, List<Command> commands) {
    }

    /** One command: an operand or function followed by arguments. */
    record Command(List<Arg> args) {
    }

    /** An operand. {@code pos} is the byte offset used in Go-like error messages. */
    sealed interface Arg {
    }

    /** {@code .A.B} on dot ({@code path} empty for {@code .} itself). */
    record Field(List<String> path, int pos, String source) implements Arg {
    }

    /** {@code $x.A.B}. */
    record Variable(String name, List<String> path, int pos, String source) implements Arg {
    }

    /** A function name such as {@code json} or {@code index}. */
    record Function(String name, int pos) implements Arg {
    }

    /** A constant: string, number, bool or nil. */
    record Constant(TemplateValue value) implements Arg {
    }

    /** A parenthesised pipeline. */
    record Nested(Pipeline pipeline) implements Arg {
    }
}
