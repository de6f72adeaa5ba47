package com.gnosis.hub.drop;

import com.gnosis.hub.intake.Intake;
import java.io.IOException;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the hub is over MAX_QUEUED_PAGES the drop folder takes nothing, and a file whose owner is over a quota
 * (QUOTA_*) is not taken either: files wait where they are.
 */
public final class RoomFilter implements GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RoomFilter.class);

    private final Intake intake;
    private final DropFolder folder;
    // files let through once: a later scan while the consumer takes one (its owner over the quota because of it)
    // must not note it as waiting
    private final java.util.Set<String> admitted = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));

    public RoomFilter(Intake intake) {
        this(intake, null);
    }

    public RoomFilter(Intake intake, DropFolder folder) {
        this.intake = intake;
        this.folder = folder;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (file.isDirectory()) return true;
        if (!intake.hasRoom()) return false;
        if (folder == null) return true;
        String key = file.getRelativeFilePath() + "|" + file.getFileLength() + "|" + file.getLastModified();
        if (admitted.contains(key)) return true;
        try {
            boolean room = folder.ownerHasRoom(file.getRelativeFilePath());
            if (room) admitted.add(key);
            return room;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot check the quota of drop-folder file {}: {}; it waits", file.getRelativeFilePath(), e.toString());
            return false;
        }
    }
}
