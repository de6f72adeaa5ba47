package com.gnosis.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming multipart reader of /upload: every way a body can be cut into reads gives the same file. */
class MultipartBodyTest {

    private static final String BOUNDARY = "----gnosisBoundary7MA4YWxkTrZu0gW";

    @TempDir
    Path folder;

    @Test
    void keepsTheFilePartWhateverSizeTheReadsHave() throws Exception {
        // content made of near-misses of the delimiter: CR LF, "--", the boundary without its line break
        byte[] content = ("\r\n-\r\n--" + BOUNDARY.substring(0, 10) + "\r\n--" + BOUNDARY.substring(1) + "x\r--" + BOUNDARY + "!")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = body("preamble\r\n", part("note", null, "hello".getBytes()), part("file", "scan.pdf", content));
        for (int readSize = 1; readSize <= body.length; readSize += readSize < 80 ? 1 : 37) {
            MultipartBody.FilePart part = MultipartBody.read(new Trickle(body, readSize), BOUNDARY, folder, 1000, 10_000);
            assertThat(part.field()).isEqualTo("file");
            assertThat(part.filename()).isEqualTo("scan.pdf");
            assertThat(Files.readAllBytes(part.file())).as("reads of %d bytes", readSize).isEqualTo(content);
            assertThat(part.size()).isEqualTo(content.length);
            Files.delete(part.file());
        }
        assertThat(leftovers()).isZero();
    }

    @Test
    void largeBinaryFileArrivesWhole() throws Exception {
        byte[] content = new byte[300_000];
        new Random(3).nextBytes(content);
        MultipartBody.FilePart part = MultipartBody.read(new Trickle(body("", part("file", "x.bin", content)), 7001),
                BOUNDARY, folder, content.length, content.length + 1000);
        assertThat(Files.readAllBytes(part.file())).isEqualTo(content);
    }

    @Test
    void choosesTheFieldNamedFileElseTheFirstFile() throws Exception {
        byte[] body = body("", part("other", "a.pdf", "A".getBytes()), part("file", "b.pdf", "B".getBytes()),
                part("file", "c.pdf", "C".getBytes()));
        MultipartBody.FilePart part = MultipartBody.read(new ByteArrayInputStream(body), BOUNDARY, folder, 100, 10_000);
        assertThat(part.filename()).isEqualTo("b.pdf");
        assertThat(Files.readAllBytes(part.file())).isEqualTo("B".getBytes());
        assertThat(leftovers()).as("a.pdf's temporary file is gone").isEqualTo(1);

        byte[] other = body("", part("note", null, "x".getBytes()), part("document", "d.pdf", "D".getBytes()));
        assertThat(MultipartBody.read(new ByteArrayInputStream(other), BOUNDARY, folder, 100, 10_000).filename())
                .isEqualTo("d.pdf");
    }

    @Test
    void refusesWhatIsNotAWellFormedBodyWithAFile() {
        assertThatThrownBy(() -> read(body("", part("note", null, "x".getBytes()))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("no_file"));
        byte[] cut = body("", part("file", "a.pdf", "0123456789".getBytes()));
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(cut, cut.length - 20)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("malformed_multipart"));
        assertThatThrownBy(() -> read("no boundary anywhere".getBytes()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("boundary"));
        byte[] longHeader = ("--" + BOUNDARY + "\r\nX-Pad: " + "p".repeat(20_000) + "\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n").getBytes();
        assertThatThrownBy(() -> read(longHeader))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("malformed_multipart"));
        assertThat(leftovers()).isZero();
    }

    @Test
    void limitsAreDecidedAtTheByteThatCrossesThem() {
        byte[] content = new byte[5000];
        // the file over its limit: 413, and the body is not read further than the part
        CountingStream file = new CountingStream(body("", part("file", "a.pdf", content), part("x", null, new byte[50_000])));
        assertThatThrownBy(() -> MultipartBody.read(file, BOUNDARY, folder, 4999, 1_000_000))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThat(file.read).isLessThan(5000 + 2 * 64 * 1024);
        // other fields count against the whole body's limit
        CountingStream fields = new CountingStream(body("", part("x", null, new byte[500_000]), part("file", "a.pdf", content)));
        assertThatThrownBy(() -> MultipartBody.read(fields, BOUNDARY, folder, 10_000, 100_000))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThat(fields.read).isLessThan(100_000 + 64 * 1024 + 1);
        assertThat(leftovers()).isZero();
    }

    @Test
    void readsBoundaryAndFileNamesAsClientsSendThem() {
        assertThat(MultipartBody.boundary("multipart/form-data; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartBody.boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=xyz")).isEqualTo("xyz");
        assertThat(MultipartBody.boundary("application/pdf")).isNull();
        assertThat(MultipartBody.boundary(null)).isNull();
        assertThatThrownBy(() -> MultipartBody.boundary("multipart/form-data"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));

        assertThat(MultipartBody.filename("form-data; name=\"file\"; filename=\"a;b \\\"c\\\".pdf\"")).isEqualTo("a;b \"c\".pdf");
        assertThat(MultipartBody.filename("form-data; name=file; filename=C:\\docs\\scan.pdf")).isEqualTo("C:\\docs\\scan.pdf");
        assertThat(MultipartBody.filename("form-data; name=\"file\"; filename=\"x.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9+1.pdf"))
                .isEqualTo("été+1.pdf");
        assertThat(MultipartBody.filename("form-data; name=\"file\"")).isNull();
        assertThat(MultipartBody.parameter("form-data; filename=\"file\"; name=\"doc\"", "name")).isEqualTo("doc");
    }

    private MultipartBody.FilePart read(byte[] body) throws IOException {
        return MultipartBody.read(new ByteArrayInputStream(body), BOUNDARY, folder, 1000, 100_000);
    }

    private long leftovers() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] part(String field, String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String disposition = "Content-Disposition: form-data; name=\"" + field + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"");
        out.writeBytes(("--" + BOUNDARY + "\r\n" + disposition + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes());
        return out.toByteArray();
    }

    private static byte[] body(String preamble, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes());
        for (byte[] part : parts) out.writeBytes(part);
        out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes());
        return out.toByteArray();
    }

    /** Hands out the body in reads of at most {@code size} bytes, as a network does. */
    private static final class Trickle extends FilterInputStream {
        private final int size;

        Trickle(byte[] body, int size) {
            super(new ByteArrayInputStream(body));
            this.size = size;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, size));
        }
    }

    private static final class CountingStream extends FilterInputStream {
        long read;

        CountingStream(byte[] body) {
            super(new ByteArrayInputStream(body));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) read += n;
            return n;
        }
    }
}
