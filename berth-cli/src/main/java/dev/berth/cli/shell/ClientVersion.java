package dev.berth.cli.shell;

/** The CLI's own version, shown by {@code berth version} and sent in the User-Agent. */
public final class ClientVersion {
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private ClientVersion() {
    }
}
