package com.gnosis.hub.bench;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Character error rate exactly as tools/cer.py computes it: Levenshtein(hyp, ref) / len(ref) over code points,
 * after its "ws" normalisation (BOM stripped, NFC, whitespace runs to one space, trimmed) or its "folded" one
 * (NFKC, typographic quotes and dashes to ASCII, soft hyphens removed).
 */
public final class Cer {

    /** Edits, reference length (code points) and their ratio. */
    public record Score(long edits, long refLength, double cer) {
    }

    private Cer() {
    }

    public static Score score(String ref, String hyp, boolean folded) {
        int[] r = (folded ? normFolded(ref) : normWs(ref)).codePoints().toArray();
        int[] h = (folded ? normFolded(hyp) : normWs(hyp)).codePoints().toArray();
        long d = levenshtein(r, h);
        return new Score(d, r.length, r.length == 0 ? (h.length > 0 ? 1.0 : 0.0) : (double) d / r.length);
    }

    public static String normWs(String s) {
        return collapse(Normalizer.normalize(stripBom(s), Normalizer.Form.NFC));
    }

    public static String normFolded(String s) {
        String n = Normalizer.normalize(stripBom(s), Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(n.length());
        n.codePoints().forEach(c -> {
            switch (c) {
                case 0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x00b4, 0x0060 -> out.append('\'');
                case 0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb -> out.append('"');
                case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212 -> out.append('-');
                case 0x00ad -> { }
                default -> out.appendCodePoint(c);
            }
        });
        return collapse(out.toString());
    }

    private static String stripBom(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\ufeff') {
            i++;
        }
        return s.substring(i);
    }

    /** Python's str.isspace(), which its re module's \s and str.strip() follow. */
    static boolean isPythonSpace(int c) {
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
    }

    private static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (isPythonSpace(c)) {
                space = true;
            } else {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                space = false;
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    /** Unit-cost edit distance, Myers/Hyyro bit-parallel over 64-bit words (cer.py does the same on big integers). */
    public static long levenshtein(int[] x, int[] y) {
        int[] a = x.length >= y.length ? x : y;
        int[] b = x.length >= y.length ? y : x;
        int m = a.length;
        if (m == 0) {
            return 0;
        }
        if (b.length == 0) {
            return m;
        }
        int words = (m + 63) >>> 6;
        Map<Integer, long[]> peq = new HashMap<>();
        for (int i = 0; i < m; i++) {
            peq.computeIfAbsent(a[i], k -> new long[words])[i >>> 6] |= 1L << (i & 63);
        }
        long lastMask = (m & 63) == 0 ? -1L : (1L << (m & 63)) - 1;
        long high = 1L << ((m - 1) & 63);
        long[] zero = new long[words];
        long[] pv = new long[words];
        long[] mv = new long[words];
        java.util.Arrays.fill(pv, -1L);
        pv[words - 1] = lastMask;
        long score = m;
        for (int ch : b) {
            long[] eq = peq.getOrDefault(ch, zero);
            long carry = 0;
            long phCarry = 1;
            long mhCarry = 0;
            for (int w = 0; w < words; w++) {
                long mask = w == words - 1 ? lastMask : -1L;
                long e = eq[w];
                long p = pv[w];
                long mvw = mv[w];
                long xv = e | mvw;
                // (eq & pv) + pv with the carry running across words
                long t = e & p;
                long partial = t + p;
                long sum = partial + carry;
                carry = Long.compareUnsigned(partial, t) < 0 || (carry == 1 && sum == 0) ? 1 : 0;
                long xh = (((sum & mask) ^ p) | e);
                long ph = (mvw | ~(xh | p)) & mask;
                long mh = p & xh;
                if (w == words - 1) {
                    if ((ph & high) != 0) {
                        score++;
                    } else if ((mh & high) != 0) {
                        score--;
                    }
                }
                long phShift = ((ph << 1) | phCarry) & mask;
                phCarry = ph >>> 63;
                long mhShift = ((mh << 1) | mhCarry) & mask;
                mhCarry = mh >>> 63;
                pv[w] = (mhShift | ~(xv | phShift)) & mask;
                mv[w] = phShift & xv;
            }
        }
        return score;
    }
}
