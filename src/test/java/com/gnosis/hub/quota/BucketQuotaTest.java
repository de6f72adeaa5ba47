package com.gnosis.hub.quota;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.MovableClock;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest bucket cannot answer 429: an object of a user over a quota stays, with the reason beside it. */
class BucketQuotaTest {

    @TempDir
    Path local;

    private final Storage gcs = LocalStorageHelper.customOptions(false).getService();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T23:00:00Z"));

    @Test
    void anObjectOfAUserOverTheDailyQuotaWaitsInTheBucketSayingWhyWhileOthersAreTaken() throws Exception {
        seed("incoming/ola@example.org/a.pdf");
        try (HubServer hub = HubServer.start(local, Map.of("GCS_INGEST_BUCKET", "in", "GCS_INGEST_POLL_MS", "100",
                "QUOTA_PAGES_PER_DAY", "1", "OCR_PDF_TEXT", "always", "DUPLICATES", "keep", "DROP_FOLDER", ""),
                Map.of(HubConfiguration.GCS_CLIENT, gcs, HubConfiguration.CLOCK, clock))) {
            var all = hub.documentsDone(3);
            await("a.pdf taken").atMost(Duration.ofSeconds(30)).until(() -> exists("processed/ola@example.org/a.pdf"));
            seed("incoming/ola@example.org/b.pdf");
            seed("incoming/pat@example.org/c.pdf");
            await("the reason noted").atMost(Duration.ofSeconds(30)).until(() -> exists("waiting/ola@example.org/b.quota.txt"));
            assertThat(new String(gcs.readAllBytes(BlobId.of("in", "waiting/ola@example.org/b.quota.txt"))))
                    .contains("Quota reached").contains("pages taken today");
            await("pat's object taken").atMost(Duration.ofSeconds(30)).until(() -> exists("processed/pat@example.org/c.pdf"));
            assertThat(exists("incoming/ola@example.org/b.pdf")).as("ola's stays").isTrue();
            assertThat(exists("failed/ola@example.org/b.pdf")).isFalse();

            clock.advance(Duration.ofHours(1)); // a new UTC day
            await("b.pdf taken on the new day").atMost(Duration.ofSeconds(30)).until(() -> exists("processed/ola@example.org/b.pdf"));
            assertThat(exists("waiting/ola@example.org/b.quota.txt")).as("the note goes").isFalse();
            HubServer.await(all);
        }
    }

    private void seed(String name) throws Exception {
        gcs.createFrom(BlobInfo.newBuilder("in", name).setContentType("application/pdf").build(),
                Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
    }

    private boolean exists(String name) {
        return gcs.get(BlobId.of("in", name)) != null;
    }
}
