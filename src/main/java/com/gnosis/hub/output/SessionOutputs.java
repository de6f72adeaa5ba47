package com.gnosis.hub.output;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.format.OutputFormat;
import com.gnosis.hub.ocr.format.PageModel;
import com.gnosis.hub.ocr.format.Pages;
import com.gnosis.hub.pipeline.PngEncoder;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.Storage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A completed session's derived files: the searchable PDF, hOCR and ALTO, and the page images of pages that were
 * never rendered (text-layer pages). Each is made from the stored page model the first time someone asks for it and
 * stored beside the session's other files (local folder or bucket), so later requests, the ZIP and every other hub
 * process sharing the storage serve the stored copy. On demand rather than after the last page: most sessions are
 * read as text and never asked for a PDF, and a long document's completion is not delayed by outputs nobody wants;
 * the page models do not change once a session is completed, so a stored output never goes stale.
 */
public final class SessionOutputs {

    private final SessionStore sessions;
    private final String version;
    private final int dpi;
    private final Map<String, Object> making = new ConcurrentHashMap<>();

    /** @param dpi OCR_DPI: the resolution page images are made at, and assumed for images that do not say theirs */
    public SessionOutputs(SessionStore sessions, String version, int dpi) {
        this.sessions = sessions;
        this.version = version;
        this.dpi = dpi;
    }

    /** The output's stored file name, made now if it is not stored yet. The session must be completed. */
    public String ensure(SessionRef ref, OutputFormat format) throws IOException, DocumentException {
        Storage storage = sessions.storage();
        String key = ref.key(format.file());
        if (storage.exists(key)) return format.file();
        synchronized (making.computeIfAbsent(key, k -> new Object())) {
            try {
                if (storage.exists(key)) return format.file();
                SessionMetadata metadata = sessions.metadata(ref);
                Pages pages = new StoredPages(storage, ref, metadata.totalPages());
                Path temp = Files.createTempFile("gnosis-output-", "-" + format.file());
                try {
                    try (OutputStream out = Files.newOutputStream(temp)) {
                        write(format, metadata, ref, pages, out);
                    }
                    storage.putFileTaking(key, temp);
                } finally {
                    Files.deleteIfExists(temp);
                }
                return format.file();
            } finally {
                making.remove(key);
            }
        }
    }

    private void write(OutputFormat format, SessionMetadata metadata, SessionRef ref, Pages pages, OutputStream out)
            throws IOException, DocumentException {
        if (format != OutputFormat.PDF) {
            format.write(metadata.filename(), null, pages, dpi, version, out);
            return;
        }
        try (Original original = original(ref, metadata)) {
            format.write(metadata.filename(), original.path(), pages, dpi, version, out);
        }
    }

    /**
     * The stored image of a page, rendering it from the original first where the page was read from its text layer
     * and so never rendered. Empty while the page is not done (or for a page the session does not have).
     */
    public Optional<String> pageImage(SessionRef ref, int page) throws IOException, DocumentException {
        Storage storage = sessions.storage();
        String file = SessionFiles.pageImage(page);
        String key = ref.key(file);
        if (storage.exists(key)) return Optional.of(file);
        if (!storage.exists(ref.key(SessionFiles.pageLines(page)))) return Optional.empty();
        SessionMetadata metadata = sessions.metadata(ref);
        if (page > metadata.totalPages()) return Optional.empty();
        synchronized (making.computeIfAbsent(key, k -> new Object())) {
            try {
                if (storage.exists(key)) return Optional.of(file);
                try (Original original = original(ref, metadata); Document document = Document.open(original.path())) {
                    if (page > document.pageCount()) return Optional.empty();
                    BufferedImage image = document.render(page - 1, dpi);
                    storage.put(key, PngEncoder.encode(image));
                }
                return Optional.of(file);
            } finally {
                making.remove(key);
            }
        }
    }

    private Original original(SessionRef ref, SessionMetadata metadata) throws IOException, DocumentException {
        String key = ref.key(metadata.originalFile());
        Optional<Path> local = sessions.storage().localFile(key);
        if (local.isPresent()) return new Original(local.get(), false);
        Path temp = Files.createTempFile("gnosis-original-", "-" + metadata.originalFile());
        try (InputStream in = sessions.storage().open(key).orElseThrow(() -> new DocumentException("missing_original",
                "The stored original " + metadata.originalFile() + " is missing."))) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | DocumentException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Original(temp, true);
    }

    /** The original as a local file; a copy (of a bucket's object) is deleted on close. */
    private record Original(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (temporary) Files.deleteIfExists(path);
        }
    }

    /** The session's page models, read from storage one at a time. */
    private static final class StoredPages implements Pages {
        private final Storage storage;
        private final SessionRef ref;
        private final int count;

        StoredPages(Storage storage, SessionRef ref, int count) {
            this.storage = storage;
            this.ref = ref;
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public PageModel page(int number) throws IOException {
            Optional<byte[]> json = storage.get(ref.key(SessionFiles.pageLines(number)));
            if (json.isPresent()) return PageModel.parse(json.get(), number);
            // a session migrated from gnosis-ocr has page texts and images but no page model: a page without lines
            int[] size = imageSize(storage, ref.key(SessionFiles.pageImage(number)));
            return new PageModel(number, size[0], size[1], TextLine.Source.OCR, 0,
                    java.util.List.of(), java.util.List.of());
        }

        private static int[] imageSize(Storage storage, String key) throws IOException {
            Optional<InputStream> in = storage.open(key);
            if (in.isEmpty()) return new int[] {0, 0};
            try (InputStream stream = in.get(); ImageInputStream image = ImageIO.createImageInputStream(stream)) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(image);
                if (!readers.hasNext()) return new int[] {0, 0};
                ImageReader reader = readers.next();
                try {
                    reader.setInput(image);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
        }
    }
}
