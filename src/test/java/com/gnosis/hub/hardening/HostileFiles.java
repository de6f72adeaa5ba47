package com.gnosis.hub.hardening;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Deflater;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Hostile documents written byte by byte in the test, so each is exactly the attack it stands for. */
final class HostileFiles {

    private HostileFiles() {
    }

    /** A 1x1 grey TIFF whose first image directory names itself as the next one. */
    static byte[] selfLoopingTiff() {
        return tiff(1);
    }

    /** A 1x1 grey TIFF with two image directories that name each other as the next one. */
    static byte[] twoDirectoriesInALoop() {
        return tiff(2);
    }

    /**
     * Little-endian TIFF: header, then {@code directories} IFDs of 8 entries each, the last pointing back at the
     * first; one pixel of data at the end.
     */
    private static byte[] tiff(int directories) {
        int ifdSize = 2 + 8 * 12 + 4;
        int pixel = 8 + directories * ifdSize;
        ByteBuffer out = ByteBuffer.allocate(pixel + 1).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        for (int d = 0; d < directories; d++) {
            out.putShort((short) 8);
            entry(out, 256, 3, 1); // ImageWidth
            entry(out, 257, 3, 1); // ImageLength
            entry(out, 258, 3, 8); // BitsPerSample
            entry(out, 259, 3, 1); // Compression: none
            entry(out, 262, 3, 1); // BlackIsZero
            entry(out, 273, 4, pixel); // StripOffsets
            entry(out, 278, 3, 1); // RowsPerStrip
            entry(out, 279, 4, 1); // StripByteCounts
            int next = d + 1 < directories ? 8 + (d + 1) * ifdSize : 8;
            out.putInt(next);
        }
        out.put((byte) 0x7f);
        return out.array();
    }

    private static void entry(ByteBuffer out, int tag, int type, int value) {
        out.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            out.putShort((short) value).putShort((short) 0);
        } else {
            out.putInt(value);
        }
    }

    /**
     * A PDF of a few kilobytes whose one page draws an RGB image declaring {@code side}x{@code side} pixels (a few
     * compressed bytes; decoding it would need side*side*3 bytes of memory).
     */
    static byte[] pdfWithHugeImage(int side) throws Exception {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            deflater.setInput(new byte[64 * 1024]);
            deflater.finish();
            byte[] compressed = new byte[4096];
            int length = deflater.deflate(compressed);
            PDStream stream = new PDStream(document, new java.io.ByteArrayInputStream(compressed, 0, length),
                    COSName.FLATE_DECODE);
            PDImageXObject image = new PDImageXObject(stream, null);
            image.setWidth(side);
            image.setHeight(side);
            image.setBitsPerComponent(8);
            image.setColorSpace(PDDeviceRGB.INSTANCE);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawImage(image, 50, 50, 400, 400);
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
