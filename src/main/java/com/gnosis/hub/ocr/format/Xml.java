package com.gnosis.hub.ocr.format;

/** The few XML helpers the hOCR and ALTO writers share. */
final class Xml {

    private Xml() {
    }

    /** Text or attribute value with markup characters escaped and characters XML 1.0 cannot hold dropped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                            || c >= 0x10000 && c <= 0x10FFFF) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** A pixel box {x0, y0, x1, y1} rounded outwards to whole pixels and kept inside the page. */
    static int[] pixels(float[] box, int width, int height) {
        int x0 = clamp((int) Math.floor(box[0]), width);
        int y0 = clamp((int) Math.floor(box[1]), height);
        int x1 = clamp((int) Math.ceil(box[2]), width);
        int y1 = clamp((int) Math.ceil(box[3]), height);
        return new int[] {x0, y0, Math.max(x0, x1), Math.max(y0, y1)};
    }

    private static int clamp(int v, int max) {
        return Math.max(0, max > 0 ? Math.min(v, max) : v);
    }
}
