package com.gnosis.hub.cluster;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents this process has open for page work. Page messages of one session arrive one after another, so
 * the last few documents stay open (a bucket's original is copied once, not once per page); the least recently
 * used one that nobody is reading is closed when more than {@code capacity} are open.
 */
final class OpenDocuments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenDocuments.class);

    /** One open document and how many readers use it now. */
    final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Document document() {
            return entry.document;
        }

        @Override
        public void close() {
            synchronized (OpenDocuments.this) {
                entry.readers--;
                evict();
            }
        }
    }

    private static final class Entry {
        final Document document;
        final Path copy;
        int readers;

        Entry(Document document, Path copy) {
            this.document = document;
            this.copy = copy;
        }

        void close() {
            document.close();
            try {
                if (copy != null) Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", copy, e.getMessage());
            }
        }
    }

    private final Storage storage;
    private final Document.Limits limits;
    private final int capacity;
    private final LinkedHashMap<String, Entry> open = new LinkedHashMap<>(16, 0.75f, true);

    OpenDocuments(Storage storage, Document.Limits limits, int capacity) {
        this.storage = storage;
        this.limits = limits;
        this.capacity = Math.max(1, capacity);
    }

    /** The session's original, open (opened now, or still open from its previous page). */
    Lease open(SessionRef ref, SessionMetadata metadata) throws IOException, DocumentException {
        synchronized (this) {
            Entry entry = open.get(ref.sessionId());
            if (entry != null) {
                entry.readers++;
                return new Lease(entry);
            }
        }
        // opened outside the lock: a bucket's original is copied first
        Entry opened = openOriginal(ref, metadata);
        synchronized (this) {
            Entry entry = open.get(ref.sessionId());
            if (entry != null) {
                opened.close();
            } else {
                entry = opened;
                open.put(ref.sessionId(), entry);
            }
            entry.readers++;
            return new Lease(entry);
        }
    }

    /** The session is over here: its document is closed once nobody reads it. */
    synchronized void forget(String sessionId) {
        Entry entry = open.get(sessionId);
        if (entry != null && entry.readers == 0) {
            open.remove(sessionId);
            entry.close();
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Entry::close);
        open.clear();
    }

    private void evict() {
        Iterator<Map.Entry<String, Entry>> oldestFirst = open.entrySet().iterator();
        while (open.size() > capacity && oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next().getValue();
            if (entry.readers > 0) continue;
            oldestFirst.remove();
            entry.close();
        }
    }

    private Entry openOriginal(SessionRef ref, SessionMetadata metadata) throws IOException, DocumentException {
        String key = ref.key(metadata.originalFile());
        Optional<Path> local = storage.localFile(key);
        if (local.isPresent()) return new Entry(Document.open(local.get(), limits), null);
        Path copy = Files.createTempFile("gnosis-original-", "-" + metadata.originalFile());
        try (InputStream in = storage.open(key).orElseThrow(() -> new DocumentException("missing_original",
                "The stored original " + metadata.originalFile() + " is missing."))) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return new Entry(Document.open(copy, limits), copy);
        } catch (IOException | DocumentException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }
}
