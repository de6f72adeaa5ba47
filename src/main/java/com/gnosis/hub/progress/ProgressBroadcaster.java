package com.gnosis.hub.progress;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.UploadEvents;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.progress.ProgressEvent.Kind;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Live progress of sessions for the subscribers of this process (SSE streams, WebSockets). It hears the
 * pipeline ({@link SessionEvents}) and the chunked upload ({@link UploadEvents}) and hands each event to
 * the session's subscribers: pushed, never polled. A subscriber first gets the session's current state
 * (status.json), then every later event in order.
 */
public final class ProgressBroadcaster implements SessionEvents, UploadEvents {

    private final SessionStore sessions;
    private final ChunkedUploads uploads;
    private final Map<SessionRef, List<Subscription>> subscribers = new ConcurrentHashMap<>();

    public ProgressBroadcaster(SessionStore sessions, ChunkedUploads uploads) {
        this.sessions = sessions;
        this.uploads = uploads;
    }

    /**
     * Subscribes to one of the user's sessions (or to a chunked upload of the user still in progress).
     *
     * @param listener gets the current state first, then each event; it must be quick and must not throw
     * @return empty when the user has no such session: a session of another user is not found either
     */
    public Optional<Subscription> subscribe(UserIdentity user, String sessionId, Consumer<ProgressEvent> listener)
            throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, sessionId);
        if (ref.isEmpty()) return Optional.empty();
        Subscription subscription = new Subscription(ref.get(), listener);
        // registered before the state is read, so no event falls between the two
        subscribers.compute(ref.get(), (key, list) -> {
            List<Subscription> live = list == null ? new CopyOnWriteArrayList<>() : list;
            live.add(subscription);
            return live;
        });
        try {
            Optional<SessionStatus> now = currentState(user, ref.get());
            if (now.isEmpty()) {
                subscription.close();
                return Optional.empty();
            }
            subscription.open(ProgressEvent.of(Kind.SNAPSHOT, sessionId, now.get()));
            return Optional.of(subscription);
        } catch (IOException | RuntimeException e) {
            subscription.close();
            throw e;
        }
    }

    /** Sessions with at least one subscriber (for tests and health). */
    public int subscribedSessions() {
        return subscribers.size();
    }

    private Optional<SessionStatus> currentState(UserIdentity user, SessionRef ref) throws IOException {
        if (sessions.exists(ref)) return Optional.of(sessions.status(ref));
        if (uploads.find(user, ref.sessionId()).isPresent()) {
            return Optional.of(new SessionStatus(ProgressEvent.UPLOADING, 0, 0, 0, 0, "Receiving the upload",
                    null, null, null, null));
        }
        // the last chunk may have turned the upload into a session meanwhile
        return sessions.exists(ref) ? Optional.of(sessions.status(ref)) : Optional.empty();
    }

    private void publish(SessionRef ref, ProgressEvent event) {
        List<Subscription> list = subscribers.get(ref);
        if (list == null) return;
        for (Subscription subscription : list) {
            subscription.deliver(event);
        }
    }

    @Override
    public void queued(SessionRef ref, SessionStatus status) {
        publish(ref, ProgressEvent.of(Kind.QUEUED, ref.sessionId(), status));
    }

    @Override
    public void started(SessionRef ref, SessionStatus status) {
        publish(ref, ProgressEvent.of(Kind.STARTED, ref.sessionId(), status));
    }

    @Override
    public void pageDone(SessionRef ref, int page, SessionStatus status) {
        publish(ref, new ProgressEvent(Kind.PAGE_DONE, ref.sessionId(), status, page, null, null));
    }

    @Override
    public void finished(SessionRef ref, SessionStatus status) {
        publish(ref, ProgressEvent.of(Kind.FINISHED, ref.sessionId(), status));
    }

    @Override
    public void chunkReceived(SessionRef upload, ChunkedUploads.Receipt receipt) {
        publish(upload, new ProgressEvent(Kind.UPLOAD_PROGRESS, upload.sessionId(), null, 0,
                new ProgressEvent.Chunks(receipt.chunkNumber(), receipt.chunksReceived(), receipt.totalChunks(),
                        receipt.bytesReceived()), null));
    }

    @Override
    public void uploadComplete(SessionRef upload, SessionMetadata metadata) {
        publish(upload, new ProgressEvent(Kind.UPLOAD_COMPLETE, upload.sessionId(), null, 0, null, metadata.filename()));
        if (!metadata.sessionId().equals(upload.sessionId())) {
            // a duplicate: the upload's id never becomes a session, so its subscribers learn the existing one
            SessionRef linked = new SessionRef(upload.userHash(), metadata.sessionId());
            try {
                publish(upload, ProgressEvent.of(Kind.SNAPSHOT, linked.sessionId(), sessions.status(linked)));
            } catch (IOException e) {
                publish(upload, new ProgressEvent(Kind.UPLOAD_FAILED, upload.sessionId(), null, 0, null,
                        "its earlier session " + linked.sessionId() + " cannot be read"));
            }
        }
    }

    @Override
    public void uploadFailed(SessionRef upload, String reason) {
        publish(upload, new ProgressEvent(Kind.UPLOAD_FAILED, upload.sessionId(), null, 0, null, reason));
    }

    /** One subscriber of one session; close it when the client goes. */
    public final class Subscription implements AutoCloseable {

        private final SessionRef ref;
        private final Consumer<ProgressEvent> listener;
        /** Events that arrive before the current state was sent; null once the subscription is live. */
        private List<ProgressEvent> held = new ArrayList<>();
        private int sentRank = -1;
        private SessionStatus sentStatus;
        private boolean closed;

        private Subscription(SessionRef ref, Consumer<ProgressEvent> listener) {
            this.ref = ref;
            this.listener = listener;
        }

        public String sessionId() {
            return ref.sessionId();
        }

        private synchronized void deliver(ProgressEvent event) {
            if (closed) return;
            if (held != null) {
                held.add(event);
                return;
            }
            send(event);
        }

        private synchronized void open(ProgressEvent snapshot) {
            send(snapshot);
            List<ProgressEvent> early = held;
            held = null;
            early.forEach(this::send);
        }

        /**
         * Sends in order of the session's progress, never backwards: the snapshot may already cover an early
         * event, and pages finish on several threads, so their events can arrive out of order.
         */
        private void send(ProgressEvent event) {
            if (closed) return;
            if (event.status() != null && event.kind() != Kind.SNAPSHOT && event.rank() <= sentRank) {
                if (event.kind() != Kind.PAGE_DONE) return;
                // the page is news even when its status is not: tell it with the newest status sent
                event = new ProgressEvent(Kind.PAGE_DONE, event.sessionId(), sentStatus, event.page(), null, null);
            }
            if (event.status() != null && event.rank() >= sentRank) {
                sentRank = event.rank();
                sentStatus = event.status();
            }
            listener.accept(event);
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            subscribers.computeIfPresent(ref, (key, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            });
        }
    }
}
