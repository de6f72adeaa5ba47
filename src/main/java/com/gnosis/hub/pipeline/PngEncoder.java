package com.gnosis.hub.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes page images as PNG several times faster than ImageIO's writer, whose per-byte CRC and filter
 * search in plain Java were most of the CPU a born-digital page cost. A page whose pixels are all grey
 * (every scan of a black-and-white document, every rendered text page) is written as 8-bit greyscale,
 * a third of the bytes; rows are not filtered and deflate runs at its fastest level (measured on corpus
 * pages: the fastest choice, and no larger than ImageIO's output for text pages). The output is a standard PNG (ImageIO and browsers read it). Images
 * with transparency (only uploads have it) still go through ImageIO, which keeps the alpha channel.
 */
public final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private PngEncoder() {
    }

    public static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            write(image, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    public static void write(BufferedImage image, OutputStream target) throws IOException {
        if (image.getColorModel().hasAlpha()) {
            // an uploaded image with transparency keeps it: ImageIO's writer (rare, so its speed does not matter)
            if (!ImageIO.write(image, "png", target)) throw new IOException("no PNG writer for " + image);
            return;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        RowSource rows = RowSource.of(image);
        boolean grey = rows.allGrey();
        int channels = grey ? 1 : 3;

        DataOutputStream out = new DataOutputStream(target);
        out.write(SIGNATURE);
        ByteArrayOutputStream header = new ByteArrayOutputStream(13);
        DataOutputStream h = new DataOutputStream(header);
        h.writeInt(width);
        h.writeInt(height);
        h.writeByte(8);               // bit depth
        h.writeByte(grey ? 0 : 2);    // colour type: greyscale or RGB
        h.writeByte(0);               // deflate
        h.writeByte(0);               // adaptive filtering (per-row filter byte)
        h.writeByte(0);               // not interlaced
        chunk(out, "IHDR", header.toByteArray(), header.size());

        ByteArrayOutputStream compressed = new ByteArrayOutputStream(width * height / 8 + 1024);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
            // each row: filter type 0 (none), then the samples
            byte[] row = new byte[width * channels + 1];
            int[] argb = new int[width];
            for (int y = 0; y < height; y++) {
                rows.row(y, argb);
                if (grey) {
                    for (int x = 0; x < width; x++) row[x + 1] = (byte) argb[x];
                } else {
                    for (int x = 0, i = 1; x < width; x++, i += 3) {
                        int p = argb[x];
                        row[i] = (byte) (p >> 16);
                        row[i + 1] = (byte) (p >> 8);
                        row[i + 2] = (byte) p;
                    }
                }
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(out, "IDAT", compressed.toByteArray(), compressed.size());
        chunk(out, "IEND", new byte[0], 0);
        out.flush();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data, int length) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data, 0, length);
        out.writeInt(length);
        out.write(name);
        out.write(data, 0, length);
        out.writeInt((int) crc.getValue());
    }

    /** Rows of opaque RGB pixels: straight from the int buffer where the image has one, else through getRGB. */
    private interface RowSource {
        void row(int y, int[] into);

        boolean allGrey();

        static RowSource of(BufferedImage image) {
            if (image.getType() == BufferedImage.TYPE_INT_RGB
                    && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
                    && image.getSampleModel() instanceof SinglePixelPackedSampleModel model
                    && image.getRaster().getParent() == null) {
                int[] pixels = buffer.getData();
                int scan = model.getScanlineStride();
                int offset = buffer.getOffset();
                int width = image.getWidth();
                int height = image.getHeight();
                return new RowSource() {
                    @Override
                    public void row(int y, int[] into) {
                        System.arraycopy(pixels, offset + y * scan, into, 0, width);
                    }

                    @Override
                    public boolean allGrey() {
                        for (int y = 0; y < height; y++) {
                            for (int x = 0, i = offset + y * scan; x < width; x++, i++) {
                                if (!grey(pixels[i])) return false;
                            }
                        }
                        return true;
                    }
                };
            }
            int width = image.getWidth();
            int height = image.getHeight();
            if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                // the samples as stored (getRGB would convert them as linear grey and brighten them)
                java.awt.image.Raster raster = image.getRaster();
                return new RowSource() {
                    @Override
                    public void row(int y, int[] into) {
                        raster.getSamples(0, y, width, 1, 0, into);
                        for (int x = 0; x < width; x++) into[x] *= 0x010101;
                    }

                    @Override
                    public boolean allGrey() {
                        return true;
                    }
                };
            }
            return new RowSource() {
                @Override
                public void row(int y, int[] into) {
                    image.getRGB(0, y, width, 1, into, 0, width);
                }

                @Override
                public boolean allGrey() {
                    int[] row = new int[width];
                    for (int y = 0; y < height; y++) {
                        row(y, row);
                        for (int p : row) {
                            if (!grey(p)) return false;
                        }
                    }
                    return true;
                }
            };
        }

        private static boolean grey(int p) {
            int r = (p >> 16) & 0xff;
            return r == ((p >> 8) & 0xff) && r == (p & 0xff);
        }
    }
}
