package dev.berth.cli.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into tokens like Go's {@code text/template} lexer: text outside
 * {@code {{ }}}, trim markers ({@code {{- } and { -}}}), comments, and inside actions fields,
 * variables, identifiers, strings, numbers and punctuation.
 */
final class Lexer {

    enum Type { TEXT, LEFT, RIGHT, FIELD, VARIABLE, IDENT, STRING, NUMBER, PIPE, LPAREN, RPAREN, DECLARE, COMMA, DOT }

    record Token(Type type, String text, int pos) {
        int end() {
            return pos + text.length();
        }
    }

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> lex(String src) {
        Lexer lexer = new Lexer(src);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        boolean trimNext = false;
        while (pos < src.length()) {
            int open = src.indexOf("{{", pos);
            String text = src.substring(pos, open < 0 ? src.length() : open);
            if (trimNext) {
                text = text.stripLeading();
            }
            boolean trimLeft = open >= 0 && src.startsWith("{{- ", open);
            if (trimLeft) {
                text = stripTrailing(text);
            }
            if (!text.isEmpty()) {
                tokens.add(new Token(Type.TEXT, text, pos));
            }
            if (open < 0) {
                return;
            }
            pos = open + (trimLeft ? 4 : 2);
            trimNext = action(open);
        }
    }

    private static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && " \t\r\n".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Lexes one action after its opening delimiter; returns whether it ended with a trim marker. */
    private boolean action(int open) {
        if (src.startsWith("/*", pos)) {
            int close = src.indexOf("*/", pos);
            if (close < 0) {
                throw error("unclosed comment");
            }
            pos = close + 2;
            boolean trim = src.startsWith(" -}}", pos);
            if (!trim && !src.startsWith("}}", pos)) {
                throw error("comment ends before closing delimiter");
            }
            pos += trim ? 4 : 2;
            return trim;
        }
        tokens.add(new Token(Type.LEFT, "{{", open));
        while (true) {
            if (pos >= src.length()) {
                throw error("unclosed action");
            }
            if (src.startsWith(" -}}", pos) || src.startsWith("}}", pos)) {
                boolean trim = src.charAt(pos) == ' ';
                pos += trim ? 4 : 2;
                tokens.add(new Token(Type.RIGHT, "}}", pos - 2));
                return trim;
            }
            token();
        }
    }

    private void token() {
        char c = src.charAt(pos);
        int start = pos;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            pos++;
        } else if (c == '.' && (pos + 1 >= src.length() || !isAlnum(src.charAt(pos + 1)))) {
            pos++;
            tokens.add(new Token(Type.DOT, ".", start));
        } else if (c == '.' || c == '$') {
            pos++;
            while (pos < src.length() && isAlnum(src.charAt(pos))) {
                pos++;
            }
            tokens.add(new Token(c == '.' ? Type.FIELD : Type.VARIABLE, src.substring(start, pos), start));
        } else if (c == '"' || c == '`') {
            tokens.add(new Token(Type.STRING, quoted(c), start));
        } else if (Character.isDigit(c) || (c == '-' || c == '+') && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && (isAlnum(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            tokens.add(new Token(Type.NUMBER, src.substring(start, pos), start));
        } else if (isAlnum(c)) {
            while (pos < src.length() && isAlnum(src.charAt(pos))) {
                pos++;
            }
            tokens.add(new Token(Type.IDENT, src.substring(start, pos), start));
        } else {
            punctuation(c, start);
        }
    }

    private void punctuation(char c, int start) {
        Type type = switch (c) {
            case '|' -> Type.PIPE;
            case '(' -> Type.LPAREN;
            case ')' -> Type.RPAREN;
            case ',' -> Type.COMMA;
            case ':' -> src.startsWith(":=", pos) ? Type.DECLARE : null;
            case '=' -> Type.DECLARE;
            default -> null;
        };
        if (type == null) {
            throw error(String.format("bad character U+%04X '%c'", (int) c, c));
        }
        pos += type == Type.DECLARE && c == ':' ? 2 : 1;
        tokens.add(new Token(type, src.substring(start, pos), start));
    }

    private String quoted(char quote) {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || quote == '"' && src.charAt(pos) == '\n') {
                throw error("unterminated quoted string");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && quote == '"' && pos < src.length()) {
                char e = src.charAt(pos++);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
    }

    private TemplateException error(String message) {
        int line = 1 + (int) src.substring(0, Math.min(pos, src.length())).chars().filter(ch -> ch == '\n').count();
        return new TemplateException("template: :" + line + ": " + message);
    }

    private static boolean isAlnum(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
