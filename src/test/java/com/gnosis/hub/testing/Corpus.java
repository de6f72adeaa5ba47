package com.gnosis.hub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The evaluation corpus (src/test/corpus/dev, a copy of the project's shared corpus; set by surefire as corpus.dir). */
public final class Corpus {

    private Corpus() {
    }

    public static Path dev(String name) {
        Path dir = Path.of(System.getProperty("corpus.dir", "src/test/corpus")).resolve("dev");
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("corpus file missing: " + file.toAbsolutePath());
        }
        return file;
    }

    public static String expectedText(String documentName) throws IOException {
        String base = documentName.substring(0, documentName.lastIndexOf('.'));
        return Files.readString(dev(base + ".gt.txt"), StandardCharsets.UTF_8);
    }
}
