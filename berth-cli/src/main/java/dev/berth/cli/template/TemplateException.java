package dev.berth.cli.template;

/** A template that does not parse, or a value the template cannot use; the message is Go-like. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public TemplateException(String message) {
        super(message);
    }
}
