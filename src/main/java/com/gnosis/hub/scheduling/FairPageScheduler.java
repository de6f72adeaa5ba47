package com.gnosis.hub.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs page tasks on a fixed number of workers, taking them round-robin across users and, within a user,
 * across sessions: a user with 2000 queued pages delays another user's one page by at most one page per
 * worker. Waiting tasks of a session can be dropped (deleted, failed or timed-out sessions).
 */
public final class FairPageScheduler implements AutoCloseable {

    /** How long {@link #close()} waits for the pages in flight. */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private final class Task<T> {
        final String sessionId;
        final Callable<T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Task(String sessionId, Callable<T> work) {
            this.sessionId = sessionId;
            this.work = work;
        }

        void run() {
            if (future.isDone()) return;
            try {
                future.complete(work.call());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }
    }

    /** user -> session -> waiting tasks; both maps keep rotation order (the next to serve comes first). */
    private final LinkedHashMap<String, LinkedHashMap<String, ArrayDeque<Task<?>>>> waiting = new LinkedHashMap<>();
    private final Map<String, String> userOfSession = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private boolean closed;

    public FairPageScheduler(int workerCount, String threadName) {
        this(workerCount, threadName, 0);
    }

    /** @param nice the workers' nice value (OCR_NICE; 0 keeps the normal priority), see {@link Niceness} */
    public FairPageScheduler(int workerCount, String threadName, int nice) {
        for (int i = 1; i <= workerCount; i++) {
            Thread worker = new Thread(() -> {
                Niceness.setForCurrentThread(nice);
                work();
            }, threadName + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    public <T> CompletableFuture<T> submit(String userHash, String sessionId, Callable<T> work) {
        Task<T> task = new Task<>(sessionId, work);
        synchronized (waiting) {
            if (closed) throw new IllegalStateException("the page scheduler is closed");
            waiting.computeIfAbsent(userHash, u -> new LinkedHashMap<>())
                    .computeIfAbsent(sessionId, s -> new ArrayDeque<>()).add(task);
            userOfSession.put(sessionId, userHash);
            queued.incrementAndGet();
            waiting.notify();
        }
        return task.future;
    }

    /** Tasks waiting for a worker (not counting those running). */
    public int queued() {
        return queued.get();
    }

    /** Drops the session's waiting tasks; their futures end cancelled. Running tasks finish. */
    public void cancel(String sessionId) {
        List<Task<?>> dropped = new ArrayList<>();
        synchronized (waiting) {
            String user = userOfSession.remove(sessionId);
            if (user == null) return;
            LinkedHashMap<String, ArrayDeque<Task<?>>> sessions = waiting.get(user);
            ArrayDeque<Task<?>> tasks = sessions == null ? null : sessions.remove(sessionId);
            if (tasks != null) dropped.addAll(tasks);
            if (sessions != null && sessions.isEmpty()) waiting.remove(user);
            queued.addAndGet(-dropped.size());
        }
        dropped.forEach(t -> t.future.completeExceptionally(new CancellationException("session " + sessionId + " stopped")));
    }

    private Task<?> next() throws InterruptedException {
        synchronized (waiting) {
            while (!closed && waiting.isEmpty()) waiting.wait();
            if (closed) return null;
            // the first user in rotation order; it moves to the back once served
            Iterator<Map.Entry<String, LinkedHashMap<String, ArrayDeque<Task<?>>>>> users = waiting.entrySet().iterator();
            Map.Entry<String, LinkedHashMap<String, ArrayDeque<Task<?>>>> user = users.next();
            users.remove();
            LinkedHashMap<String, ArrayDeque<Task<?>>> sessions = user.getValue();
            Iterator<Map.Entry<String, ArrayDeque<Task<?>>>> sessionIterator = sessions.entrySet().iterator();
            Map.Entry<String, ArrayDeque<Task<?>>> session = sessionIterator.next();
            sessionIterator.remove();
            Task<?> task = session.getValue().poll();
            if (!session.getValue().isEmpty()) {
                sessions.put(session.getKey(), session.getValue());
            } else {
                userOfSession.remove(session.getKey());
            }
            if (!sessions.isEmpty()) waiting.put(user.getKey(), sessions);
            queued.decrementAndGet();
            return task;
        }
    }

    private void work() {
        while (true) {
            Task<?> task;
            try {
                task = next();
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) return;
            task.run();
        }
    }

    @Override
    public void close() {
        List<Task<?>> dropped = new ArrayList<>();
        synchronized (waiting) {
            closed = true;
            waiting.values().forEach(sessions -> sessions.values().forEach(dropped::addAll));
            waiting.clear();
            userOfSession.clear();
            waiting.notifyAll();
        }
        dropped.forEach(t -> t.future.cancel(false));
        workers.forEach(Thread::interrupt);
        // a page in flight finishes its model run (inference does not stop for an interrupt) and its writes: wait,
        // bounded, so that nothing writes into storage once the hub says it has stopped
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread worker : workers) {
            if (worker == Thread.currentThread()) continue;
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                worker.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
