package com.gnosis.hub.pipeline;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page pipeline behind the queue: reads a queued session's original from storage, reads its pages
 * in parallel (OCR_WORKERS), stores each page's image, text and lines as soon as it is done, updates
 * status.json after every page, and ends with combined_output.md and a completed (or failed) status.
 * Pages already stored are not read again, so a session queued twice resumes where it stopped.
 */
public final class DocumentProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentProcessor.class);

    private final SessionStore sessions;
    private final PageReader pageReader;
    private final Document.Limits limits;
    private final Duration documentTimeout;
    private final ExecutorService pageWorkers;
    private final Clock clock;
    private final SessionEvents events;
    private final AtomicInteger active = new AtomicInteger();

    public DocumentProcessor(SessionStore sessions, PageReader pageReader, Document.Limits limits, int workers,
                             Duration documentTimeout, Clock clock, SessionEvents events) {
        this.sessions = sessions;
        this.events = events;
        this.pageReader = pageReader;
        this.limits = limits;
        this.documentTimeout = documentTimeout;
        this.clock = clock;
        AtomicInteger threadNumber = new AtomicInteger();
        this.pageWorkers = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "ocr-page-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Processes one queue message ({@link QueuedDocument} JSON). */
    public void process(String message) throws IOException {
        process(QueuedDocument.parse(message).ref());
    }

    public void process(SessionRef ref) throws IOException {
        if (!sessions.exists(ref)) {
            LOG.info("Session {} no longer exists; nothing to process", ref);
            return;
        }
        SessionStatus status = sessions.status(ref);
        if (status.finished()) {
            LOG.info("Session {} is already {}; not processed again", ref, status.status());
            return;
        }
        active.incrementAndGet();
        try {
            run(ref, sessions.metadata(ref), status);
        } finally {
            active.decrementAndGet();
        }
    }

    /** Sessions being processed now (for /health). */
    public int activeSessions() {
        return active.get();
    }

    private void run(SessionRef ref, SessionMetadata metadata, SessionStatus status) throws IOException {
        Path original = Files.createTempFile("gnosis-original-", "-" + metadata.originalFile());
        Progress progress = null;
        try {
            copyOriginal(ref, metadata, original);
            try (Document document = Document.open(original, limits)) {
                List<Integer> todo = new ArrayList<>();
                int done = 0;
                for (int page = 1; page <= document.pageCount(); page++) {
                    if (sessions.storage().exists(ref.key(SessionFiles.pageLines(page)))) done++;
                    else todo.add(page);
                }
                SessionStatus started = status.started(clock.instant());
                started = new SessionStatus(started.status(), document.pageCount() == 0 ? 0 : done * 100 / document.pageCount(),
                        started.currentPage(), document.pageCount(), done, started.message(), null, started.startedAt(),
                        null, started.updatedAt());
                progress = new Progress(ref, started);
                sessions.writeStatus(ref, started);
                events.started(ref, started);
                LOG.info("Processing {}: {} pages, {} already done", ref, document.pageCount(), done);
                readPages(ref, document, todo, progress);
                writeCombined(ref, document.pageCount());
                progress.update(s -> s.completed(clock.instant()));
                LOG.info("Completed {} in {} s", ref, progress.current().processingSeconds(clock.instant()));
                events.finished(ref, progress.current());
            }
        } catch (SessionDeletedException e) {
            LOG.info("Session {} was deleted while processing; stopped", ref);
        } catch (DocumentException | OcrException | TimeoutException e) {
            fail(ref, progress, status, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Processing {} failed", ref, e);
            fail(ref, progress, status, "internal error: " + e);
        } finally {
            Files.deleteIfExists(original);
        }
    }

    private void copyOriginal(SessionRef ref, SessionMetadata metadata, Path target) throws IOException, DocumentException {
        try (InputStream in = sessions.storage().open(ref.key(metadata.originalFile()))
                .orElseThrow(() -> new DocumentException("missing_original", "The stored original "
                        + metadata.originalFile() + " is missing."))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void readPages(SessionRef ref, Document document, List<Integer> pages, Progress progress)
            throws DocumentException, OcrException, IOException, TimeoutException {
        CompletionService<Integer> completion = new ExecutorCompletionService<>(pageWorkers);
        AtomicBoolean stopped = new AtomicBoolean();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int page : pages) {
            futures.add(completion.submit(() -> {
                if (stopped.get()) return page;
                PageResult result = pageReader.read(document, page - 1);
                if (!stopped.get()) store(ref, result);
                return page;
            }));
        }
        long deadline = System.nanoTime() + documentTimeout.toNanos();
        try {
            for (int i = 0; i < pages.size(); i++) {
                Future<Integer> next = completion.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new TimeoutException("the document was still being read after " + describe(documentTimeout)
                            + " (OCR_DOC_TIMEOUT); " + progress.current().pagesDone() + " of "
                            + document.pageCount() + " pages were done");
                }
                int page = next.get();
                progress.update(s -> s.pageDone(page, clock.instant()));
                events.pageDone(ref, page, progress.current());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading pages", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DocumentException de) throw de;
            if (cause instanceof OcrException oe) throw oe;
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            throw new IOException(cause);
        } finally {
            stopped.set(true);
            futures.forEach(f -> f.cancel(false));
        }
    }

    private void store(SessionRef ref, PageResult result) throws IOException {
        Storage storage = sessions.storage();
        if (!sessions.exists(ref)) throw new SessionDeletedException();
        int page = result.pageNumber();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(result.image(), "png", png);
        storage.put(ref.key(SessionFiles.pageImage(page)), png.toByteArray());
        storage.put(ref.key(SessionFiles.pageText(page)), result.text().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("page_number", page);
        lines.put("width", result.image().getWidth());
        lines.put("height", result.image().getHeight());
        lines.put("source", result.source());
        lines.put("confidence", result.confidence());
        lines.put("processing_time", result.millis() / 1000.0);
        lines.put("lines", result.lines());
        // the lines file is written last: its presence marks the page as done
        storage.put(ref.key(SessionFiles.pageLines(page)), Json.bytes(lines));
    }

    /** "# Page N" blocks joined by "\n\n---\n\n", built from the stored page texts. */
    private void writeCombined(SessionRef ref, int pageCount) throws IOException {
        Storage storage = sessions.storage();
        List<String> blocks = new ArrayList<>();
        for (int page = 1; page <= pageCount; page++) {
            String text = storage.get(ref.key(SessionFiles.pageText(page)))
                    .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            blocks.add("# Page " + page + "\n\n" + text);
        }
        if (!sessions.exists(ref)) throw new SessionDeletedException();
        storage.put(ref.key(SessionFiles.COMBINED), String.join("\n\n---\n\n", blocks).getBytes(StandardCharsets.UTF_8));
    }

    private void fail(SessionRef ref, Progress progress, SessionStatus initial, String reason) throws IOException {
        LOG.warn("Session {} failed: {}", ref, reason);
        if (!sessions.exists(ref)) return;
        SessionStatus current = progress == null ? initial.started(clock.instant()) : progress.current();
        SessionStatus failed = current.failed(reason, clock.instant());
        sessions.writeStatus(ref, failed);
        events.finished(ref, failed);
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    @Override
    public void close() {
        pageWorkers.shutdownNow();
    }

    /** The session's status as pages finish; writes are serialised so a later page never loses to an earlier one. */
    private final class Progress {
        private final SessionRef ref;
        private SessionStatus status;

        Progress(SessionRef ref, SessionStatus status) {
            this.ref = ref;
            this.status = status;
        }

        synchronized SessionStatus current() {
            return status;
        }

        synchronized void update(java.util.function.UnaryOperator<SessionStatus> change) throws IOException {
            if (!sessions.exists(ref)) throw new SessionDeletedException();
            status = change.apply(status);
            sessions.writeStatus(ref, status);
        }
    }

    /** The session disappeared (deleted by its owner) while it was being processed. */
    private static final class SessionDeletedException extends RuntimeException {
        SessionDeletedException() {
            super(null, null, false, false);
        }
    }

    /** The document ran past OCR_DOC_TIMEOUT. */
    static final class TimeoutException extends Exception {
        TimeoutException(String message) {
            super(message);
        }
    }
}
