package com.gnosis.hub.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims of two hubs on one storage folder, with a clock the test moves. */
class ClaimsTest {

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();
    private final SessionRef ref = SessionRef.create(UserIdentity.of("claims@example.org"));

    @Test
    void aClaimHeldByOneHubIsRefusedToAnotherUntilItsLeaseRunsOutThenTheNextAttemptIsTaken() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        Claims first = new Claims(storage, clock, "hub-a", Duration.ofSeconds(10));
        Claims second = new Claims(storage, clock, "hub-b", Duration.ofSeconds(10));

        Optional<Claims.Claim> held = first.take(ref, "page_001");
        assertThat(held).hasValueSatisfying(c -> assertThat(c.attempt()).isEqualTo(1));
        assertThat(second.take(ref, "page_001")).isEmpty();
        assertThat(first.take(ref, "page_001")).as("not even its holder takes it twice").isEmpty();

        clock.advance(Duration.ofSeconds(9));
        assertThat(first.renew(held.get())).isTrue();
        clock.advance(Duration.ofSeconds(9));
        assertThat(second.take(ref, "page_001")).as("renewed: still held").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        assertThat(second.take(ref, "page_001")).hasValueSatisfying(c -> {
            assertThat(c.attempt()).isEqualTo(2);
            assertThat(c.worker()).isEqualTo("hub-b");
        });
        assertThat(first.renew(held.get())).as("taken over: hub-a learns it lost the page").isFalse();
        assertThat(second.attempts(ref, "page_001")).isEqualTo(2);
        assertThat(dir.resolve("users/" + ref.userHash() + "/" + ref.sessionId() + "/.claims/page_001.2")).exists();
    }

    @Test
    void aReleasedClaimIsFreeAtOnceAndOtherNamesAreIndependent() throws Exception {
        Claims claims = new Claims(new LocalStorage(dir), clock, "hub-a", Duration.ofMinutes(1));
        Claims.Claim status = claims.take(ref, "status").orElseThrow();
        assertThat(claims.take(ref, "complete")).isPresent();
        assertThat(claims.take(ref, "status")).isEmpty();
        claims.release(status);
        assertThat(claims.take(ref, "status")).hasValueSatisfying(c -> assertThat(c.attempt()).isEqualTo(1));
        assertThat(claims.taken(ref, "recovery")).isFalse();
        assertThat(claims.taken(ref, "complete")).isTrue();
    }
}
