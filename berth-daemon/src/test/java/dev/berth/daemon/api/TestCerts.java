package dev.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made by the {@code openssl} CLI as Docker's documentation makes
 * them (P-256 keys, quick to make): a CA ({@code ca.pem}), the server's certificate for
 * {@code localhost} and 127.0.0.1 signed by it ({@code cert.pem}, its key {@code key.pem} in SEC 1
 * form, {@code BEGIN EC PRIVATE KEY}), a client certificate signed by it ({@code client-cert.pem},
 * {@code client-key.pem} in PKCS#8), and another CA with a client of its own
 * ({@code other-ca.pem}, {@code other-client-cert.pem}, {@code other-client-key.pem}).
 *
 * @param dir where the files are
 */
public record TestCerts(Path dir) {
    private static final String SCRIPT = """
            set -e
            cd "$1"
            ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
            ec ca-key.pem
            openssl req -x509 -new -key ca-key.pem -out ca.pem -days 2 -subj "/CN=berth test CA"
            openssl ecparam -name prime256v1 -genkey -noout -out key.pem
            openssl req -new -key key.pem -out server.csr -subj "/CN=localhost"
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2 \\
                -extfile server.ext 2>/dev/null
            ec client-key.pem
            openssl req -new -key client-key.pem -out client.csr -subj "/CN=client"
            printf 'extendedKeyUsage=clientAuth\\n' > client.ext
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client-cert.pem \\
                -days 2 -extfile client.ext 2>/dev/null
            ec other-ca-key.pem
            openssl req -x509 -new -key other-ca-key.pem -out other-ca.pem -days 2 -subj "/CN=another CA"
            ec other-client-key.pem
            openssl req -new -key other-client-key.pem -out other.csr -subj "/CN=intruder"
            openssl x509 -req -in other.csr -CA other-ca.pem -CAkey other-ca-key.pem -CAcreateserial \\
                -out other-client-cert.pem -days 2 -extfile client.ext 2>/dev/null
            """;

    /** Whether the {@code openssl} CLI is there (it is in Berth's dependencies). */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    /** Makes every file in {@code dir} (created if missing). */
    public static TestCerts make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(dir, "sh", "-c", SCRIPT, "sh", dir.toString());
        return new TestCerts(dir);
    }

    /** Runs {@code openssl args...} in {@code dir} (a key of another format, say); fails unless it succeeds. */
    public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        String[] argv = new String[args.length + 1];
        argv[0] = "openssl";
        System.arraycopy(args, 0, argv, 1, args.length);
        run(dir, argv);
    }

    private static void run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path cert() {
        return dir.resolve("cert.pem");
    }

    public Path key() {
        return dir.resolve("key.pem");
    }

    public Path clientCert() {
        return dir.resolve("client-cert.pem");
    }

    public Path clientKey() {
        return dir.resolve("client-key.pem");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    public Path otherClientCert() {
        return dir.resolve("other-client-cert.pem");
    }

    public Path otherClientKey() {
        return dir.resolve("other-client-key.pem");
    }
}
