package com.gnosis.hub.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.testing.Corpus;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.pdfbox.io.RandomAccessRead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelReadTest {

    private static final String PDF = "pdfbox_PDFBOX-3038-001033-p2.pdf";

    @TempDir
    Path dir;

    @Test
    void readsTheFilesBytesFromAnyPositionAndThroughViews() throws Exception {
        byte[] bytes = Files.readAllBytes(Corpus.dev(PDF));
        Random random = new Random(20261128);
        try (ChannelRead read = ChannelRead.open(Corpus.dev(PDF))) {
            assertThat(read.length()).isEqualTo(bytes.length);
            for (int i = 0; i < 3000; i++) {
                int at = random.nextInt(bytes.length + 10);
                read.seek(at);
                switch (random.nextInt(3)) {
                    case 0 -> assertThat(read.read()).isEqualTo(at < bytes.length ? bytes[at] & 0xff : -1);
                    case 1 -> {
                        byte[] into = new byte[1 + random.nextInt(40_000)];
                        int n = read.read(into, 0, into.length);
                        if (at >= bytes.length) {
                            assertThat(n).isEqualTo(-1);
                        } else {
                            assertThat(n).isPositive();
                            assertThat(Arrays.copyOf(into, n)).isEqualTo(Arrays.copyOfRange(bytes, at, at + n));
                            assertThat(read.getPosition()).isEqualTo(at + n);
                        }
                    }
                    default -> {
                        if (at >= bytes.length) continue;
                        int length = random.nextInt(bytes.length - at + 1);
                        try (RandomAccessRead view = read.createView(at, length)) {
                            byte[] all = new byte[length];
                            view.readFully(all);
                            assertThat(all).isEqualTo(Arrays.copyOfRange(bytes, at, at + length));
                            assertThat(view.isEOF()).isTrue();
                        }
                    }
                }
                assertThat(read.isEOF()).isEqualTo(read.getPosition() >= bytes.length);
            }
        }
    }

    @Test
    void closingTheFileClosesItsViews() throws Exception {
        ChannelRead read = ChannelRead.open(Corpus.dev(PDF));
        RandomAccessRead view = read.createView(10, 100);
        read.close();
        assertThat(read.isClosed()).isTrue();
        assertThatThrownBy(view::read).isInstanceOf(IOException.class);
    }

    /** A session deleted by its owner while its PDF is read: the open document still reads the whole page. */
    @Test
    void aPdfWhoseFileIsDeletedWhileOpenIsStillReadWhole() throws Exception {
        String expected;
        try (Document document = Document.open(Corpus.dev(PDF))) {
            expected = document.textLayer(0, 150).orElseThrow().text();
        }
        Path file = Files.copy(Corpus.dev(PDF), dir.resolve("upload.pdf"));
        try (Document document = Document.open(file)) {
            Files.delete(file);
            BufferedImage page = document.render(0, 150);
            assertThat(page.getWidth()).isPositive();
            assertThat(document.textLayer(0, 150).orElseThrow().text()).isEqualTo(expected).isNotBlank();
        }
    }
}
