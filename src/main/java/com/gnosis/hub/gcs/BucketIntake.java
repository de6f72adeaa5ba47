package com.gnosis.hub.gcs;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.DocumentException;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an object from the ingest bucket: objects under the prefix ({@code incoming/}) only; the owner from
 * object metadata {@code user-email}, else from the path {@code incoming/{email}/name.pdf}, else the default
 * user. After intake the object moves to {@code processed/} (never deleted before its session is stored); an
 * object that cannot be taken moves to {@code failed/} beside {@code name.error.txt}.
 */
public final class BucketIntake {

    private static final Logger LOG = LoggerFactory.getLogger(BucketIntake.class);

    private final Storage client;
    private final Intake intake;
    private final String prefix;
    private final String processedBucket;
    private final UserIdentity defaultUser;
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param processedBucket where taken objects move; null for the object's own bucket */
    public BucketIntake(Storage client, Intake intake, String prefix, String processedBucket, UserIdentity defaultUser) {
        this.client = client;
        this.intake = intake;
        this.prefix = prefix;
        this.processedBucket = processedBucket;
        this.defaultUser = defaultUser;
    }

    /** Whether the object is one this intake takes (under the prefix, not a folder marker). */
    public boolean wants(BucketObject object) {
        return object.name().startsWith(prefix) && !object.name().endsWith("/");
    }

    /**
     * Takes the object into a new session; empty when it is not wanted, gone (already taken) or refused
     * (then moved to failed/ with its reason).
     */
    public Optional<Intake.Accepted> accept(BucketObject object) throws IOException {
        if (!wants(object)) return Optional.empty();
        // a notification redelivered while the first delivery is still being taken must not take it twice
        String name = object.bucket() + "/" + object.name();
        if (!inFlight.add(name)) {
            // object names carry their owner's e-mail (incoming/{email}/...): named at DEBUG only
            LOG.debug("Object {} is being taken already", object.key());
            return Optional.empty();
        }
        try {
            return take(object);
        } finally {
            inFlight.remove(name);
        }
    }

    /**
     * Whether the object's owner may send it now. An object whose owner is over a quota stays in the bucket, with
     * {@code waiting/{name}.quota.txt} saying why, until the owner is below the limit again (the note goes then).
     */
    public boolean ownerHasRoom(BucketObject object) throws IOException {
        if (!wants(object) || !intake.limitsUsers()) return true;
        Blob blob = client.get(BlobId.of(object.bucket(), object.name()));
        if (blob == null) return true;
        return quotaRefusal(blob, object.name().substring(prefix.length())).isEmpty();
    }

    /** The owner's quota refusal, noted beside the object's place in waiting/; the note is removed when there is none. */
    private Optional<String> quotaRefusal(Blob blob, String rest) throws IOException {
        UserIdentity owner;
        try {
            owner = owner(blob.getMetadata(), rest);
        } catch (DocumentException e) {
            return Optional.empty(); // taken, and refused with its reason in failed/
        }
        Optional<String> refusal = intake.quotaRefusal(owner);
        String bucket = processedBucket == null ? blob.getBucket() : processedBucket;
        BlobId note = BlobId.of(bucket, "waiting/" + rest.replaceFirst("\\.[^./]*$", "") + ".quota.txt");
        try {
            if (refusal.isEmpty()) {
                client.delete(note);
            } else {
                byte[] reason = ("Waiting in the bucket: " + refusal.get() + "\n").getBytes(StandardCharsets.UTF_8);
                Blob existing = client.get(note);
                if (existing == null || !java.util.Arrays.equals(existing.getContent(), reason)) {
                    client.create(BlobInfo.newBuilder(note).setContentType("text/plain; charset=utf-8").build(), reason);
                }
                LOG.info("Object gs://{}/{} waits: {}", blob.getBucket(), blob.getName(), refusal.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not note why gs://{}/{} waits: {}", blob.getBucket(), blob.getName(), e.toString());
        }
        return refusal;
    }

    private Optional<Intake.Accepted> take(BucketObject object) throws IOException {
        Blob blob = client.get(BlobId.of(object.bucket(), object.name()));
        if (blob == null || (object.generation() != null && !object.generation().equals(blob.getGeneration()))) {
            LOG.debug("Object {} is gone or was replaced; nothing to take", object.key());
            return Optional.empty();
        }
        String rest = object.name().substring(prefix.length());
        Optional<String> overQuota = intake.limitsUsers() ? quotaRefusal(blob, rest) : Optional.empty();
        if (overQuota.isPresent()) {
            // a failure, not "nothing to take": the event is not remembered as taken, so a later one takes the object
            throw new IOException("gs://" + object.bucket() + "/" + object.name() + " stays in the bucket: " + overQuota.get());
        }
        Path temp = Files.createTempFile("gnosis-gcs-", ".bin");
        try {
            blob.downloadTo(temp);
            UserIdentity owner = owner(blob.getMetadata(), rest);
            String fileName = rest.substring(rest.lastIndexOf('/') + 1);
            String target = "processed/" + rest;
            Intake.Accepted accepted = intake.accept(owner, fileName, temp, "gcs",
                    "gs://" + bucketFor(object) + "/" + target);
            move(blob, target, null);
            return Optional.of(accepted);
        } catch (DocumentException e) {
            LOG.warn("A bucket object was refused ({}); its reason is beside it in failed/", e.code());
            LOG.debug("Object {} refused: {}", object.key(), e.getMessage());
            move(blob, "failed/" + rest, e.getMessage());
            return Optional.empty();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private UserIdentity owner(Map<String, String> metadata, String rest) throws DocumentException {
        String fromMetadata = metadata == null ? null : metadata.get("user-email");
        if (fromMetadata != null && !fromMetadata.isBlank()) return UserIdentity.of(fromMetadata);
        if (rest.contains("/")) {
            String folder = rest.substring(0, rest.indexOf('/'));
            if (!UserIdentity.looksLikeEmail(folder)) {
                throw new DocumentException("not_an_email", "The folder '" + folder + "' is not an e-mail address; use "
                        + prefix + "{email}/name.pdf or the object metadata user-email.");
            }
            return UserIdentity.of(folder);
        }
        return defaultUser;
    }

    private String bucketFor(BucketObject object) {
        return processedBucket == null ? object.bucket() : processedBucket;
    }

    /** Copies the object to {@code target} (with its reason beside it when refused), then deletes that generation. */
    private void move(Blob blob, String target, String reason) throws IOException {
        String bucket = processedBucket == null ? blob.getBucket() : processedBucket;
        try {
            client.copy(Storage.CopyRequest.of(blob.getBlobId(), BlobId.of(bucket, target))).getResult();
            if (reason != null) {
                String errorName = target.replaceFirst("\\.[^./]*$", "") + ".error.txt";
                client.createFrom(BlobInfo.newBuilder(bucket, errorName).setContentType("text/plain; charset=utf-8").build(),
                        new ByteArrayInputStream((reason + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            client.delete(blob.getBlobId(), Storage.BlobSourceOption.generationMatch(blob.getGeneration()));
        } catch (RuntimeException e) {
            throw new IOException("could not move gs://" + blob.getBucket() + "/" + blob.getName() + " to " + target
                    + ": " + e.getMessage(), e);
        }
    }
}
