package com.gnosis.hub.intake;

import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;

/**
 * What the chunked upload tells interested parts of this process (live upload progress). Listeners must
 * be quick and must not throw into the upload.
 */
public interface UploadEvents {

    UploadEvents NONE = new UploadEvents() { };

    /** A chunk was stored (also a duplicate one). */
    default void chunkReceived(SessionRef upload, ChunkedUploads.Receipt receipt) { }

    /**
     * The last chunk arrived and the assembled document is stored as a session: the upload's own, or (a
     * duplicate under DUPLICATES=link) the existing session that {@code metadata} names.
     */
    default void uploadComplete(SessionRef ref, SessionMetadata metadata) { }

    /** The assembled document was refused (unreadable, too large ...): the session will never exist. */
    default void uploadFailed(SessionRef upload, String reason) { }
}
