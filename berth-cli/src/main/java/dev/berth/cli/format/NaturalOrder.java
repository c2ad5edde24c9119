package dev.berth.cli.format;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Go's {@code sortorder.NaturalLess} (github.com/fvbommel/sortorder), which {@code docker network
 * ls} uses to sort by name: runs of digits compare by numeric value ({@code net9 < net10}),
 * digits sort before other characters, everything else compares byte-wise on UTF-8.
 */
public final class NaturalOrder implements Comparator<String> {

    /** The shared, stateless instance. */
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (less(x, y)) {
            return -1;
        }
        return less(y, x) ? 1 : 0;
    }

    /** {@code NaturalLess(a, b)}. */
    public static boolean less(String a, String b) {
        return less(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean less(byte[] s1, byte[] s2) {
        int i1 = 0;
        int i2 = 0;
        while (i1 < s1.length && i2 < s2.length) {
            int c1 = s1[i1] & 0xff;
            int c2 = s2[i2] & 0xff;
            boolean d1 = isDigit(c1);
            boolean d2 = isDigit(c2);
            if (d1 != d2) {
                return d1;
            }
            if (!d1) {
                if (c1 != c2) {
                    return c1 < c2;
                }
                i1++;
                i2++;
                continue;
            }
            while (i1 < s1.length && s1[i1] == '0') {
                i1++;
            }
            while (i2 < s2.length && s2[i2] == '0') {
                i2++;
            }
            int nz1 = i1;
            int nz2 = i2;
            while (i1 < s1.length && isDigit(s1[i1] & 0xff)) {
                i1++;
            }
            while (i2 < s2.length && isDigit(s2[i2] & 0xff)) {
                i2++;
            }
            int len1 = i1 - nz1;
            int len2 = i2 - nz2;
            if (len1 != len2) {
                return len1 < len2;
            }
            int cmp = java.util.Arrays.compareUnsigned(s1, nz1, i1, s2, nz2, i2);
            if (cmp != 0) {
                return cmp < 0;
            }
            if (nz1 != nz2) {
                return nz1 < nz2;
            }
        }
        return s1.length < s2.length;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
