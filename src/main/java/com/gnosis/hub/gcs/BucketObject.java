package com.gnosis.hub.gcs;

/** An object version in a bucket: what an event or a poll names, and what is taken at most once. */
public record BucketObject(String bucket, String name, Long generation) {

    public BucketObject {
        if (bucket == null || bucket.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("an object needs a bucket and a name");
        }
    }

    /** The idempotency key: (bucket, name, generation). */
    public String key() {
        return bucket + "/" + name + "#" + (generation == null ? "" : generation);
    }
}
