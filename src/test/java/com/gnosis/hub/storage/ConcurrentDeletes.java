package com.gnosis.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Two DELETEs of one session (or a DELETE and the pipeline tidying up after it) at the same moment, on any
 * {@link Storage}: both succeed, and between them every file is counted once.
 */
final class ConcurrentDeletes {

    private ConcurrentDeletes() {
    }

    /**
     * Sessions of 30 files, each deleted by two threads released together.
     *
     * @param sessions how many (the more, the likelier the two overlap in every way they can)
     * @param deleted further checks on a session's prefix once both are done
     */
    static void check(Storage storage, int sessions, Consumer<String> deleted) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int session = 0; session < sessions; session++) {
                String prefix = "users/abc/s" + session + "/";
                for (int file = 0; file < 30; file++) storage.put(prefix + "page_" + file + ".json", new byte[] {1});
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Integer> delete = () -> {
                    together.await();
                    return storage.deleteAll(prefix);
                };
                Future<Integer> first = pool.submit(delete);
                Future<Integer> second = pool.submit(delete);
                assertThat(first.get() + second.get()).as(prefix).isEqualTo(30);
                assertThat(storage.list(prefix)).as(prefix).isEmpty();
                deleted.accept(prefix);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
