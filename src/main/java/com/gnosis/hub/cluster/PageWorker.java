package com.gnosis.hub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.scheduling.Niceness;
import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.pipeline.StoredPage;
import com.gnosis.hub.queue.Claims;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page pipeline when the queue is a broker shared by several hubs (route ocr-page-work). The unit of work is
 * a page: a document message becomes page messages, and a page message is read, stored and acknowledged by
 * whichever hub pulled it, so one long document keeps several workers busy. Each message is handled to the end
 * before {@link #take} returns, and its outcome says whether the broker may forget it: a hub holds only the
 * page it is reading, and a page is acknowledged only once its lines file is stored.
 *
 * <p>Every decision is taken from storage, never from memory, so any hub may take any message:
 * <ul>
 * <li>a page is read only under its claim ({@link Claims}, {@code page_NNN}); a claim whose holder died runs out
 * after OCR_PAGE_LEASE and the page's redelivered message is then read again (attempt 2);</li>
 * <li>a page whose lines file exists is never read again, and the lines file is created, never overwritten;</li>
 * <li>a session's pages travel as OCR_PAGE_WINDOW chains (pages 1, 1+W, 1+2W ... ; 2, 2+W ...): the document
 * message publishes the head of each, each page stored publishes the next of its chain. A session thus has
 * at most W pages on the queue, and sessions queued later are not stuck behind all pages of earlier ones;</li>
 * <li>status.json is rewritten under a short {@code status} claim, and the session is completed by the one hub
 * that takes its {@code complete} claim.</li>
 * </ul>
 */
public final class PageWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PageWorker.class);
    private static final Pattern PAGE_LINES = Pattern.compile("page_(\\d+)\\.json");
    /** Progress rewrites of one status.json at most once a second (a bucket's limit for one object). */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /** What became of a message: whether the broker may forget it, and the messages to publish first. */
    public static final class Outcome {
        private final boolean done;
        private final List<String> publish;

        private Outcome(boolean done, List<String> publish) {
            this.done = done;
            this.publish = List.copyOf(publish);
        }

        static Outcome acknowledged(List<String> publish) {
            return new Outcome(true, publish);
        }

        static Outcome acknowledged() {
            return new Outcome(true, List.of());
        }

        /** Another hub holds the work now: the message stays leased and comes back after its ack deadline. */
        static Outcome later() {
            return new Outcome(false, List.of());
        }

        public boolean isDone() {
            return done;
        }

        public List<String> getPublish() {
            return publish;
        }

        @Override
        public String toString() {
            return (done ? "done" : "later") + (publish.isEmpty() ? "" : ", publishing " + publish.size());
        }
    }

    /** A session as read from storage for one message. */
    private record Session(SessionRef ref, SessionMetadata metadata, SessionStatus status) {
        int pages() {
            return metadata.totalPages();
        }
    }

    private final SessionStore sessions;
    private final Storage storage;
    private final PageReader reader;
    private final OpenDocuments documents;
    private final Claims claims;
    private final QueueBacklog backlog;
    private final SessionEvents events;
    private final Clock clock;
    private final int window;
    private final Duration documentTimeout;
    private final int nice;
    private final ThreadLocal<Boolean> niced = ThreadLocal.withInitial(() -> false);
    private final AtomicInteger reading = new AtomicInteger();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ocr-claim-renewal");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param window     OCR_PAGE_WINDOW: pages of one session on the queue at once
     * @param workers    OCR_WORKERS: pages this hub reads at once (the documents kept open follow it)
     * @param nice       OCR_NICE for the consumer threads, which read pages here
     */
    public PageWorker(SessionStore sessions, PageReader reader, com.gnosis.hub.ocr.Document.Limits limits, Claims claims,
                      QueueBacklog backlog, SessionEvents events, Clock clock, int window, int workers,
                      Duration documentTimeout, int nice) {
        this.sessions = sessions;
        this.storage = sessions.storage();
        this.reader = reader;
        this.documents = new OpenDocuments(storage, limits, workers + 1);
        this.claims = claims;
        this.backlog = backlog;
        this.events = events;
        this.clock = clock;
        this.window = Math.max(1, window);
        this.documentTimeout = documentTimeout;
        this.nice = nice;
    }

    /** Route ocr-enqueue: a session is about to be queued; it counts in the cluster's backlog from now on. */
    public void enqueued(String message) {
        try {
            SessionRef ref = QueuedDocument.parse(message).ref();
            backlog.add(ref, sessions.metadata(ref));
        } catch (IOException | RuntimeException e) {
            // the backlog steers backpressure and /health; the document is queued all the same
            LOG.warn("Could not count a queued session in the backlog: {}", e.toString());
        }
    }

    /** Route ocr-page-work: handles one message (a document or one of its pages) to the end. */
    public Outcome take(String message) throws IOException {
        if (!niced.get()) {
            niced.set(true);
            Niceness.setForCurrentThread(nice);
        }
        SessionRef ref;
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(message);
            ref = new SessionRef(json.path("user_hash").asText(), json.path("session_id").asText());
        } catch (IOException | IllegalArgumentException e) {
            // nothing will ever make it readable: dropped (it is logged; a dead-letter topic would only keep it)
            LOG.error("Dropped a queue message that names no session: {}", abbreviate(message));
            return Outcome.acknowledged();
        }
        Optional<Session> session = load(ref);
        if (session.isEmpty()) return Outcome.acknowledged();
        Outcome outcome = json.hasNonNull("page") ? page(session.get(), json.get("page").asInt())
                : document(session.get());
        LOG.debug("{} page {}: {}", ref, json.path("page").asText("-"), outcome);
        return outcome;
    }

    /** Pages being read by this hub now (for /health). */
    public int readingNow() {
        return reading.get();
    }

    public QueueBacklog backlog() {
        return backlog;
    }

    @Override
    public void close() {
        renewals.shutdownNow();
        documents.close();
    }

    /** A document message: the head of each page chain is published (pages already stored are skipped). */
    private Outcome document(Session session) throws IOException {
        TreeSet<Integer> stored = storedPages(session.ref());
        if (stored.size() >= session.pages()) return finish(session);
        List<String> publish = new ArrayList<>();
        for (int head = 1; head <= Math.min(window, session.pages()); head++) {
            for (int page = head; page <= session.pages(); page += window) {
                if (stored.contains(page)) continue;
                publish.add(message(session.ref(), page));
                break;
            }
        }
        LOG.info("Queued {}: {} pages, {} already stored, {} page chains", session.ref(), session.pages(),
                stored.size(), publish.size());
        return Outcome.acknowledged(publish);
    }

    /** A page message: read under the page's claim unless stored, then the chain goes on and the session may end. */
    private Outcome page(Session session, int page) throws IOException {
        SessionRef ref = session.ref();
        if (page < 1 || page > session.pages()) {
            LOG.error("Dropped a queue message for page {} of {}, which has {} pages", page, ref, session.pages());
            return Outcome.acknowledged();
        }
        if (!storage.exists(ref.key(SessionFiles.pageLines(page)))) {
            Optional<Claims.Claim> claim = claims.take(ref, pageClaim(page));
            if (claim.isEmpty()) return Outcome.later();
            try {
                read(session, claim.get(), page);
            } catch (DocumentException e) {
                fail(session, e.getMessage());
                return Outcome.acknowledged();
            } catch (OcrException e) {
                fail(session, "page " + page + ": " + e.getMessage());
                return Outcome.acknowledged();
            } catch (SessionDeletedException e) {
                LOG.info("Session {} was deleted while page {} was read; stopped", ref, page);
                backlog.removeDeleted(ref);
                return Outcome.acknowledged();
            }
        }
        TreeSet<Integer> stored = storedPages(ref);
        if (stored.size() >= session.pages()) return finish(session);
        progress(session, page, stored.size());
        return Outcome.acknowledged(next(ref, page, stored, session.pages()));
    }

    private void read(Session session, Claims.Claim claim, int page)
            throws IOException, DocumentException, OcrException {
        SessionRef ref = session.ref();
        SessionStatus status = begin(session);
        if (status.startedAt() != null && clock.instant().isAfter(Instant.parse(status.startedAt()).plus(documentTimeout))) {
            throw new DocumentException("timeout", "the document was still being read after "
                    + documentTimeout.toSeconds() + " s (OCR_DOC_TIMEOUT); " + status.pagesDone() + " of " + status.totalPages()
                    + " pages were done");
        }
        long every = Math.max(1, claims.lease().toMillis() / 3);
        ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(() -> renew(claim), every, every, TimeUnit.MILLISECONDS);
        reading.incrementAndGet();
        try (OpenDocuments.Lease document = documents.open(ref, session.metadata())) {
            if (document.document().pageCount() != session.pages()) {
                throw new DocumentException("page_count_changed", "The stored original has "
                        + document.document().pageCount() + " pages; " + session.pages() + " were counted when it was taken.");
            }
            PageResult result = reader.read(document.document(), page - 1);
            store(ref, result, claim);
        } finally {
            reading.decrementAndGet();
            renewal.cancel(false);
        }
    }

    private void renew(Claims.Claim claim) {
        try {
            if (!claims.renew(claim)) LOG.warn("The claim on {} {} was lost while reading", claim.ref(), claim.name());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not renew the claim on {} {}: {}", claim.ref(), claim.name(), e.toString());
        }
    }

    /** The page's files; the lines file is created, never overwritten (a second reader's copy is not kept). */
    private void store(SessionRef ref, PageResult result, Claims.Claim claim) throws IOException {
        Iterator<Map.Entry<String, byte[]>> files = StoredPage.files(result).entrySet().iterator();
        while (files.hasNext()) {
            Map.Entry<String, byte[]> file = files.next();
            if (files.hasNext()) {
                storage.put(ref.key(file.getKey()), file.getValue());
            } else if (!storage.createIfAbsent(ref.key(file.getKey()), file.getValue())) {
                LOG.warn("Page {} of {} was stored meanwhile by another worker; attempt {} is not kept",
                        result.pageNumber(), ref, claim.attempt());
            }
        }
        if (!sessions.exists(ref)) {
            // deleted by its owner while the page was read: what this write brought back goes too
            storage.deleteAll(ref.prefix());
            throw new SessionDeletedException();
        }
    }

    /** The first page read makes the session processing (once, whichever hub reads it). */
    private SessionStatus begin(Session session) throws IOException {
        if (!SessionStatus.PENDING.equals(session.status().status())) return session.status();
        return underStatusClaim(session.ref(), true, status -> {
            if (!SessionStatus.PENDING.equals(status.status())) return null;
            SessionStatus started = status.started(clock.instant());
            events.started(session.ref(), started);
            LOG.info("Processing {}: {} pages", session.ref(), session.pages());
            return started;
        }).orElse(session.status());
    }

    /** Progress after a page: best effort (skipped while another hub writes the status, or within a second). */
    private void progress(Session session, int page, int done) throws IOException {
        underStatusClaim(session.ref(), false, status -> {
            if (status.finished() || status.pagesDone() >= done) return null;
            if (status.updatedAt() != null
                    && Duration.between(Instant.parse(status.updatedAt()), clock.instant()).compareTo(PROGRESS_INTERVAL) < 0) {
                return null;
            }
            int total = session.pages();
            SessionStatus updated = new SessionStatus(SessionStatus.PROCESSING, Math.min(99, done * 100 / total), page,
                    total, done, "Processed page " + page + " (" + done + " of " + total + ")", null,
                    status.startedAt(), null, clock.instant().toString());
            events.pageDone(session.ref(), page, updated);
            return updated;
        });
    }

    /** Every page is stored: the hub that takes the complete claim writes the combined output and the status. */
    private Outcome finish(Session session) throws IOException {
        SessionRef ref = session.ref();
        Optional<Claims.Claim> claim = claims.take(ref, "complete");
        if (claim.isEmpty()) {
            // another hub completes it; should it die doing so, this message brings the session back then
            return sessions.status(ref).finished() ? Outcome.acknowledged() : Outcome.later();
        }
        storage.put(ref.key(SessionFiles.COMBINED), StoredPage.combined(storage, ref, session.pages()));
        Optional<SessionStatus> completed = underStatusClaim(ref, true, status -> {
            if (status.finished()) return null;
            int total = session.pages();
            SessionStatus done = new SessionStatus(SessionStatus.PROCESSING, status.progress(), status.currentPage(), total,
                    total, status.message(), null, status.startedAt() == null ? clock.instant().toString() : status.startedAt(),
                    null, status.updatedAt()).completed(clock.instant());
            return done;
        });
        ended(session);
        completed.ifPresent(status -> {
            LOG.info("Completed {} in {} s", ref, status.processingSeconds(clock.instant()));
            events.finished(ref, status);
        });
        return Outcome.acknowledged();
    }

    private void fail(Session session, String reason) throws IOException {
        Optional<SessionStatus> failed = underStatusClaim(session.ref(), true, status -> {
            if (status.finished()) return null;
            return (status.startedAt() == null ? status.started(clock.instant()) : status).failed(reason, clock.instant());
        });
        ended(session);
        failed.ifPresent(status -> {
            LOG.warn("Session {} failed: {}", session.ref(), reason);
            events.finished(session.ref(), status);
        });
    }

    private void ended(Session session) throws IOException {
        backlog.remove(session.ref(), session.metadata());
        documents.forget(session.ref().sessionId());
    }

    private interface StatusChange {
        /** The new status, or null to leave it as it is. */
        SessionStatus apply(SessionStatus current) throws IOException;
    }

    /**
     * Reads, changes and writes status.json under the session's short {@code status} claim, so that no hub's write
     * overtakes another's (a late progress write never turns "completed" back into "processing").
     *
     * @param must wait for the claim (start, completion, failure); otherwise give up at once (progress)
     * @return the status written, if any
     */
    private Optional<SessionStatus> underStatusClaim(SessionRef ref, boolean must, StatusChange change) throws IOException {
        Instant deadline = clock.instant().plus(claims.lease()).plus(claims.lease());
        Optional<Claims.Claim> claim = claims.take(ref, "status");
        while (claim.isEmpty() && must && clock.instant().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            claim = claims.take(ref, "status");
        }
        if (claim.isEmpty()) {
            if (must) throw new IOException("the status of " + ref + " stayed claimed by another hub");
            return Optional.empty();
        }
        try {
            SessionStatus current;
            try {
                current = sessions.status(ref);
            } catch (FileNotFoundException e) {
                return Optional.empty(); // deleted meanwhile
            }
            SessionStatus updated = change.apply(current);
            if (updated == null) return Optional.empty();
            storage.put(ref.key(SessionFiles.STATUS), Json.bytes(updated));
            return Optional.of(updated);
        } finally {
            claims.release(claim.get());
        }
    }

    /** The next page of the page's chain that is not stored, published by the one hub that claims to queue it. */
    private List<String> next(SessionRef ref, int page, TreeSet<Integer> stored, int pages) throws IOException {
        for (int next = page + window; next <= pages; next += window) {
            if (stored.contains(next)) continue;
            if (claims.taken(ref, pageClaim(next))) return List.of(); // already being read: its chain is alive
            return claims.take(ref, "queue_" + pageNumber(next)).isPresent() ? List.of(message(ref, next)) : List.of();
        }
        return List.of();
    }

    private Optional<Session> load(SessionRef ref) throws IOException {
        try {
            SessionMetadata metadata = sessions.metadata(ref);
            SessionStatus status = sessions.status(ref);
            if (status.finished()) return Optional.empty();
            if (metadata.totalPages() <= 0) {
                LOG.error("Session {} does not know its pages (not taken by this hub's intake); not processed", ref);
                return Optional.empty();
            }
            return Optional.of(new Session(ref, metadata, status));
        } catch (FileNotFoundException e) {
            if (sessions.exists(ref)) throw e;
            LOG.info("Session {} no longer exists; nothing to process", ref);
            backlog.removeDeleted(ref);
            return Optional.empty();
        }
    }

    /** The pages whose lines file is stored (one listing of the session). */
    private TreeSet<Integer> storedPages(SessionRef ref) throws IOException {
        TreeSet<Integer> pages = new TreeSet<>();
        for (String key : storage.list(ref.prefix())) {
            Matcher lines = PAGE_LINES.matcher(key.substring(ref.prefix().length()));
            if (lines.matches()) pages.add(Integer.parseInt(lines.group(1)));
        }
        return pages;
    }

    /** The name of a page's read claim: page_005. */
    public static String pageClaim(int page) {
        return "page_" + pageNumber(page);
    }

    private static String pageNumber(int page) {
        return String.format("%03d", page);
    }

    static String message(SessionRef ref, int page) {
        return Json.string(Map.of("user_hash", ref.userHash(), "session_id", ref.sessionId(), "page", page));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The session disappeared (deleted by its owner) while a page was read. */
    private static final class SessionDeletedException extends RuntimeException {
        SessionDeletedException() {
            super(null, null, false, false);
        }
    }
}
