package com.gnosis.hub.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.progress.ProgressEvent.Kind;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broadcaster and the two wire formats on real storage in a temporary folder (no server). */
class ProgressBroadcasterTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final UserIdentity ALICE = UserIdentity.of("alice@example.org");
    private static final UserIdentity BOB = UserIdentity.of("bob@example.org");

    @TempDir
    Path root;

    SessionStore sessions;
    ChunkedUploads uploads;
    ProgressBroadcaster broadcaster;

    @BeforeEach
    void setUp() {
        sessions = new SessionStore(new LocalStorage(root.resolve("storage")));
        uploads = new ChunkedUploads(root.resolve("staging"), 1_000_000, Clock.systemUTC());
        broadcaster = new ProgressBroadcaster(sessions, uploads);
    }

    private SessionRef session(UserIdentity user, SessionStatus status) throws Exception {
        SessionRef ref = SessionRef.create(user);
        sessions.create(ref, new SessionMetadata(ref.sessionId(), user.email(), user.hash(), NOW.toString(), "a.pdf",
                10, "application/pdf", "00", 2, "http", "upload.pdf", null, null), status);
        return ref;
    }

    @Test
    void aSubscriberHearsTheCurrentStateThenEveryEventUntilItCloses() throws Exception {
        SessionStatus pending = SessionStatus.pending(2, NOW);
        SessionRef ref = session(ALICE, pending);
        List<ProgressEvent> heard = new ArrayList<>();
        ProgressBroadcaster.Subscription subscription = broadcaster.subscribe(ALICE, ref.sessionId(), heard::add).orElseThrow();

        SessionStatus started = pending.started(NOW);
        SessionStatus page = started.pageDone(2, NOW);
        broadcaster.started(ref, started);
        broadcaster.pageDone(ref, 2, page);
        broadcaster.pageDone(SessionRef.create(ALICE), 1, page); // another session: not heard
        subscription.close();
        broadcaster.finished(ref, page.completed(NOW));

        assertThat(heard).extracting(ProgressEvent::kind).containsExactly(Kind.SNAPSHOT, Kind.STARTED, Kind.PAGE_DONE);
        assertThat(heard.get(0).status()).isEqualTo(pending);
        assertThat(broadcaster.subscribedSessions()).isZero();
    }

    @Test
    void pagesThatFinishOutOfOrderNeverMakeTheProgressGoBack() throws Exception {
        SessionStatus started = SessionStatus.pending(3, NOW).started(NOW);
        SessionRef ref = session(ALICE, started);
        List<ProgressEvent> heard = new ArrayList<>();
        broadcaster.subscribe(ALICE, ref.sessionId(), heard::add).orElseThrow();
        SessionStatus one = started.pageDone(3, NOW);
        SessionStatus two = one.pageDone(1, NOW);
        broadcaster.queued(ref, SessionStatus.pending(3, NOW)); // older than the snapshot: dropped
        broadcaster.pageDone(ref, 1, two);                      // page 1's thread recorded second, told first
        broadcaster.pageDone(ref, 3, one);

        assertThat(heard).extracting(ProgressEvent::kind).containsExactly(Kind.SNAPSHOT, Kind.PAGE_DONE, Kind.PAGE_DONE);
        assertThat(heard).extracting(ProgressEvent::page).containsExactly(0, 1, 3);
        assertThat(heard).extracting(e -> e.status().pagesDone()).containsExactly(0, 2, 2);
    }

    @Test
    void anotherUsersSessionOrUploadIsNotFound() throws Exception {
        SessionRef ref = session(ALICE, SessionStatus.pending(1, NOW));
        SessionRef upload = uploads.start(ALICE, "big.pdf", 100, 2);
        assertThat(broadcaster.subscribe(BOB, ref.sessionId(), e -> { })).isEmpty();
        assertThat(broadcaster.subscribe(BOB, upload.sessionId(), e -> { })).isEmpty();
        assertThat(broadcaster.subscribe(ALICE, "../../etc", e -> { })).isEmpty();
        assertThat(broadcaster.subscribedSessions()).isZero();

        List<ProgressEvent> heard = new ArrayList<>();
        Optional<ProgressBroadcaster.Subscription> uploading = broadcaster.subscribe(ALICE, upload.sessionId(), heard::add);
        assertThat(uploading).isPresent();
        assertThat(heard.get(0).status().status()).isEqualTo(ProgressEvent.UPLOADING);
    }

    @Test
    void sseFramesFollowTheContractAndEndAfterCompletion() {
        String id = "00000000-0000-4000-8000-000000000001";
        SessionStatus page = SessionStatus.pending(2, NOW).started(NOW).pageDone(1, NOW);
        List<String> pageFrames = SseMessages.frames(new ProgressEvent(Kind.PAGE_DONE, id, page, 1, null, null));
        assertThat(pageFrames).hasSize(2);
        assertThat(pageFrames.get(0)).startsWith("event: page\ndata: {").contains("\"page_number\":1").endsWith("}\n\n");
        assertThat(pageFrames.get(1)).startsWith("event: progress\n").contains("\"progress\":50");

        ProgressEvent completed = ProgressEvent.of(Kind.FINISHED, id, page.pageDone(2, NOW).completed(NOW));
        assertThat(SseMessages.frames(completed)).extracting(f -> f.substring(0, f.indexOf('\n')))
                .containsExactly("event: progress", "event: completed");
        assertThat(completed.terminal()).isTrue();

        ProgressEvent failed = ProgressEvent.of(Kind.FINISHED, id, page.failed("the page is blank", NOW));
        assertThat(SseMessages.frames(failed).get(1)).startsWith("event: failed\n").contains("the page is blank");
        // chunk progress is the socket's business
        assertThat(SseMessages.frames(new ProgressEvent(Kind.UPLOAD_PROGRESS, id, null, 0,
                new ProgressEvent.Chunks(0, 1, 3, 10), null))).isEmpty();
    }

    @Test
    void theSocketAnnouncesProcessingOnceAndFailuresAsErrors() {
        String id = "00000000-0000-4000-8000-000000000002";
        WsMessages socket = new WsMessages();
        SessionStatus pending = SessionStatus.pending(1, NOW);
        assertThat(socket.message(new ProgressEvent(Kind.UPLOAD_PROGRESS, id, null, 0,
                new ProgressEvent.Chunks(2, 3, 3, 30), null))).hasValueSatisfying(m -> assertThat(m)
                .contains("\"type\":\"upload_progress\"", "\"chunks_received\":3", "\"progress\":100"));
        assertThat(socket.message(ProgressEvent.of(Kind.SNAPSHOT, id, pending))).hasValueSatisfying(
                m -> assertThat(m).contains("\"type\":\"processing_started\"", "\"session_hash\":\"" + id + "\""));
        assertThat(socket.message(ProgressEvent.of(Kind.QUEUED, id, pending))).isEmpty();
        assertThat(socket.message(ProgressEvent.of(Kind.FINISHED, id, pending.started(NOW).failed("broken", NOW))))
                .hasValueSatisfying(m -> assertThat(m).contains("\"type\":\"error\"", "broken"));
        assertThat(new WsMessages().message(new ProgressEvent(Kind.UPLOAD_FAILED, id, null, 0, null, "not a PDF")))
                .hasValueSatisfying(m -> assertThat(m).contains("\"type\":\"error\"", "not a PDF"));
    }
}
