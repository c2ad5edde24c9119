package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Java's handshake failures in the words of Go's TLS server, which dockerd's log shows. */
class HandshakeLogTest {
    private static Throwable caused(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void theUsualReasonsAreGosOthersJavas() {
        assertEquals("tls: client didn't provide a certificate",
                HandshakeLog.reason(new SSLHandshakeException("Empty client certificate chain")));
        assertEquals("tls: failed to verify certificate: x509: certificate signed by unknown authority",
                HandshakeLog.reason(caused("PKIX path validation failed", new CertPathValidatorException("no"))));
        assertEquals("tls: failed to verify certificate: x509: certificate has expired or is not yet valid",
                HandshakeLog.reason(caused("bad", new CertPathValidatorException("validity check failed",
                        new CertificateExpiredException("NotAfter: ...")))));
        assertEquals("EOF", HandshakeLog.reason(new IOException("Broken pipe")));
        assertEquals("EOF", HandshakeLog.reason(caused("Remote host terminated the handshake", null)));
        assertEquals("No appropriate protocol (protocol is disabled or cipher suites are inappropriate)",
                HandshakeLog.reason(new SSLHandshakeException(
                        "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")));
    }
}
