package com.gnosis.hub.drop;

import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.queue.QueuedDocument;
import java.io.File;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The drop-ingest route's adapter: a picked-up file to {@link DropFolder}, its outcome to headers and files. */
public final class DropIntake {

    /** Header with the file's place below .done or .failed (the route's move and moveFailed use it). */
    public static final String TARGET = "dropTarget";

    private static final Logger LOG = LoggerFactory.getLogger(DropIntake.class);

    private final DropFolder folder;

    public DropIntake(DropFolder folder) {
        this.folder = folder;
    }

    public void accept(Exchange exchange) throws DocumentException, IOException {
        String relativePath = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        exchange.getMessage().setHeader(TARGET, folder.target(relativePath));
        File file = exchange.getMessage().getBody(File.class);
        Intake.Accepted accepted = folder.accept(relativePath, file.toPath());
        exchange.setVariable(QueuedDocument.VARIABLE, QueuedDocument.of(accepted.ref()).toJson());
    }

    /** Called on failure, before the file moves to .failed: says why beside it. */
    public void recordFailure(Exchange exchange) {
        String relativePath = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = failure instanceof DocumentException ? failure.getMessage()
                : "The file could not be taken (an internal failure; the hub's log has details).";
        exchange.getMessage().setHeader(TARGET, folder.target(relativePath));
        // the path names its owner's e-mail, so it is logged at DEBUG only; the reason is beside the file in .failed
        String code = failure instanceof DocumentException d ? d.code() : "internal_error";
        if (failure instanceof DocumentException) {
            LOG.warn("A drop-folder file was refused ({}); its reason is in {}/", code, DropFolder.FAILED);
        } else {
            LOG.error("A drop-folder file could not be taken: {}", failure == null ? "unknown" : failure.getMessage());
        }
        LOG.debug("Refused drop-folder file {}: {}", relativePath, reason, failure);
        try {
            folder.recordFailure(relativePath, reason);
        } catch (IOException e) {
            LOG.error("Could not write the reason for a refused drop-folder file: {}", e.getMessage());
        }
    }
}
