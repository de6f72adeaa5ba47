package com.gnosis.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** createIfAbsent, the one write that claims: of several racing creators exactly one wins, on both backends. */
class CreateIfAbsentTest {

    @TempDir
    Path dir;

    @Test
    void aLocalKeyIsCreatedOnceAndNeverOverwrittenEvenByRacingCreators() throws Exception {
        LocalStorage storage = new LocalStorage(dir);
        createsOnce(storage);
        oneWinnerAmongRacingCreators(storage);
    }

    /**
     * A bucket refuses a second create (ifGenerationMatch=0). Racing creators are not tried here: Google's in-memory
     * Storage checks that precondition apart from the write, so two racers can both win there, which says nothing of
     * a real bucket (where the precondition and the write are one operation).
     */
    @Test
    void aBucketObjectIsCreatedOnceAndNeverOverwritten() throws Exception {
        createsOnce(new GcsStorage(LocalStorageHelper.customOptions(false).getService(), "claims-bucket"));
    }

    private static void createsOnce(Storage storage) throws Exception {
        assertThat(storage.createIfAbsent("users/abc/s1/.claims/page_001.1", bytes("first"))).isTrue();
        assertThat(storage.createIfAbsent("users/abc/s1/.claims/page_001.1", bytes("second"))).isFalse();
        assertThat(storage.get("users/abc/s1/.claims/page_001.1")).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("first"));
        assertThat(storage.list("users/abc/s1/")).containsExactly("users/abc/s1/.claims/page_001.1");
    }

    private static void oneWinnerAmongRacingCreators(Storage storage) throws Exception {
        // four creators released together, twenty times: one winner each time
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "users/abc/s2/.claims/page_" + round + ".1";
                CyclicBarrier together = new CyclicBarrier(4);
                List<Future<Boolean>> creators = new ArrayList<>();
                for (int creator = 0; creator < 4; creator++) {
                    String content = "creator " + creator;
                    Callable<Boolean> create = () -> {
                        together.await();
                        return storage.createIfAbsent(key, bytes(content));
                    };
                    creators.add(pool.submit(create));
                }
                int winners = 0;
                for (Future<Boolean> creator : creators) winners += creator.get() ? 1 : 0;
                assertThat(winners).as(key).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
