package com.gnosis.hub.bench;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.pipeline.PngEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Page-image encoding (a program, not a test): ImageIO's PNG writer against {@link PngEncoder} on the first page
 * of corpus PDFs rendered at 200 dpi; prints milliseconds per page and bytes for each, after a warm-up round.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) com.gnosis.hub.bench.PngBench [PDF...]
 * </pre>
 */
public final class PngBench {

    public static void main(String[] args) throws Exception {
        String[] files = args.length > 0 ? args : new String[] {"src/test/corpus/dev/pdfbox_PDFBOX-3038-001033-p2.pdf",
                "src/test/corpus/dev/pdfbox_cweb.pdf"};
        int runs = 5;
        for (String file : files) {
            BufferedImage page;
            try (Document document = Document.open(Path.of(file), Document.Limits.DEFAULT)) {
                page = document.render(0, 200);
            }
            for (int round = 0; round < 3; round++) {
                ByteArrayOutputStream imageIo = new ByteArrayOutputStream();
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    imageIo.reset();
                    ImageIO.write(page, "png", imageIo);
                }
                long t1 = System.nanoTime();
                byte[] ours = null;
                for (int i = 0; i < runs; i++) ours = PngEncoder.encode(page);
                long t2 = System.nanoTime();
                if (round == 0) continue; // warm-up
                System.out.printf("%s %dx%d: ImageIO %.1f ms, %d bytes; PngEncoder %.1f ms, %d bytes (%.1fx)%n",
                        Path.of(file).getFileName(), page.getWidth(), page.getHeight(), (t1 - t0) / 1e6 / runs,
                        imageIo.size(), (t2 - t1) / 1e6 / runs, ours.length, (double) (t1 - t0) / (t2 - t1));
            }
        }
    }
}
