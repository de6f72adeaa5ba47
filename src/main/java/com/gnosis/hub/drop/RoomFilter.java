package com.gnosis.hub.drop;

import com.gnosis.hub.intake.Intake;
import java.nio.file.Path;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * What the drop folder's consumer may pick up: never a symbolic link, nor a file or folder reached through one, nor
 * a file whose .done or .failed place runs through one (see {@link DropFolder#linkIn}); and, while the hub is over
 * MAX_QUEUED_PAGES, nothing: files wait where they are.
 */
public final class RoomFilter implements GenericFileFilter<Object> {

    private final Intake intake;
    private final DropFolder folder;

    public RoomFilter(Intake intake, DropFolder folder) {
        this.intake = intake;
        this.folder = folder;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        Path path = Path.of(file.getAbsoluteFilePath());
        if (folder.refuseLink(path, file.getRelativeFilePath(), file.isDirectory())) return false;
        return file.isDirectory() || intake.hasRoom();
    }
}
