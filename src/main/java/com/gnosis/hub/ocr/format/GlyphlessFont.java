package com.gnosis.hub.ocr.format;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TrueType font whose one glyph is blank and half an em wide, made here rather than shipped. An invisible text
 * layer (render mode 3) never shows a glyph, so the font only has to exist: every code point maps to that glyph
 * (through the PDF's CIDToGIDMap), no character is ever missing, and the embedded file is well under a kilobyte.
 * Tesseract and OCRmyPDF use the same idea ("GlyphLessFont").
 */
final class GlyphlessFont {

    static final String NAME = "GlyphLessFont";
    /** Every glyph's advance, in thousandths of the font size. */
    static final int ADVANCE = 500;
    static final int ASCENT = 1000;
    static final int DESCENT = 0;

    private static final byte[] BYTES = build();

    private GlyphlessFont() {
    }

    /** The TrueType file. */
    static byte[] bytes() {
        return BYTES.clone();
    }

    private static byte[] build() {
        try {
            Map<String, byte[]> tables = new LinkedHashMap<>(); // sorted by tag, as the table directory wants
            tables.put("OS/2", os2());
            tables.put("cmap", cmap());
            tables.put("glyf", new byte[4]);
            tables.put("head", head());
            tables.put("hhea", hhea());
            tables.put("hmtx", table(d -> {
                for (int g = 0; g < 2; g++) {
                    d.writeShort(ADVANCE);
                    d.writeShort(0);
                }
            }));
            tables.put("loca", new byte[8]); // three short offsets, all 0: both glyphs are empty
            tables.put("maxp", table(d -> {
                d.writeInt(0x00010000);
                d.writeShort(2); // glyphs: .notdef and the blank one
                d.writeShort(0);
                d.writeShort(0);
                d.writeShort(0);
                d.writeShort(0);
                d.writeShort(2); // maxZones
                for (int i = 0; i < 8; i++) d.writeShort(0);
            }));
            tables.put("name", name());
            tables.put("post", table(d -> {
                d.writeInt(0x00020000); // glyph names by index into the standard Macintosh set
                d.writeInt(0);
                d.writeShort(-100);
                d.writeShort(50);
                d.writeInt(1); // fixed pitch
                for (int i = 0; i < 4; i++) d.writeInt(0);
                d.writeShort(2);
                d.writeShort(0); // .notdef
                d.writeShort(3); // space
            }));
            int count = tables.size();
            int offset = 12 + 16 * count;
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(file);
            out.writeInt(0x00010000);
            out.writeShort(count);
            out.writeShort(128); // searchRange: 16 * the largest power of two <= count (8)
            out.writeShort(3);
            out.writeShort(count * 16 - 128);
            for (Map.Entry<String, byte[]> t : tables.entrySet()) {
                out.write(t.getKey().getBytes(StandardCharsets.US_ASCII));
                out.writeInt((int) checksum(t.getValue()));
                out.writeInt(offset);
                out.writeInt(t.getValue().length);
                offset += padded(t.getValue().length);
            }
            for (byte[] t : tables.values()) {
                out.write(t);
                out.write(new byte[padded(t.length) - t.length]);
            }
            byte[] font = file.toByteArray();
            // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA
            int head = 12 + 16 * count;
            for (Map.Entry<String, byte[]> t : tables.entrySet()) {
                if (t.getKey().equals("head")) break;
                head += padded(t.getValue().length);
            }
            long adjustment = (0xB1B0AFBAL - checksum(font)) & 0xFFFFFFFFL;
            font[head + 8] = (byte) (adjustment >>> 24);
            font[head + 9] = (byte) (adjustment >>> 16);
            font[head + 10] = (byte) (adjustment >>> 8);
            font[head + 11] = (byte) adjustment;
            return font;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] head() throws IOException {
        return table(d -> {
            d.writeInt(0x00010000);
            d.writeInt(0x00010000);
            d.writeInt(0); // checkSumAdjustment, set at the end
            d.writeInt(0x5F0F3CF5);
            d.writeShort(0x000B);
            d.writeShort(1000); // units per em
            d.writeLong(0);
            d.writeLong(0);
            d.writeShort(0);
            d.writeShort(-DESCENT);
            d.writeShort(ADVANCE);
            d.writeShort(ASCENT);
            d.writeShort(0);
            d.writeShort(8);
            d.writeShort(2);
            d.writeShort(0); // short loca offsets
            d.writeShort(0);
        });
    }

    private static byte[] hhea() throws IOException {
        return table(d -> {
            d.writeInt(0x00010000);
            d.writeShort(ASCENT);
            d.writeShort(-DESCENT);
            d.writeShort(0);
            d.writeShort(ADVANCE);
            d.writeShort(0);
            d.writeShort(0);
            d.writeShort(0);
            d.writeShort(1);
            d.writeShort(0);
            d.writeShort(0);
            for (int i = 0; i < 4; i++) d.writeShort(0);
            d.writeShort(0);
            d.writeShort(2); // horizontal metrics for both glyphs
        });
    }

    /** A Windows Unicode cmap mapping the space to the blank glyph: the PDF maps every code itself (CIDToGIDMap). */
    private static byte[] cmap() throws IOException {
        return table(d -> {
            d.writeShort(0);
            d.writeShort(1);
            d.writeShort(3);
            d.writeShort(1);
            d.writeInt(12);
            d.writeShort(4); // format 4, two segments: U+0020 -> glyph 1, and the closing one
            d.writeShort(32);
            d.writeShort(0);
            d.writeShort(4);
            d.writeShort(4);
            d.writeShort(1);
            d.writeShort(0);
            d.writeShort(0x20);
            d.writeShort(0xFFFF);
            d.writeShort(0);
            d.writeShort(0x20);
            d.writeShort(0xFFFF);
            d.writeShort(1 - 0x20);
            d.writeShort(1);
            d.writeShort(0);
            d.writeShort(0);
        });
    }

    private static byte[] os2() throws IOException {
        return table(d -> {
            d.writeShort(4);
            d.writeShort(ADVANCE);
            d.writeShort(400);
            d.writeShort(5);
            d.writeShort(0); // installable embedding
            for (int i = 0; i < 10; i++) d.writeShort(0); // sub- and superscript, strikeout
            d.writeShort(0);
            d.write(new byte[10]); // panose
            d.write(new byte[16]); // unicode ranges
            d.write("NONE".getBytes(StandardCharsets.US_ASCII));
            d.writeShort(0x40); // regular
            d.writeShort(0x20);
            d.writeShort(0xFFFF);
            d.writeShort(ASCENT);
            d.writeShort(-DESCENT);
            d.writeShort(0);
            d.writeShort(ASCENT);
            d.writeShort(DESCENT);
            d.writeInt(1);
            d.writeInt(0);
            d.writeShort(500);
            d.writeShort(700);
            d.writeShort(0);
            d.writeShort(0x20);
            d.writeShort(0);
        });
    }

    private static byte[] name() throws IOException {
        byte[] value = NAME.getBytes(StandardCharsets.UTF_16BE);
        int[] ids = {1, 2, 4, 6};
        byte[] style = "Regular".getBytes(StandardCharsets.UTF_16BE);
        return table(d -> {
            d.writeShort(0);
            d.writeShort(ids.length);
            d.writeShort(6 + 12 * ids.length);
            int offset = 0;
            for (int id : ids) {
                byte[] s = id == 2 ? style : value;
                d.writeShort(3);
                d.writeShort(1);
                d.writeShort(0x409);
                d.writeShort(id);
                d.writeShort(s.length);
                d.writeShort(offset);
                offset += s.length;
            }
            for (int id : ids) d.write(id == 2 ? style : value);
        });
    }

    private interface Body {
        void write(DataOutputStream d) throws IOException;
    }

    private static byte[] table(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        body.write(d);
        d.flush();
        return bytes.toByteArray();
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static long checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i < data.length; i += 4) {
            long word = 0;
            for (int k = 0; k < 4; k++) {
                word = (word << 8) | (i + k < data.length ? data[i + k] & 0xFF : 0);
            }
            sum = (sum + word) & 0xFFFFFFFFL;
        }
        return sum;
    }
}
