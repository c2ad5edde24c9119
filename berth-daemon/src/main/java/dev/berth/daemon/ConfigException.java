package dev.berth.daemon;

/** A flag or daemon.json problem that stops start-up; the message is shown to the user as is. */
final class ConfigException extends RuntimeException {
    ConfigException(String message) {
        super(message);
    }
}
