package com.gnosis.hub.queue;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases in storage that several hub processes respect: "I am reading page 5 of this session until 12:00:30".
 * A claim is the object {@code users/{hash}/{session}/.claims/{name}.{attempt}}, created with
 * {@link Storage#createIfAbsent} so that of racing hubs exactly one holds it. A holder that dies stops renewing;
 * once its lease has run out the next taker creates attempt n+1, again exclusively. Claim objects are kept as the
 * session's record of who read what (and how many times), and go with the session when it is deleted.
 */
public final class Claims {

    /** The folder of a session's claims, beside its pages. */
    public static final String FOLDER = ".claims/";

    /** One held claim. */
    public record Claim(SessionRef ref, String name, int attempt, String worker, String claimedAt, String expiresAt) {

        String key() {
            return ref.key(FOLDER + name + "." + attempt);
        }

        boolean expired(Instant now) {
            return !now.isBefore(Instant.parse(expiresAt));
        }
    }

    private final Storage storage;
    private final Clock clock;
    private final String worker;
    private final Duration lease;

    /**
     * @param worker this process's name in the claims it writes
     * @param lease  how long a claim holds without renewal (OCR_PAGE_LEASE): after a crash, the work waits this long
     */
    public Claims(Storage storage, Clock clock, String worker, Duration lease) {
        this.storage = storage;
        this.clock = clock;
        this.worker = worker;
        this.lease = lease;
    }

    public Duration lease() {
        return lease;
    }

    public String worker() {
        return worker;
    }

    /**
     * Takes the named claim of a session when nobody holds it: the first attempt, or the next one after an attempt
     * whose lease ran out. Empty while another holder's lease runs (or another taker won the race).
     */
    public Optional<Claim> take(SessionRef ref, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Claim claim = fresh(ref, name, attempt);
            if (storage.createIfAbsent(claim.key(), Json.bytes(claim))) return Optional.of(claim);
            Optional<Claim> holder = read(claim.key());
            // a claim being written is not visible half-written; one that vanished was released: try that slot again
            if (holder.isEmpty()) {
                attempt--;
                continue;
            }
            if (!holder.get().expired(clock.instant())) return Optional.empty();
        }
    }

    /**
     * Extends a held claim by another lease (called while the work goes on). False when it is no longer ours: gone
     * with its session, or taken over (a later attempt exists) after this process stalled past its lease.
     */
    public boolean renew(Claim claim) throws IOException {
        Optional<Claim> current = read(claim.key());
        if (current.isEmpty() || !worker.equals(current.get().worker())) return false;
        if (storage.exists(claim.ref().key(FOLDER + claim.name() + "." + (claim.attempt() + 1)))) return false;
        Claim renewed = new Claim(claim.ref(), claim.name(), claim.attempt(), worker, claim.claimedAt(),
                clock.instant().plus(lease).toString());
        storage.put(claim.key(), Json.bytes(renewed));
        return true;
    }

    /** Gives a claim up before its lease ends (a short lock); the next taker finds its slot free. */
    public void release(Claim claim) throws IOException {
        storage.delete(claim.key());
    }

    /** Whether the named claim was ever taken for the session (its first attempt exists). */
    public boolean taken(SessionRef ref, String name) throws IOException {
        return storage.exists(ref.key(FOLDER + name + ".1"));
    }

    /** How many times the named claim was taken (the attempts still recorded). */
    public int attempts(SessionRef ref, String name) throws IOException {
        int attempts = 0;
        while (storage.exists(ref.key(FOLDER + name + "." + (attempts + 1)))) attempts++;
        return attempts;
    }

    private Claim fresh(SessionRef ref, String name, int attempt) {
        Instant now = clock.instant();
        return new Claim(ref, name, attempt, worker, now.toString(), now.plus(lease).toString());
    }

    private Optional<Claim> read(String key) throws IOException {
        Optional<byte[]> json = storage.get(key);
        if (json.isEmpty()) return Optional.empty();
        StoredClaim stored = Json.read(json.get(), StoredClaim.class);
        return Optional.of(new Claim(null, null, stored.attempt(), stored.worker(), stored.claimedAt(), stored.expiresAt()));
    }

    /** The claim as stored (the session and the name are in its key). */
    private record StoredClaim(int attempt, String worker, String claimedAt, String expiresAt) {
    }
}
