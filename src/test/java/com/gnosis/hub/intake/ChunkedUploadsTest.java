package com.gnosis.hub.intake;

import com.gnosis.hub.queue.BusyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.identity.UserIdentity;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedUploadsTest {

    private static final UserIdentity ALICE = UserIdentity.of("alice@example.org");
    private static final UserIdentity BOB = UserIdentity.of("bob@example.org");

    @TempDir
    Path root;

    /** A clock the test moves by hand. */
    private static final class Hands extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hands clock = new Hands();

    private ChunkedUploads uploads(int perUser, Duration ttl) {
        return new ChunkedUploads(root, new ChunkedUploads.Limits(1_000_000, 100, perUser, ttl), clock);
    }

    @Test
    void chunksInAnyOrderAreCountedOnceAndAssembledInOrder() throws Exception {
        ChunkedUploads uploads = uploads(5, Duration.ofHours(1));
        String id = uploads.start(ALICE, "a.pdf", 6, 3).sessionId();
        assertThat(uploads.addChunk(ALICE, id, 2, new ByteArrayInputStream("ef".getBytes())).chunksReceived()).isEqualTo(1);
        ChunkedUploads.Receipt again = uploads.addChunk(ALICE, id, 2, new ByteArrayInputStream("ef".getBytes()));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.chunksReceived()).isEqualTo(1);
        uploads.addChunk(ALICE, id, 0, new ByteArrayInputStream("ab".getBytes()));
        ChunkedUploads.Receipt last = uploads.addChunk(ALICE, id, 1, new ByteArrayInputStream("cd".getBytes()));
        assertThat(last.complete()).isTrue();
        assertThat(last.progressPercent()).isEqualTo(100.0);
        assertThat(Files.readString(uploads.assemble(ALICE, id))).isEqualTo("abcdef");
        assertThat(uploads.find(BOB, id)).isEmpty();
    }

    @Test
    void numbersOutsideTheUploadAndCountsThatWouldWrapAreRefused() throws Exception {
        ChunkedUploads uploads = uploads(5, Duration.ofHours(1));
        String id = uploads.start(ALICE, "a.pdf", 6, 1).sessionId();
        for (long number : new long[] {1L << 32, -1, 1, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> uploads.addChunk(ALICE, id, number, new ByteArrayInputStream("ab".getBytes())))
                    .isInstanceOf(UploadException.class).hasMessageContaining("chunk_number must be between 0 and 0");
        }
        assertThatThrownBy(() -> uploads.start(ALICE, "a.pdf", 10, (1L << 32) + 1))
                .isInstanceOf(UploadException.class).hasMessageContaining("total_chunks");
        assertThatThrownBy(() -> uploads.start(ALICE, "a.pdf", 10_000, 101))
                .isInstanceOf(UploadException.class).hasMessageContaining("MAX_CHUNKS");
    }

    @Test
    void aUserHasAtMostSoManyUnfinishedUploadsAndExpiredOnesDoNotCount() throws Exception {
        ChunkedUploads uploads = uploads(2, Duration.ofMinutes(10));
        uploads.start(ALICE, "a.pdf", 6, 2);
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        uploads.start(ALICE, "b.pdf", 6, 2);
        assertThatThrownBy(() -> uploads.start(ALICE, "c.pdf", 6, 2)).isInstanceOf(BusyException.class)
                .satisfies(e -> assertThat(((BusyException) e).retryAfterSeconds()).isEqualTo(300));
        uploads.start(BOB, "c.pdf", 6, 2);
        assertThat(uploads.list(ALICE)).hasSize(2);

        clock.now = clock.now.plus(Duration.ofMinutes(6)); // the first is now idle for 11 minutes
        assertThat(uploads.list(ALICE)).hasSize(1);
        uploads.start(ALICE, "c.pdf", 6, 2);
    }

    @Test
    void expiryRemovesIdleUploadsOnlyAndAChunkKeepsOneAlive() throws Exception {
        ChunkedUploads uploads = uploads(5, Duration.ofMinutes(10));
        String idle = uploads.start(ALICE, "a.pdf", 6, 2).sessionId();
        String busy = uploads.start(ALICE, "b.pdf", 6, 2).sessionId();
        clock.now = clock.now.plus(Duration.ofMinutes(8));
        uploads.addChunk(ALICE, busy, 0, new ByteArrayInputStream("abc".getBytes()));
        clock.now = clock.now.plus(Duration.ofMinutes(8));

        assertThat(uploads.expire()).isEqualTo(1);
        assertThat(uploads.find(ALICE, idle)).isEmpty();
        assertThat(uploads.find(ALICE, busy)).isPresent();
        assertThatThrownBy(() -> uploads.addChunk(ALICE, idle, 1, new ByteArrayInputStream("x".getBytes())))
                .isInstanceOf(UploadException.class).hasMessage("Upload session not found");
    }

    @Test
    void atStartInterruptedExpiredAndUnreadableUploadsGoAndTheRestCanResume() throws Exception {
        ChunkedUploads before = uploads(5, Duration.ofHours(1));
        String stale = before.start(ALICE, "a.pdf", 6, 2).sessionId();
        String interrupted = before.start(ALICE, "b.pdf", 6, 1).sessionId();
        String fresh = before.start(ALICE, "c.pdf", 6, 2).sessionId();
        String broken = before.start(ALICE, "d.pdf", 6, 2).sessionId();
        before.addChunk(ALICE, fresh, 0, new ByteArrayInputStream("abc".getBytes()));
        before.addChunk(ALICE, interrupted, 0, new ByteArrayInputStream("abcdef".getBytes())); // claims it
        Path user = root.resolve(ALICE.hash());
        Files.setLastModifiedTime(user.resolve(stale), FileTime.from(clock.now.minus(Duration.ofHours(2))));
        Files.writeString(user.resolve(broken).resolve("upload.json"), "{\"filename\": \"d.p");
        Files.writeString(user.resolve(fresh).resolve(".chunk-1.tmp"), "half");

        ChunkedUploads after = uploads(5, Duration.ofHours(1));
        after.cleanAtStart();
        assertThat(user.resolve(stale)).doesNotExist();
        assertThat(user.resolve(interrupted)).doesNotExist();
        assertThat(user.resolve(broken)).doesNotExist();
        assertThat(user.resolve(fresh).resolve(".chunk-1.tmp")).doesNotExist();
        assertThat(after.describe(ALICE, fresh).orElseThrow().missingChunks()).containsExactly(1);
        assertThat(after.addChunk(ALICE, fresh, 1, new ByteArrayInputStream("def".getBytes())).complete()).isTrue();
    }
}
