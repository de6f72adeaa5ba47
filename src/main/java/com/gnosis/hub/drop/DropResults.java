package com.gnosis.hub.drop;

import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When a session that came through the drop folder ends, its markdown (or its failure) lands beside the original. */
public final class DropResults implements SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(DropResults.class);

    private final DropFolder folder;
    private final SessionStore sessions;

    public DropResults(DropFolder folder, SessionStore sessions) {
        this.folder = folder;
        this.sessions = sessions;
    }

    @Override
    public void finished(SessionRef ref, SessionStatus status) {
        try {
            SessionMetadata metadata = sessions.metadata(ref);
            if (!"drop".equals(metadata.source()) || metadata.origin() == null) return;
            if (SessionStatus.COMPLETED.equals(status.status())) {
                byte[] markdown = sessions.storage().get(ref.key(SessionFiles.COMBINED)).orElse(new byte[0]);
                folder.recordResult(metadata.origin(), ".md", new String(markdown, StandardCharsets.UTF_8));
            } else {
                folder.recordResult(metadata.origin(), ".error.txt", status.message() + "\n");
            }
        } catch (IOException e) {
            LOG.warn("Could not write the drop-folder result of {}: {}", ref, e.getMessage());
        }
    }
}
