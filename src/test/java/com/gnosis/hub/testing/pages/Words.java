package com.gnosis.hub.testing.pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The words the generator sets: running English text from the corpus truths (the 100 UW-III lines and the dev set's
 * book and magazine pages), so generated pages read like the real ones and no engine meets words it was built for.
 * Only printable ASCII is kept (both engines' English models read it; the fonts draw it); words broken by a hyphen
 * at a line end are joined again.
 */
final class Words {

    // Running prose only: code listings and multilingual samples would measure the language model, not the layout.
    private static final List<String> DEV_TRUTHS = List.of("ocropy_uw3_0022_010005.gt.txt", "ocropy_uw3_0026_010010.gt.txt",
            "ocropy_uw3_0095_010007.gt.txt", "ocropy_uw3_0173_010009.gt.txt", "unlv_8071_093_3B.gt.txt",
            "tess_phototest.gt.txt", "tika_testOCR.gt.txt");

    private static volatile List<String> words;

    private Words() {
    }

    /** The corpus directory, as surefire sets it (corpus.dir) or relative to the repository root. */
    static Path corpusDir() {
        return Path.of(System.getProperty("corpus.dir", "src/test/corpus"));
    }

    static List<String> all() {
        List<String> w = words;
        if (w == null) {
            synchronized (Words.class) {
                if (words == null) {
                    words = load(corpusDir());
                }
                w = words;
            }
        }
        return w;
    }

    /** {@code count} consecutive words of the corpus text from a random place (wrapping around at its end). */
    static List<String> run(Random random, int count) {
        List<String> all = all();
        int start = random.nextInt(all.size());
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(all.get((start + i) % all.size()));
        }
        return out;
    }

    /** A short phrase of {@code min}..{@code max} words without sentence punctuation at its end (titles, captions). */
    static String phrase(Random random, int min, int max) {
        List<String> run = run(random, min + random.nextInt(max - min + 1));
        String s = String.join(" ", run).replaceAll("[.,;:]+$", "");
        return s.isEmpty() ? "Report" : s;
    }

    private static List<String> load(Path corpus) {
        List<Path> files = new ArrayList<>();
        Path lines = corpus.resolve("lines");
        try (Stream<Path> list = Files.list(lines)) {
            list.filter(p -> p.getFileName().toString().endsWith(".gt.txt")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus lines missing: " + lines.toAbsolutePath(), e);
        }
        DEV_TRUTHS.stream().map(n -> corpus.resolve("dev").resolve(n)).filter(Files::isRegularFile).forEach(files::add);
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // "ex-\nplain" is one word; the line break is the typesetter's, not the author's.
            text = text.replaceAll("([a-z])-\\s*\\n\\s*([a-z])", "$1$2");
            for (String token : text.split("\\s+")) {
                String t = token.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201c', '"').replace('\u201d', '"')
                        .replace('\u2014', '-').replace('\u2013', '-');
                if (!t.isEmpty() && t.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != '~' && c != '\\' && c != '|')
                        && t.chars().anyMatch(Character::isLetterOrDigit)) {
                    out.add(t);
                }
            }
        }
        if (out.size() < 500) {
            throw new IllegalStateException("too little corpus text for generated pages (" + out.size() + " words) under "
                    + corpus.toAbsolutePath());
        }
        return List.copyOf(out);
    }
}
