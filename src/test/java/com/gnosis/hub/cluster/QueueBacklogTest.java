package com.gnosis.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's backlog as two hubs on one storage see it. */
class QueueBacklogTest {

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    @Test
    void whatOneHubQueuesCountsForTheOtherAfterItsNextListingAndStopsCountingWhenItEnds() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        QueueBacklog here = new QueueBacklog(storage, clock, Duration.ofSeconds(2));
        QueueBacklog there = new QueueBacklog(storage, clock, Duration.ofSeconds(2));
        assertThat(there.pages()).isZero();

        SessionRef big = SessionRef.create(UserIdentity.of("big@example.org"));
        SessionRef small = SessionRef.create(UserIdentity.of("small@example.org"));
        SessionMetadata bigDocument = metadata(big, 120, "2026-12-02T11:00:00Z");
        here.add(big, bigDocument);
        here.add(small, metadata(small, 1, "2026-12-02T11:30:00Z"));
        assertThat(here.pages()).as("its own, at once").isEqualTo(121);
        assertThat(there.pages()).as("the other's listing is not 2 s old yet").isZero();

        clock.advance(Duration.ofSeconds(3));
        assertThat(there.pages()).isEqualTo(121);
        QueueBacklog.Snapshot snapshot = there.current();
        assertThat(snapshot.sessions()).isEqualTo(2);
        assertThat(snapshot.pagesByUser()).containsEntry(big.userHash(), 120L).containsEntry(small.userHash(), 1L);
        assertThat(snapshot.oldest()).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));

        here.remove(big, bigDocument);
        there.removeDeleted(small);
        clock.advance(Duration.ofSeconds(3));
        assertThat(there.pages()).isZero();
        assertThat(here.pages()).isZero();
    }

    private static SessionMetadata metadata(SessionRef ref, int pages, String createdAt) {
        return new SessionMetadata(ref.sessionId(), "x@example.org", ref.userHash(), createdAt, "doc.pdf", 1, "application/pdf",
                "0".repeat(64), pages, "http", "upload.pdf", null, null);
    }
}
