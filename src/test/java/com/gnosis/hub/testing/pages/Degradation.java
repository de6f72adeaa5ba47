package com.gnosis.hub.testing.pages;

import com.gnosis.hub.ocr.ppocr.Otsu;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Random;

/**
 * What a scanner, a camera or the years do to a page. Each takes an 8-bit grey page and returns a new one; its random
 * choices (where a crease runs, the noise) come from the generator's seeded {@link Random}, so a page is the same on
 * every run. Apply them in the order a page meets them: paper damage (creases, curl), then the scan (skew, rotation,
 * contrast, blur, noise), then the file (binarisation, JPEG).
 */
public interface Degradation {

    BufferedImage apply(BufferedImage page, Random random);

    /** Short stable label used in page names, e.g. {@code skew(-1.5)}. */
    String label();

    /** Turned by {@code degrees} (±3 is a careless scan), the canvas grown so nothing is cut off. */
    static Degradation skew(double degrees) {
        return of(String.format(Locale.ROOT, "skew(%.1f)", degrees), (page, random) -> turn(page, Math.toRadians(degrees)));
    }

    /** Turned by a quarter turn or more: 90, 180 or 270 degrees clockwise, exactly (no resampling). */
    static Degradation rotate(int degrees) {
        if (degrees % 90 != 0) {
            throw new IllegalArgumentException("rotate takes multiples of 90, not " + degrees);
        }
        int quarters = Math.floorMod(degrees / 90, 4);
        return of("rot" + quarters * 90, (page, random) -> quarterTurns(page, quarters));
    }

    /** Gaussian blur (an out-of-focus scan or a photo); sigma in pixels, 0.5-2 is realistic. */
    static Degradation blur(double sigma) {
        return of(String.format(Locale.ROOT, "blur(%.1f)", sigma), (page, random) -> gaussianBlur(page, sigma));
    }

    /** Sensor noise (Gaussian, sigma in grey levels) and paper speckles. */
    static Degradation noise(double sigma) {
        return of(String.format(Locale.ROOT, "noise(%.0f)", sigma), (page, random) -> {
            BufferedImage out = copy(page);
            byte[] p = pixels(out);
            for (int i = 0; i < p.length; i++) {
                int v = (p[i] & 0xff) + (int) Math.round(random.nextGaussian() * sigma);
                p[i] = (byte) clamp(v);
            }
            int speckles = p.length / 4000;
            for (int k = 0; k < speckles; k++) {
                int i = random.nextInt(p.length);
                p[i] = (byte) (random.nextBoolean() ? 40 + random.nextInt(60) : 255);
            }
            return out;
        });
    }

    /** Saved as a JPEG at this quality (0.1-0.9) and read back. */
    static Degradation jpeg(float quality) {
        return of(String.format(Locale.ROOT, "jpeg(%.0f)", quality * 100), (page, random) -> jpegRoundTrip(page, quality));
    }

    /** Black and white at Otsu's threshold, as a fax or a bilevel scan stores it. */
    static Degradation binarise() {
        return of("binarise", (page, random) -> {
            BufferedImage out = copy(page);
            byte[] p = pixels(out);
            int t = otsu(p);
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) ((p[i] & 0xff) > t ? 255 : 0);
            }
            return out;
        });
    }

    /**
     * Faded ink on grey paper: black maps to {@code ink}, white to {@code paper}, with light falling off across the page
     * by up to {@code shade} grey levels (a scan with the lid open, a photographed page).
     */
    static Degradation lowContrast(int ink, int paper, int shade) {
        return of("contrast(" + ink + "-" + paper + ")", (page, random) -> {
            BufferedImage out = copy(page);
            byte[] p = pixels(out);
            int w = out.getWidth();
            int h = out.getHeight();
            double angle = random.nextDouble() * 2 * Math.PI;
            double cx = Math.cos(angle);
            double cy = Math.sin(angle);
            double span = Math.abs(cx) * w + Math.abs(cy) * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double along = ((x - w / 2.0) * cx + (y - h / 2.0) * cy) / span + 0.5;
                    double v = ink + (p[y * w + x] & 0xff) * (paper - ink) / 255.0 - shade * along;
                    p[y * w + x] = (byte) clamp((int) Math.round(v));
                }
            }
            return out;
        });
    }

    /**
     * A folded, crumpled sheet: {@code count} creases across the page, each a dark and light band where the paper
     * bends with the two sides shifted a few pixels against each other, on a gently wavy page. Lines crossing a
     * crease come out broken or shifted: the case where an engine loses whole lines.
     */
    static Degradation creases(int count) {
        return of("creases(" + count + ")", (page, random) -> crumple(page, count, random));
    }

    /**
     * A page that does not lie flat (near a book's spine, a curling photocopy): towards one side the lines bend by up
     * to {@code strength} pixels and the letters crowd, under a growing shadow.
     */
    static Degradation curl(double strength) {
        return of(String.format(Locale.ROOT, "curl(%.0f)", strength), (page, random) -> bend(page, strength, random.nextBoolean()));
    }

    private static Degradation of(String label, java.util.function.BiFunction<BufferedImage, Random, BufferedImage> f) {
        return new Degradation() {
            @Override
            public BufferedImage apply(BufferedImage page, Random random) {
                return f.apply(page, random);
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public String toString() {
                return label;
            }
        };
    }

    // ---- the pixel work; package-private static helpers on 8-bit grey images ----

    static byte[] pixels(BufferedImage gray) {
        return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    }

    static BufferedImage copy(BufferedImage page) {
        BufferedImage out = new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(pixels(page), 0, pixels(out), 0, pixels(out).length);
        return out;
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private static BufferedImage turn(BufferedImage page, double radians) {
        int w = page.getWidth();
        int h = page.getHeight();
        double cos = Math.abs(Math.cos(radians));
        double sin = Math.abs(Math.sin(radians));
        int nw = (int) Math.ceil(w * cos + h * sin);
        int nh = (int) Math.ceil(w * sin + h * cos);
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(paperGrey(page), paperGrey(page), paperGrey(page)));
        g.fillRect(0, 0, nw, nh);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(nw / 2.0, nh / 2.0);
        t.rotate(radians);
        t.translate(-w / 2.0, -h / 2.0);
        g.drawImage(page, t, null);
        g.dispose();
        return out;
    }

    /** The paper's grey: the brightest common level (so a skewed low-contrast page is filled with its own paper). */
    private static int paperGrey(BufferedImage page) {
        int[] hist = new int[256];
        for (byte b : pixels(page)) {
            hist[b & 0xff]++;
        }
        int best = 255;
        for (int v = 255; v >= 0; v--) {
            if (hist[v] > hist[best]) {
                best = v;
            }
        }
        return best;
    }

    private static BufferedImage quarterTurns(BufferedImage page, int quarters) {
        int w = page.getWidth();
        int h = page.getHeight();
        boolean swap = quarters % 2 == 1;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] s = pixels(page);
        byte[] d = pixels(out);
        int ow = out.getWidth();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nx;
                int ny;
                switch (quarters) {
                    case 1 -> { nx = h - 1 - y; ny = x; }
                    case 2 -> { nx = w - 1 - x; ny = h - 1 - y; }
                    case 3 -> { nx = y; ny = w - 1 - x; }
                    default -> { nx = x; ny = y; }
                }
                d[ny * ow + nx] = s[y * w + x];
            }
        }
        return out;
    }

    private static BufferedImage gaussianBlur(BufferedImage page, double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int w = page.getWidth();
        int h = page.getHeight();
        byte[] s = pixels(page);
        float[] tmp = new float[s.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.min(w - 1, Math.max(0, x + i));
                    acc += k[i + r] * (s[y * w + xx] & 0xff);
                }
                tmp[y * w + x] = (float) acc;
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] d = pixels(out);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = Math.min(h - 1, Math.max(0, y + i));
                    acc += k[i + r] * tmp[yy * w + x];
                }
                d[y * w + x] = (byte) clamp((int) Math.round(acc));
            }
        }
        return out;
    }

    private static BufferedImage jpegRoundTrip(BufferedImage page, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(page, null, null), param);
            } finally {
                writer.dispose();
            }
            BufferedImage read = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            if (read.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                return read;
            }
            BufferedImage gray = new BufferedImage(read.getWidth(), read.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = gray.createGraphics();
            g.drawImage(read, 0, 0, null);
            g.dispose();
            return gray;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int otsu(byte[] p) {
        int[] hist = new int[256];
        for (byte b : p) {
            hist[b & 0xff]++;
        }
        return Otsu.threshold(hist, p.length);
    }

    /** Resamples {@code page} through a displacement map: output (x, y) takes the source at (x + dx, y + dy). */
    private static BufferedImage remap(BufferedImage page, float[] dx, float[] dy, int fill) {
        int w = page.getWidth();
        int h = page.getHeight();
        byte[] s = pixels(page);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] d = pixels(out);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double sx = x + dx[i];
                double sy = y + dy[i];
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                double v = (1 - fx) * (1 - fy) * at(s, w, h, x0, y0, fill) + fx * (1 - fy) * at(s, w, h, x0 + 1, y0, fill)
                        + (1 - fx) * fy * at(s, w, h, x0, y0 + 1, fill) + fx * fy * at(s, w, h, x0 + 1, y0 + 1, fill);
                d[i] = (byte) clamp((int) Math.round(v));
            }
        }
        return out;
    }

    private static int at(byte[] s, int w, int h, int x, int y, int fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : s[y * w + x] & 0xff;
    }

    private static BufferedImage crumple(BufferedImage page, int count, Random random) {
        int w = page.getWidth();
        int h = page.getHeight();
        float[] dx = new float[w * h];
        float[] dy = new float[w * h];
        float[] shade = new float[w * h];
        double scale = Math.max(w, h) / 1000.0;
        // A gentle wave over the whole sheet (crumpled paper never lies flat) ...
        double[][] waves = new double[3][];
        for (int k = 0; k < waves.length; k++) {
            waves[k] = new double[] {random.nextDouble() * 2 * Math.PI, (1 + random.nextDouble() * 2) * 2 * Math.PI / Math.max(w, h),
                    random.nextDouble() * 2 * Math.PI, (1.5 + random.nextDouble() * 1.5) * scale};
        }
        // ... and the creases: lines across the page, the far side shifted along the crease normal.
        double[][] folds = new double[count][];
        for (int k = 0; k < count; k++) {
            double angle = random.nextDouble() * Math.PI;
            double px = w * (0.15 + 0.7 * random.nextDouble());
            double py = h * (0.15 + 0.7 * random.nextDouble());
            double shift = (1.5 + random.nextDouble() * 2.5) * scale * (random.nextBoolean() ? 1 : -1);
            double width = (2 + random.nextDouble() * 4) * scale;
            double dark = 40 + random.nextDouble() * 70;
            folds[k] = new double[] {Math.cos(angle), Math.sin(angle), px, py, shift, width, dark};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double ox = 0;
                double oy = 0;
                for (double[] wv : waves) {
                    double phase = wv[1] * (x * Math.cos(wv[0]) + y * Math.sin(wv[0])) + wv[2];
                    ox += wv[3] * Math.sin(phase);
                    oy += wv[3] * Math.cos(phase * 1.3);
                }
                double s = 0;
                for (double[] f : folds) {
                    // signed distance from the crease line; normal = (-sin, cos)
                    double dist = -(x - f[2]) * f[1] + (y - f[3]) * f[0];
                    double side = Math.tanh(dist / f[5]);
                    ox += -f[1] * f[4] * (side + 1) / 2;
                    oy += f[0] * f[4] * (side + 1) / 2;
                    double band = Math.exp(-dist * dist / (2 * f[5] * f[5]));
                    // dark on one side of the ridge, a highlight on the other
                    s += f[6] * band * (dist < 0 ? 1 : -0.35);
                }
                dx[i] = (float) ox;
                dy[i] = (float) oy;
                shade[i] = (float) s;
            }
        }
        BufferedImage out = remap(page, dx, dy, 255);
        byte[] d = pixels(out);
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) clamp((int) Math.round((d[i] & 0xff) - shade[i]));
        }
        return out;
    }

    private static BufferedImage bend(BufferedImage page, double strength, boolean rightSide) {
        int w = page.getWidth();
        int h = page.getHeight();
        float[] dx = new float[w * h];
        float[] dy = new float[w * h];
        float[] shadow = new float[w * h];
        double start = 0.55;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (rightSide ? x : w - 1 - x) / (double) w;
                double t = Math.max(0, (u - start) / (1 - start));
                int i = y * w + x;
                // lines sag quadratically toward the curled edge and letters crowd there (foreshortening)
                dy[i] = (float) (-strength * t * t * (0.6 + 0.4 * y / (double) h));
                dx[i] = (float) ((rightSide ? 1 : -1) * strength * 0.5 * t * t * t);
                shadow[i] = (float) (70 * t * t * t);
            }
        }
        BufferedImage out = remap(page, dx, dy, 255);
        byte[] d = pixels(out);
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) clamp((int) Math.round((d[i] & 0xff) - shadow[i]));
        }
        return out;
    }
}
