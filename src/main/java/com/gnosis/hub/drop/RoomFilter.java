package com.gnosis.hub.drop;

import com.gnosis.hub.intake.Intake;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the drop folder's consumer may pick up: never a symbolic link, nor a file or folder reached through one, nor
 * a file whose .done or .failed place runs through one (see {@link DropFolder#linkIn}); and, while the hub is over
 * MAX_QUEUED_PAGES, nothing: files wait where they are; and a file whose owner is
 * over a quota (QUOTA_*) is not taken either.
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

    public RoomFilter(Intake intake, DropFolder folder) {
        this.intake = intake;
        this.folder = folder;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        Path path = Path.of(file.getAbsoluteFilePath());
        if (folder.refuseLink(path, file.getRelativeFilePath(), file.isDirectory())) return false;
        if (file.isDirectory()) return true;
        if (!intake.hasRoom()) return false;
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
