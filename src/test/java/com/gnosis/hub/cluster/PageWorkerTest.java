package com.gnosis.hub.cluster;

import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PdfTextMode;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.queue.Claims;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page worker's decisions, message by message, as two hubs on one storage folder would take them (no broker:
 * the test hands the messages over). A born-digital PDF is read from its text layer.
 */
class PageWorkerTest {

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    @Test
    void aDocumentBecomesPageChainsEachPageIsReadOnceARedeliveryChangesNothingAndOneHubCompletes() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        SessionStore sessions = new SessionStore(storage);
        PageWorker first = worker(sessions, "hub-a", 1);
        PageWorker second = worker(sessions, "hub-b", 1);
        SessionRef ref = accept(sessions, "pdfbox_PDFBOX-3110-poems-beads.pdf"); // 2 pages

        PageWorker.Outcome document = first.take(QueuedDocument.of(ref).toJson());
        assertThat(document.isDone()).isTrue();
        assertThat(document.getPublish()).as("window 1: one chain, its head").containsExactly(PageWorker.message(ref, 1));

        PageWorker.Outcome page1 = second.take(PageWorker.message(ref, 1));
        assertThat(page1.isDone()).isTrue();
        assertThat(page1.getPublish()).as("the chain goes on").containsExactly(PageWorker.message(ref, 2));
        Path lines = dir.resolve(ref.prefix()).resolve("page_001.json");
        FileTime stored = Files.getLastModifiedTime(lines);
        byte[] content = Files.readAllBytes(lines);

        // a redelivery of page 1 (its ack was lost): acknowledged, nothing read, nothing rewritten, nothing published
        PageWorker.Outcome again = first.take(PageWorker.message(ref, 1));
        assertThat(again.isDone()).isTrue();
        assertThat(again.getPublish()).isEmpty();
        assertThat(Files.getLastModifiedTime(lines)).isEqualTo(stored);
        assertThat(Files.readAllBytes(lines)).isEqualTo(content);
        assertThat(dir.resolve(ref.prefix()).resolve(".claims/page_001.2")).doesNotExist();

        PageWorker.Outcome page2 = first.take(PageWorker.message(ref, 2));
        assertThat(page2.isDone()).isTrue();
        assertThat(sessions.status(ref).status()).isEqualTo("completed");
        assertThat(sessions.status(ref).pagesDone()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve(ref.prefix()).resolve("combined_output.md"))).startsWith("# Page 1");
        assertThat(Json.MAPPER.readTree(dir.resolve(ref.prefix()).resolve(".claims/page_002.1").toFile())
                .get("worker").asText()).isEqualTo("hub-a");
        assertThat(first.take(PageWorker.message(ref, 2)).isDone()).as("a finished session's message is dropped").isTrue();
    }

    @Test
    void aPageAnotherHubIsReadingStaysOnTheQueueUntilThatHubsLeaseRunsOut() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        SessionStore sessions = new SessionStore(storage);
        PageWorker survivor = worker(sessions, "hub-b", 4);
        SessionRef ref = accept(sessions, "pdfbox_PDFBOX-3038-001033-p2.pdf");
        // hub-a took page 1 and died before storing it
        Claims dead = new Claims(storage, clock, "hub-a", Duration.ofSeconds(10));
        assertThat(dead.take(ref, PageWorker.pageClaim(1))).isPresent();

        PageWorker.Outcome leased = survivor.take(PageWorker.message(ref, 1));
        assertThat(leased.isDone()).as("not acknowledged: it comes back after the ack deadline").isFalse();
        assertThat(dir.resolve(ref.prefix()).resolve("page_001.json")).doesNotExist();

        clock.advance(Duration.ofSeconds(11));
        assertThat(survivor.take(PageWorker.message(ref, 1)).isDone()).isTrue();
        assertThat(sessions.status(ref).status()).isEqualTo("completed");
        assertThat(dir.resolve(ref.prefix()).resolve(".claims/page_001.2")).exists();
    }

    @Test
    void theBusyAnswerCountsPagesQueuedThroughAnyHub() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        SessionStore sessions = new SessionStore(storage);
        QueueBacklog hereBacklog = new QueueBacklog(storage, clock, Duration.ofSeconds(2));
        QueueBacklog thereBacklog = new QueueBacklog(storage, clock, Duration.ofSeconds(2));
        PendingPages there = new PendingPages(2, 1);
        there.countCluster(thereBacklog::pages);
        there.checkRoom();

        SessionRef ref = accept(sessions, "pdfbox_PDFBOX-3110-poems-beads.pdf");
        hereBacklog.add(ref, sessions.metadata(ref));
        SessionRef other = accept(sessions, "pdfbox_PDFBOX-3110-poems-beads.pdf");
        hereBacklog.add(other, sessions.metadata(other));
        clock.advance(Duration.ofSeconds(3));
        Assertions.assertThatThrownBy(there::checkRoom).isInstanceOf(BusyException.class)
                .hasMessageContaining("4 pages are waiting");

        hereBacklog.remove(ref, sessions.metadata(ref));
        hereBacklog.remove(other, sessions.metadata(other));
        clock.advance(Duration.ofSeconds(3));
        there.checkRoom();
    }

    private PageWorker worker(SessionStore sessions, String name, int window) {
        Claims claims = new Claims(sessions.storage(), clock, name, Duration.ofSeconds(10));
        PageReader reader = new PageReader(new PpOcrEngine(PpOcrSettings.fromEnvironment(HubSettings.standalone()::env)), PdfTextMode.ALWAYS, 100);
        return new PageWorker(sessions, reader, Document.Limits.DEFAULT, claims,
                new QueueBacklog(sessions.storage(), clock, Duration.ofSeconds(2)), SessionEvents.all(List.of()), clock,
                window, 1, Duration.ofMinutes(30), 0);
    }

    private SessionRef accept(SessionStore sessions, String document) throws Exception {
        Intake intake = new Intake(sessions, Document.Limits.DEFAULT, clock, Intake.Duplicates.KEEP, new PendingPages(1000, 1));
        return intake.accept(UserIdentity.of("worker@example.org"), document, Corpus.dev(document), "http").ref();
    }
}
