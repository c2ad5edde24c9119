package dev.berth.cli.template;

import java.util.List;

/**
 * A parsed template in the subset of Go's {@code text/template} the docker CLI's
 * {@code --format} needs: fields and chains ({@code .IPAM.Driver}), method calls with arguments
 * ({@code .Label "k"}), variables, pipelines, function calls ({@code json}, {@code index} …),
 * {@code if/else}, {@code range}, {@code with}, trim markers and comments.
 *
 * <pre>{@code
 * Template t = Template.parse("{{.Name}}\t{{json .Labels}}", Functions.basic());
 * String line = t.execute(value, Functions.basic());
 * }</pre>
 *
 * <p>Errors read like Go's ({@code template: :1:2: executing "" at <.Foo>: ...}) but are not
 * guaranteed to match them byte for byte.
 */
public final class Template {

    private final String source;
    private final List<Node> nodes;

    private Template(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /**
     * Parses {@code source}; every function it calls must be in {@code functions}.
     *
     * @throws TemplateException on a syntax error
     */
    public static Template parse(String source, Functions functions) {
        return new Template(source, Parser.parse(source, functions.names()));
    }

    /**
     * Executes the template with {@code data} as dot.
     *
     * @throws TemplateException when a field, key or function fails
     */
    public String execute(TemplateValue data, Functions functions) {
        StringBuilder out = new StringBuilder();
        new Executor(source, functions, out, data).run(nodes);
        return out.toString();
    }

    /** Executes and returns what was written before a failure, and the failure (or null). */
    public Result executePartially(TemplateValue data, Functions functions) {
        StringBuilder out = new StringBuilder();
        try {
            new Executor(source, functions, out, data).run(nodes);
            return new Result(out.toString(), null);
        } catch (TemplateException e) {
            return new Result(out.toString(), e);
        }
    }

    /**
     * The outcome of {@link #executePartially}.
     *
     * @param output what was written
     * @param error  the failure, or {@code null}
     */
    public record Result(String output, TemplateException error) {
    }

    /** The template text as given. */
    public String source() {
        return source;
    }
}
