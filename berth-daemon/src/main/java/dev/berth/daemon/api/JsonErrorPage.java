package dev.berth.daemon.api;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises itself (malformed request line, oversized headers or body, ambiguous URI)
 * answered in the Engine API's error shape instead of Jetty's HTML page, the size limits with a
 * message that says what the limit is.
 */
final class JsonErrorPage extends ErrorHandler {
    private final Dispatcher dispatcher;

    JsonErrorPage(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = dispatcher.errorBody(text(code, message));
        HttpFields.Mutable headers = response.getHeaders();
        dispatcher.commonHeaders(headers);
        headers.put(HttpHeader.CONTENT_TYPE, Dispatcher.JSON);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String text(int code, String message) {
        return switch (code) {
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> BodyLimit.MESSAGE;
            case HttpStatus.URI_TOO_LONG_414, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 ->
                    "request line or headers too large: the Engine API accepts at most " + ApiServer.HEADER_BYTES
                            + " bytes of them";
            default -> plain(code, message);
        };
    }

    private static String plain(int code, String message) {
        if (message != null && !message.isBlank()) {
            return message;
        }
        String reason = HttpStatus.getMessage(code);
        return reason == null ? "error " + code : reason.toLowerCase(Locale.ROOT);
    }
}
