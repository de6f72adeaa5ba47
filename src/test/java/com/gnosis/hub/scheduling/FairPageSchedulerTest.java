package com.gnosis.hub.scheduling;

import com.gnosis.hub.settings.HubSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FairPageSchedulerTest {

    @Test
    void oneUsersLongQueueDelaysAnotherUsersPageByOneTurnOnly() throws Exception {
        try (FairPageScheduler scheduler = new FairPageScheduler(1, "test")) {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<?> blocker = scheduler.submit("userA", "a0", () -> {
                running.countDown();
                return gate.await(10, TimeUnit.SECONDS);
            });
            // the blocker has left the queue only once it runs (on a busy machine the worker starts late)
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                int page = i;
                all.add(scheduler.submit("userA", "a1", () -> order.add("A" + page)));
            }
            all.add(scheduler.submit("userB", "b1", () -> order.add("B1")));
            assertThat(scheduler.queued()).isEqualTo(51);
            gate.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            blocker.get();
            assertThat(order.indexOf("B1")).isLessThanOrEqualTo(1);
            assertThat(order).hasSize(51);
            assertThat(order.subList(0, 3)).contains("A1");
        }
    }

    @Test
    void sessionsOfOneUserTakeTurnsToo() throws Exception {
        try (FairPageScheduler scheduler = new FairPageScheduler(1, "test")) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            scheduler.submit("userA", "blocker", () -> gate.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int page = i;
                all.add(scheduler.submit("userA", "s1", () -> order.add("s1-" + page)));
                all.add(scheduler.submit("userA", "s2", () -> order.add("s2-" + page)));
            }
            gate.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(order).containsExactly("s1-1", "s2-1", "s1-2", "s2-2", "s1-3", "s2-3");
        }
    }

    @Test
    void cancelledSessionsLoseTheirWaitingPages() throws Exception {
        try (FairPageScheduler scheduler = new FairPageScheduler(1, "test")) {
            CountDownLatch gate = new CountDownLatch(1);
            scheduler.submit("userA", "blocker", () -> gate.await(10, TimeUnit.SECONDS));
            CompletableFuture<String> dropped = scheduler.submit("userA", "gone", () -> "ran");
            CompletableFuture<String> kept = scheduler.submit("userB", "kept", () -> "ran");
            scheduler.cancel("gone");
            gate.countDown();
            assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
            assertThatThrownBy(dropped::join).isInstanceOf(CancellationException.class);
            assertThat(scheduler.queued()).isZero();
        }
    }

    @Test
    void workersRunAtTheirNiceValueWhileTheCallerKeepsItsOwn() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        int callerNice = Niceness.ofCurrentThread();
        try (FairPageScheduler scheduler = new FairPageScheduler(2, "test", 7)) {
            assertThat(scheduler.submit("userA", "s1", Niceness::ofCurrentThread).get(10, TimeUnit.SECONDS))
                    .isEqualTo(7);
            assertThat(scheduler.submit("userB", "s2", Niceness::ofCurrentThread).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        }
        assertThat(Niceness.ofCurrentThread()).isEqualTo(callerNice);
    }

    @Test
    void anOcrPageIsReadOnTheWorkersOwnThreadAtItsNiceValueAndTheEngineStartsNoThreads() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        PpOcrSettings settings = PpOcrSettings.fromEnvironment(HubSettings.standalone(name -> switch (name) {
            case "MODEL_CACHE_PATH" -> Path.of("target", "test-model-cache").toAbsolutePath().toString();
            case "OCR_DEVICE" -> "cpu";
            default -> null;
        })::env);
        BufferedImage page = ImageIO.read(Path.of(System.getProperty("corpus.dir", "src/test/corpus"))
                .resolve("dev/tess_phototest.tif").toFile());
        try (PpOcrEngine engine = new PpOcrEngine(settings);
             FairPageScheduler scheduler = new FairPageScheduler(1, "nice-test", 7)) {
            engine.load();
            scheduler.submit("userA", "s1", () -> engine.read(page)).get(300, TimeUnit.SECONDS);
            Set<Thread> before = Thread.getAllStackTraces().keySet();

            List<Object> seen = scheduler.submit("userA", "s1", () -> {
                int lines = engine.read(page).size();
                return List.<Object>of(Thread.currentThread().getName(), Niceness.ofCurrentThread(), lines);
            }).get(300, TimeUnit.SECONDS);

            assertThat(seen.get(0)).isEqualTo("nice-test-1");
            assertThat(seen.get(1)).isEqualTo(7);
            assertThat((Integer) seen.get(2)).isPositive();
            Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            assertThat(started).isEmpty();
        }
    }
}
