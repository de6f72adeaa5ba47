package com.gnosis.hub.ocr;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a decoder's header reading with a time limit: a crafted file can keep a third-party reader busy forever,
 * and no caller (a request thread, the drop folder) may wait on it. When the time is up the decoder's input is
 * closed under it, which ends the reading at its next access, and the document is refused.
 */
final class BoundedRead {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "image-header-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private BoundedRead() {
    }

    static <T> T call(String what, Duration limit, Closeable input, Callable<T> read) throws DocumentException, IOException {
        Future<T> result = READERS.submit(read);
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            input.close();
            throw new DocumentException("corrupt_image", "The " + what + " could not be opened within "
                    + limit.toMillis() + " ms (IMAGE_OPEN_TIMEOUT_MS); it is damaged or crafted.");
        } catch (InterruptedException e) {
            result.cancel(true);
            input.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DocumentException d) throw d;
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new DocumentException("corrupt_image", "The " + what + " cannot be read: it is damaged.", cause);
        }
    }
}
