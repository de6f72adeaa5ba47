package com.gnosis.hub.drop;

import com.gnosis.hub.intake.Intake;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/** While the hub is over MAX_QUEUED_PAGES the drop folder takes nothing: files wait where they are. */
public final class RoomFilter implements GenericFileFilter<Object> {

    private final Intake intake;

    public RoomFilter(Intake intake) {
        this.intake = intake;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        return file.isDirectory() || intake.hasRoom();
    }
}
