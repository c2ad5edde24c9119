package dev.berth.kernel.nftables;

/**
 * libnftables refused a script, or could not be loaded. The message holds nft's own error text
 * (which quotes the failing line); {@link #script()} is the whole script that was rejected, none of
 * which took effect.
 */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String nftError;
    private final String script;

    public NftException(String action, String nftError, String script) {
        super(action + ": " + (nftError == null || nftError.isBlank() ? "failed" : nftError.strip()));
        this.nftError = nftError == null ? "" : nftError;
        this.script = script == null ? "" : script;
    }

    public NftException(String action, Throwable cause) {
        super(action + ": " + cause.getMessage(), cause);
        this.nftError = String.valueOf(cause.getMessage());
        this.script = "";
    }

    /** What libnftables wrote to its error buffer. */
    public String nftError() {
        return nftError;
    }

    /** The script that failed; empty when the failure was not about a script. */
    public String script() {
        return script;
    }
}
