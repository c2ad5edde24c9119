package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The PEM files dockerd's {@code --tlscacert}, {@code --tlscert} and {@code --tlskey} name, read as
 * Go's {@code crypto/tls} reads them: certificates from every {@code CERTIFICATE} block (other
 * blocks skipped), the key from the first block whose type ends in {@code PRIVATE KEY}: PKCS#8
 * ({@code PRIVATE KEY}: RSA, EC, Ed25519), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1
 * ({@code EC PRIVATE KEY}), what {@code openssl} writes. Encrypted keys are refused, as dockerd
 * refuses them. Errors are {@link InvalidParameterException}s in Go's words.
 *
 * <p>Written here rather than taken from BouncyCastle: the JDK does all the cryptography and
 * reads certificates; only the PEM framing and the wrapping of the two pre-PKCS#8 key formats
 * into PKCS#8 are missing, a few dozen lines against a 9 MiB provider in the daemon's image.
 * (The JDK's own PEM API is a preview in Java 25.)
 */
final class PemFiles {
    /** DER of {@code SEQUENCE { OID rsaEncryption, NULL }}. */
    private static final String RSA_ALGORITHM = "300d06092a864886f70d0101010500";
    /** DER of {@code OID id-ecPublicKey}. */
    private static final String EC_PUBLIC_KEY_OID = "06072a8648ce3d0201";
    /** DER of {@code INTEGER 0}. */
    private static final String VERSION_0 = "020100";

    private PemFiles() {
    }

    /** One PEM block: its type, whether its headers say it is encrypted, its bytes. */
    record Block(String type, boolean encrypted, byte[] der) {
    }

    /** Every certificate of {@code file}, in order; at least one. */
    static List<X509Certificate> certificates(Path file, String what) {
        List<Block> blocks = blocks(read(file, what), what);
        List<X509Certificate> certs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.type().equals("CERTIFICATE")) {
                skipped.add(block.type());
                continue;
            }
            try {
                certs.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new InvalidParameterException(what + ": x509: malformed certificate: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new InvalidParameterException(what + ": " + (blocks.isEmpty()
                    ? "tls: failed to find any PEM data in certificate input"
                    : "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks "
                    + "of the following types: " + skipped));
        }
        return certs;
    }

    /** The private key of {@code file}. */
    static PrivateKey privateKey(Path file, String what) {
        List<Block> blocks = blocks(read(file, what), what);
        for (Block block : blocks) {
            if (block.type().equals("CERTIFICATE")) {
                continue;
            }
            if (block.type().equals("ENCRYPTED PRIVATE KEY") || block.type().endsWith(" PRIVATE KEY") && block.encrypted()) {
                throw new InvalidParameterException(what
                        + ": private key is encrypted; encrypted private keys are obsolete, and not supported");
            }
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der(), what);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(der(0x30, hex(VERSION_0), hex(RSA_ALGORITHM), der(0x04, block.der())), what);
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(der(0x30, hex(VERSION_0), der(0x30, hex(EC_PUBLIC_KEY_OID), curve(block.der(), what)),
                            der(0x04, block.der())), what);
                }
                default -> {
                    // not a key: skipped, as Go skips it
                }
            }
        }
        boolean certificateOnly = !blocks.isEmpty() && blocks.stream().allMatch(b -> b.type().equals("CERTIFICATE"));
        throw new InvalidParameterException(what + ": " + (certificateOnly
                ? "tls: found a certificate rather than a key in the PEM for the private key"
                : "tls: failed to find any PEM data in key input"));
    }

    /** Go's {@code tls: private key does not match public key}, checked by a signature. */
    static void checkPair(PrivateKey key, X509Certificate cert, String what) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] data = "berth".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            PublicKey publicKey = cert.getPublicKey();
            verifier.initVerify(publicKey);
            verifier.update(data);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: no match either
        }
        throw new InvalidParameterException(what + ": tls: private key does not match public key");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InvalidParameterException(what + ": open " + file + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new InvalidParameterException(what + ": open " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new InvalidParameterException(what + ": read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The PEM blocks of {@code text}, in order; text between blocks is ignored, as Go's pem.Decode does. */
    static List<Block> blocks(String text, String what) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("-----BEGIN ") || !line.endsWith("-----")) {
                continue;
            }
            String type = line.substring("-----BEGIN ".length(), line.length() - "-----".length());
            String end = "-----END " + type + "-----";
            boolean encrypted = false;
            StringBuilder base64 = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals(end); j++) {
                String body = lines[j].strip();
                if (body.contains(":")) {
                    encrypted |= body.startsWith("Proc-Type:") && body.contains("ENCRYPTED");
                } else {
                    base64.append(body);
                }
            }
            if (j == lines.length) {
                break;
            }
            try {
                blocks.add(new Block(type, encrypted, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException(what + ": invalid PEM block " + type + ": " + e.getMessage(), e);
            }
            i = j;
        }
        return blocks;
    }

    private static PrivateKey pkcs8(byte[] der, String what) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next kind
            }
        }
        throw new InvalidParameterException(what + ": tls: failed to parse private key");
    }

    /**
     * The named curve of a SEC 1 {@code ECPrivateKey}: {@code SEQUENCE { INTEGER 1, OCTET STRING,
     * [0] OBJECT IDENTIFIER, [1] BIT STRING }}, the OID with its tag and length.
     */
    private static byte[] curve(byte[] sec1, String what) {
        try {
            return curveOf(sec1, what);
        } catch (IndexOutOfBoundsException e) {
            throw new InvalidParameterException(what + ": x509: failed to parse EC private key", e);
        }
    }

    private static byte[] curveOf(byte[] sec1, String what) {
        Der outer = new Der(sec1, 0);
        if (outer.tag() != 0x30) {
            throw new InvalidParameterException(what + ": x509: failed to parse EC private key");
        }
        int at = outer.start();
        while (at < outer.end()) {
            Der field = new Der(sec1, at);
            if (field.tag() == 0xa0) {
                Der oid = new Der(sec1, field.start());
                if (oid.tag() == 0x06 && oid.end() <= sec1.length) {
                    return Arrays.copyOfRange(sec1, field.start(), oid.end());
                }
            }
            at = field.end();
        }
        throw new InvalidParameterException(what + ": x509: EC private key without its named curve");
    }

    /** One DER element at {@code offset}: its tag, where its contents start and where it ends. */
    private record Der(int tag, int start, int end) {
        Der(byte[] der, int offset) {
            this(der[offset] & 0xff, contentStart(der, offset), contentStart(der, offset) + length(der, offset));
        }

        private static int contentStart(byte[] der, int offset) {
            int first = der[offset + 1] & 0xff;
            return offset + 2 + (first < 0x80 ? 0 : first & 0x7f);
        }

        private static int length(byte[] der, int offset) {
            int first = der[offset + 1] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[offset + 2 + i] & 0xff);
            }
            return length;
        }
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    /** A DER element of {@code tag} holding {@code parts}. */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
