package dev.berth.daemon.config;

/** A flag or daemon.json problem that stops start-up; the message is shown to the user as is. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
