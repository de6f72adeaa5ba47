package com.gnosis.hub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.testing.Corpus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

    @Test
    void renderedPdfPagesRoundTripPixelForPixelGreyOnesWithOneChannel() throws Exception {
        // cweb's first page is black text only; PDFBOX-3038's page has coloured marks
        assertRoundTrip("pdfbox_cweb.pdf", 1);
        assertRoundTrip("pdfbox_PDFBOX-3038-001033-p2.pdf", 3);
    }

    private static void assertRoundTrip(String name, int channels) throws Exception {
        BufferedImage page;
        try (Document document = Document.open(Corpus.dev(name), Document.Limits.DEFAULT)) {
            page = document.render(0, 200);
        }
        byte[] png = PngEncoder.encode(page);
        BufferedImage decoded = decode(png);
        assertThat(decoded.getColorModel().getNumComponents()).as(name).isEqualTo(channels);
        assertSamePixels(page, decoded);
        assertThat(png.length).as(name).isLessThan(page.getWidth() * page.getHeight() / 4);
    }

    @Test
    void colourPixelsAreKeptAsRgb() throws Exception {
        BufferedImage image = new BufferedImage(257, 93, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(20261128);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) image.setRGB(x, y, random.nextInt(0x1000000));
        }
        BufferedImage decoded = decode(PngEncoder.encode(image));
        assertThat(decoded.getColorModel().getNumComponents()).isEqualTo(3);
        assertSamePixels(image, decoded);
    }

    @Test
    void imagesOfOtherLayoutsAndWithTransparencyAreWrittenFaithfully() throws Exception {
        BufferedImage bgr = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage alpha = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                bgr.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | (x + y));
                alpha.setRGB(x, y, (x * 6) << 24 | 0x336699);
            }
        }
        assertSamePixels(bgr, decode(PngEncoder.encode(bgr)));
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) grey.getRaster().setSample(x, y, 0, x * 5 + y);
        }
        BufferedImage decodedGrey = decode(PngEncoder.encode(grey));
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) assertThat(decodedGrey.getRaster().getSample(x, y, 0)).isEqualTo(x * 5 + y);
        }
        BufferedImage decodedAlpha = decode(PngEncoder.encode(alpha));
        assertThat(decodedAlpha.getColorModel().hasAlpha()).isTrue();
        assertSamePixels(alpha, decodedAlpha);
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("ImageIO reads the PNG").isNotNull();
        return image;
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        // a greyscale PNG's samples are compared as stored: Java's getRGB on TYPE_BYTE_GRAY converts them as if
        // they were linear light, which PNG greyscale (like its RGB) is not
        boolean grey = actual.getColorModel().getNumComponents() == 1;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int want = expected.getRGB(x, y);
                int got = grey ? 0xff000000 | actual.getRaster().getSample(x, y, 0) * 0x010101 : actual.getRGB(x, y);
                if (want != got) {
                    throw new AssertionError("pixel (" + x + "," + y + "): expected "
                            + Integer.toHexString(want) + " got " + Integer.toHexString(got));
                }
            }
        }
    }
}
