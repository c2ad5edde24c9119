package dev.berth.cli.template;

import dev.berth.cli.template.Lexer.Token;
import dev.berth.cli.template.Lexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the {@link Node} tree from tokens; knows {@code if/else/end}, {@code range}, {@code with}. */
final class Parser {

    private static final Set<String> CONTROLS = Set.of("if", "range", "with");

    private final String src;
    private final List<Token> tokens;
    private final Set<String> functions;
    private int next;

    private Parser(String src, Set<String> functions) {
        this.src = src;
        this.tokens = Lexer.lex(src);
        this.functions = functions;
    }

    static List<Node> parse(String src, Set<String> functions) {
        Parser parser = new Parser(src, functions);
        List<Node> nodes = new ArrayList<>();
        String end = parser.list(nodes);
        if (end != null) {
            throw parser.error("unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /** Parses nodes until EOF or {@code {{end}}}/{@code {{else}}}; returns that keyword or null at EOF. */
    private String list(List<Node> nodes) {
        while (next < tokens.size()) {
            Token t = tokens.get(next++);
            if (t.type() == Type.TEXT) {
                nodes.add(new Node.Text(t.text()));
                continue;
            }
            Token first = peek();
            if (first.type() == Type.IDENT && (first.text().equals("end") || first.text().equals("else"))) {
                next++;
                if (first.text().equals("end")) {
                    expect(Type.RIGHT);
                }
                return first.text();
            }
            if (first.type() == Type.IDENT && CONTROLS.contains(first.text())) {
                next++;
                nodes.add(control(first.text()));
            } else {
                nodes.add(new Node.Action(pipeline(Type.RIGHT)));
            }
        }
        return null;
    }

    private Node control(String keyword) {
        Node.Pipeline pipeline = pipeline(Type.RIGHT);
        List<Node> body = new ArrayList<>();
        List<Node> otherwise = new ArrayList<>();
        String end = list(body);
        if ("else".equals(end)) {
            if (peek().type() == Type.IDENT && peek().text().equals("if") && keyword.equals("if")) {
                next++;
                otherwise.add(control("if"));
                return new Node.Control(keyword, pipeline, body, otherwise);
            }
            expect(Type.RIGHT);
            end = list(otherwise);
        }
        if (!"end".equals(end)) {
            throw error("unexpected EOF");
        }
        return new Node.Control(keyword, pipeline, body, otherwise);
    }

    private Node.Pipeline pipeline(Type closer) {
        List<String> variables = declarations();
        List<Node.Command> commands = new ArrayList<>();
        while (true) {
            List<Node.Arg> args = new ArrayList<>();
            while (peek().type() != Type.PIPE && peek().type() != closer) {
                args.add(operand());
            }
            if (args.isEmpty()) {
                throw error(commands.isEmpty() && variables.isEmpty() ? "missing value for command" : "missing command");
            }
            commands.add(new Node.Command(args));
            if (tokens.get(next++).type() == closer) {
                return new Node.Pipeline(variables, commands);
            }
        }
    }

    private List<String> declarations() {
        List<String> variables = new ArrayList<>();
        int mark = next;
        while (peek().type() == Type.VARIABLE) {
            variables.add(tokens.get(next++).text());
            if (peek().type() == Type.DECLARE) {
                next++;
                return variables;
            }
            if (peek().type() != Type.COMMA) {
                break;
            }
            next++;
        }
        next = mark;
        return new ArrayList<>();
    }

    private Node.Arg operand() {
        Token t = tokens.get(next++);
        return switch (t.type()) {
            case DOT -> new Node.Field(List.of(), t.pos(), ".");
            case FIELD -> {
                List<String> path = chain(t, new ArrayList<>(List.of(t.text().substring(1))));
                yield new Node.Field(path, path.size() > 1 ? tokens.get(next - path.size() + 1).pos() : t.pos(),
                        src.substring(t.pos(), tokens.get(next - 1).end()));
            }
            case VARIABLE -> {
                List<String> path = chain(t, new ArrayList<>());
                yield new Node.Variable(t.text(), path, t.pos(), src.substring(t.pos(), tokens.get(next - 1).end()));
            }
            case STRING -> new Node.Constant(Scalar.string(t.text()));
            case NUMBER -> new Node.Constant(Scalar.number(t.text()));
            case LPAREN -> new Node.Nested(pipeline(Type.RPAREN));
            case IDENT -> identifier(t);
            default -> throw error("unexpected \"" + t.text() + "\" in command");
        };
    }

    private Node.Arg identifier(Token t) {
        return switch (t.text()) {
            case "true", "false" -> new Node.Constant(Scalar.bool(t.text().equals("true")));
            case "nil" -> new Node.Constant(Scalar.NO_VALUE);
            default -> {
                if (!functions.contains(t.text())) {
                    throw error("function \"" + t.text() + "\" not defined");
                }
                yield new Node.Function(t.text(), t.pos());
            }
        };
    }

    /** Appends the adjacent {@code .Field} tokens following {@code first}. */
    private List<String> chain(Token first, List<String> path) {
        Token previous = first;
        while (peek().type() == Type.FIELD && peek().pos() == previous.end()) {
            previous = tokens.get(next++);
            path.add(previous.text().substring(1));
        }
        return path;
    }

    private Token peek() {
        if (next >= tokens.size()) {
            throw error("unclosed action");
        }
        return tokens.get(next);
    }

    private void expect(Type type) {
        if (peek().type() != type) {
            throw error("unexpected \"" + peek().text() + "\"");
        }
        next++;
    }

    private TemplateException error(String message) {
        int pos = next < tokens.size() ? tokens.get(next).pos() : src.length();
        int line = 1 + (int) src.substring(0, Math.min(pos, src.length())).chars().filter(ch -> ch == '\n').count();
        return new TemplateException("template: :" + line + ": " + message);
    }
}
