package com.gnosis.hub.webhook;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deliveries not yet made, in storage beside the sessions ({@code outbox/{user_hash}/{session_id}/{event}.json}),
 * so a restart, or another hub process sharing the storage, finds them. Deleting a session deletes its entries.
 */
public final class Outbox {

    static final String PREFIX = "outbox/";

    private final Storage storage;

    public Outbox(Storage storage) {
        this.storage = storage;
    }

    public void put(Delivery delivery) throws IOException {
        storage.put(key(delivery), Json.bytes(delivery));
    }

    public void remove(Delivery delivery) throws IOException {
        storage.delete(key(delivery));
    }

    /** Every waiting delivery (an unreadable entry is skipped: it may be half-deleted by another process). */
    public List<Delivery> all() throws IOException {
        List<Delivery> deliveries = new ArrayList<>();
        for (String key : storage.list(PREFIX)) {
            if (!key.endsWith(".json")) continue;
            Optional<byte[]> json = storage.get(key);
            if (json.isEmpty()) continue;
            try {
                deliveries.add(Json.read(json.get(), Delivery.class));
            } catch (IOException e) {
                // not ours, or written by a newer hub: left alone
            }
        }
        return deliveries;
    }

    /** Removes what is waiting for a session (deleted or expired); returns how many. */
    public int removeSession(SessionRef ref) throws IOException {
        return storage.deleteAll(PREFIX + ref.userHash() + "/" + ref.sessionId() + "/");
    }

    private static String key(Delivery delivery) {
        SessionRef ref = new SessionRef(delivery.userHash(), delivery.sessionId());
        return PREFIX + ref.userHash() + "/" + ref.sessionId() + "/" + delivery.event() + ".json";
    }
}
