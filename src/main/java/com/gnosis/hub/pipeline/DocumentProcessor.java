package com.gnosis.hub.pipeline;

import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.scheduling.FairPageScheduler;
import com.gnosis.hub.scheduling.Niceness;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page pipeline behind the queue. For a queued session it reads the original from storage and hands
 * its pages to the {@link FairPageScheduler} (OCR_WORKERS workers, round-robin across users), then returns:
 * the queue consumer is never held by a long document. Each page's image, text and lines are stored as
 * soon as it is done and status.json is updated after every page; the last page writes
 * combined_output.md and the completed status. Pages already stored are not read again, so a session
 * queued twice (a redelivery, a restart) resumes where it stopped.
 */
public final class DocumentProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentProcessor.class);

    private final SessionStore sessions;
    private final PageReader pageReader;
    private final Document.Limits limits;
    private final Duration documentTimeout;
    private final FairPageScheduler scheduler;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final SessionEvents events;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final PendingPages pending;
    private final int workerNice;
    private final ThreadLocal<Boolean> consumerNiced = ThreadLocal.withInitial(() -> false);

    /** @param workerNice OCR_NICE: the page workers' nice value, so that answering requests comes first */
    public DocumentProcessor(SessionStore sessions, PageReader pageReader, Document.Limits limits, int workers,
                             int workerNice, Duration documentTimeout, Clock clock, SessionEvents events,
                             PendingPages pending) {
        this.sessions = sessions;
        this.pending = pending;
        this.pageReader = pageReader;
        this.limits = limits;
        this.documentTimeout = documentTimeout;
        this.clock = clock;
        this.events = events;
        this.workerNice = workerNice;
        this.scheduler = new FairPageScheduler(workers, "ocr-page", workerNice);
        this.timers = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ocr-document-timeout");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Processes one queue message ({@link QueuedDocument} JSON). The queue's consumer thread, which calls this,
     * opens documents and writes status: page work, so it runs at the workers' priority (OCR_NICE) too.
     */
    public void process(String message) throws IOException {
        if (!consumerNiced.get()) {
            consumerNiced.set(true);
            Niceness.setForCurrentThread(workerNice);
        }
        process(QueuedDocument.parse(message).ref());
    }

    /** Starts (or resumes) a session's pages; returns once they are scheduled. */
    public void process(SessionRef ref) throws IOException {
        if (jobs.containsKey(ref.sessionId())) {
            LOG.info("Session {} is already being processed", ref);
            return;
        }
        SessionStatus status;
        SessionMetadata metadata;
        try {
            status = sessions.status(ref);
            metadata = sessions.metadata(ref);
        } catch (FileNotFoundException e) {
            // its owner deleted it (perhaps between these two reads, right after the upload), or it never existed
            if (sessions.exists(ref)) throw e;
            LOG.info("Session {} no longer exists; nothing to process", ref);
            pending.forget(ref.sessionId());
            return;
        }
        if (status.finished()) {
            pending.forget(ref.sessionId());
            LOG.info("Session {} is already {}; not processed again", ref, status.status());
            return;
        }
        Job job = new Job(ref, status);
        if (jobs.putIfAbsent(ref.sessionId(), job) != null) return;
        job.start(metadata);
    }

    /** Sessions being processed now (for /health). */
    public int activeSessions() {
        return jobs.size();
    }

    /** Pages waiting for a worker, all sessions together. */
    public int queuedPages() {
        return scheduler.queued();
    }

    @Override
    public void close() {
        scheduler.close();
        timers.shutdownNow();
        jobs.values().forEach(Job::release);
    }

    /** One session in progress: its open document, its status, and the pages still to come. */
    private final class Job {
        private final SessionRef ref;
        private SessionStatus status;
        private Path original;
        private SessionMetadata metadata;
        private Document document;
        private ScheduledFuture<?> timeout;
        private int pages;
        private int remaining;
        private boolean begun;
        private boolean ended;

        Job(SessionRef ref, SessionStatus status) {
            this.ref = ref;
            this.status = status;
        }

        /**
         * Hands the session's missing pages to the scheduler. The document is opened, the status set to processing
         * and OCR_DOC_TIMEOUT started only when the first of them reaches a worker ({@link #begin}): behind a backlog
         * a session waits as pending, holding no open document, and its time limit counts reading, not waiting.
         */
        void start(SessionMetadata metadata) {
            try {
                this.metadata = metadata;
                int pageCount = metadata.totalPages();
                if (pageCount <= 0) {
                    // a session whose metadata does not know its pages (not written by this hub's intake)
                    synchronized (this) {
                        open();
                    }
                    pageCount = document.pageCount();
                }
                List<Integer> todo = new ArrayList<>();
                for (int page = 1; page <= pageCount; page++) {
                    if (!sessions.storage().exists(ref.key(SessionFiles.pageLines(page)))) todo.add(page);
                }
                synchronized (this) {
                    remaining = todo.size();
                    pages = pageCount;
                }
                pending.expect(ref, todo.size());
                if (todo.isEmpty()) {
                    synchronized (this) {
                        begin();
                    }
                    complete();
                    return;
                }
                for (int page : todo) {
                    scheduler.submit(ref.userHash(), ref.sessionId(), () -> readPage(page))
                            .whenComplete((p, error) -> pageFinished(page, error));
                }
            } catch (DocumentException e) {
                fail(e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.error("Processing {} failed", ref, e);
                fail("internal error: " + plainReason(e));
            }
        }

        /** The document opened (a local store's original in place, a bucket's through a temp copy). Holding the lock. */
        private void open() throws IOException, DocumentException {
            if (document != null) return;
            Optional<Path> local = sessions.storage().localFile(ref.key(metadata.originalFile()));
            if (local.isPresent()) {
                document = Document.open(local.get(), limits);
            } else {
                original = Files.createTempFile("gnosis-original-", "-" + metadata.originalFile());
                copyOriginal(metadata, original);
                document = Document.open(original, limits);
            }
        }

        /** The first page is about to be read: open the document, say processing, start the time limit. Holding the lock. */
        private void begin() throws IOException, DocumentException {
            if (begun) return;
            if (!sessions.exists(ref)) throw new SessionDeletedException();
            open();
            if (document.pageCount() != pages) {
                throw new DocumentException("page_count_changed", "The stored original has " + document.pageCount()
                        + " pages; " + pages + " were counted when it was taken.");
            }
            begun = true;
            int done = pages - remaining;
            SessionStatus started = status.started(clock.instant());
            started = new SessionStatus(started.status(), done * 100 / pages, started.currentPage(), pages, done,
                    started.message(), null, started.startedAt(), null, started.updatedAt());
            status = started;
            put(SessionFiles.STATUS, Json.bytes(started));
            stopIfDeleted();
            events.started(ref, started);
            LOG.info("Processing {}: {} pages, {} already done", ref, pages, done);
            timeout = timers.schedule(this::timedOut, documentTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private int readPage(int page) throws DocumentException, OcrException, IOException {
            synchronized (this) {
                if (ended) throw new CancellationException();
                begin();
            }
            PageResult result = pageReader.read(document, page - 1);
            store(result);
            events.pageRead(ref, page, Json.MAPPER.convertValue(result.source(), String.class), Duration.ofMillis(result.millis()));
            return page;
        }

        private void pageFinished(int page, Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean last;
            synchronized (this) {
                if (ended) return;
                if (cause instanceof CancellationException) return;
                // deleted by its owner meanwhile: what broke may have been one of its files (a folder, the original)
                if (cause instanceof SessionDeletedException || cause != null
                        && !(cause instanceof DocumentException || cause instanceof OcrException) && deleted()) {
                    LOG.info("Session {} was deleted while processing; stopped", ref);
                    end();
                    return;
                }
                if (cause != null) {
                    String reason = cause instanceof DocumentException ? cause.getMessage()
                            : cause instanceof OcrException ? "page " + page + ": " + cause.getMessage()
                            : "internal error on page " + page + ": " + plainReason(cause);
                    if (!(cause instanceof DocumentException || cause instanceof OcrException)) {
                        LOG.error("Page {} of {} failed", page, ref, cause);
                    }
                    events.pageFailed(ref, page);
                    fail(reason);
                    return;
                }
                remaining--;
                last = remaining == 0;
            }
            pending.pageDone(ref.sessionId());
            try {
                // the last page's progress is written with the completed status, in one write
                SessionStatus current = last ? advance(s -> s.pageDone(page, clock.instant()))
                        : update(s -> s.pageDone(page, clock.instant()));
                events.pageDone(ref, page, current);
                if (last) complete();
            } catch (IOException | RuntimeException e) {
                if (e instanceof SessionDeletedException || deleted()) {
                    LOG.info("Session {} was deleted while processing; stopped", ref);
                    synchronized (this) {
                        end();
                    }
                    return;
                }
                LOG.error("Recording page {} of {} failed", page, ref, e);
                fail("internal error: " + plainReason(e));
            }
        }

        private void complete() throws IOException {
            writeCombined();
            SessionStatus completed = update(s -> s.completed(clock.instant()));
            synchronized (this) {
                end();
            }
            LOG.info("Completed {} in {} s", ref, completed.processingSeconds(clock.instant()));
            events.finished(ref, completed);
        }

        private void timedOut() {
            synchronized (this) {
                if (ended) return;
            }
            fail("the document was still being read after " + describe(documentTimeout) + " (OCR_DOC_TIMEOUT); "
                    + current().pagesDone() + " of " + current().totalPages() + " pages were done");
        }

        private synchronized void fail(String reason) {
            if (ended) return;
            end();
            try {
                if (deleted()) {
                    LOG.info("Session {} was deleted while processing; stopped ({})", ref, reason);
                    return;
                }
                LOG.warn("Session {} failed: {}", ref, reason);
                SessionStatus failed = (status.startedAt() == null ? status.started(clock.instant()) : status)
                        .failed(reason, clock.instant());
                status = failed;
                put(SessionFiles.STATUS, Json.bytes(failed));
                stopIfDeleted();
                events.finished(ref, failed);
            } catch (SessionDeletedException e) {
                LOG.info("Session {} was deleted while its failure was recorded", ref);
            } catch (IOException e) {
                LOG.error("Could not record the failure of {}: {}", ref, e.getMessage());
            }
        }

        /** Marks the job over: waiting pages dropped, document closed, temp file deleted. Call holding the lock. */
        private void end() {
            ended = true;
            pending.forget(ref.sessionId());
            scheduler.cancel(ref.sessionId());
            if (timeout != null) timeout.cancel(false);
            jobs.remove(ref.sessionId(), this);
            release();
        }

        synchronized void release() {
            if (document != null) document.close();
            try {
                if (original != null) Files.deleteIfExists(original);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", original, e.getMessage());
            }
        }

        private synchronized SessionStatus current() {
            return status;
        }

        /** Changes the status in memory only; the next {@link #update} writes it. */
        private synchronized SessionStatus advance(UnaryOperator<SessionStatus> change) {
            status = change.apply(status);
            return status;
        }

        /** Status writes are serialised, so a later page never loses to an earlier one. */
        private synchronized SessionStatus update(UnaryOperator<SessionStatus> change) throws IOException {
            status = change.apply(status);
            put(SessionFiles.STATUS, Json.bytes(status));
            stopIfDeleted();
            return status;
        }

        private void copyOriginal(SessionMetadata metadata, Path target) throws IOException, DocumentException {
            try (InputStream in = sessions.storage().open(ref.key(metadata.originalFile()))
                    .orElseThrow(() -> new DocumentException("missing_original", "The stored original "
                            + metadata.originalFile() + " is missing."))) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        private void store(PageResult result) throws IOException {
            for (Map.Entry<String, byte[]> file : StoredPage.files(result).entrySet()) put(file.getKey(), file.getValue());
            stopIfDeleted();
        }

        /**
         * Writes one of the session's files; each write is followed by {@link #stopIfDeleted}. The owner may delete
         * the session at any moment (metadata first, then the rest): a write that overlaps the deletion can find its
         * folder gone, which is not an error then.
         */
        private void put(String file, byte[] data) throws IOException {
            try {
                sessions.storage().put(ref.key(file), data);
            } catch (IOException e) {
                if (!deleted()) throw e;
            }
        }

        /**
         * After writing: a session deleted meanwhile is not brought back. A write that came after the deletion made
         * its folder again; the metadata is missing all the same, so what the writes left is removed and the job
         * stops ({@link SessionDeletedException}).
         */
        private void stopIfDeleted() throws IOException {
            if (!deleted()) return;
            sessions.storage().deleteAll(ref.prefix());
            throw new SessionDeletedException();
        }

        /** Whether the session's owner deleted it (its metadata is gone); false when storage cannot say. */
        private boolean deleted() {
            try {
                return !sessions.exists(ref);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private void writeCombined() throws IOException {
            put(SessionFiles.COMBINED, StoredPage.combined(sessions.storage(), ref, current().totalPages()));
            stopIfDeleted();
        }
    }

    private static String describe(Duration duration) {
        if (duration.toMillis() % 60_000 == 0) return duration.toMinutes() + " min";
        if (duration.toMillis() % 1000 == 0) return duration.toSeconds() + " s";
        return duration.toMillis() + " ms";
    }

    /** The session disappeared (deleted by its owner) while it was being processed. */
    private static final class SessionDeletedException extends RuntimeException {
        SessionDeletedException() {
            super(null, null, false, false);
        }
    }

    /** A status message names no Java types: what a user can act on, the details go to the log. */
    static String plainReason(Throwable failure) {
        if (failure instanceof OutOfMemoryError) return "the page needs more memory than the hub has (the log has details)";
        if (failure instanceof java.util.concurrent.TimeoutException) return "it took too long";
        return "an unexpected failure (the log has details)";
    }
}
