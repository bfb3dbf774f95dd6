package io.tcpfleet.server.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * JFR recordings on demand, one at a time, on a thread of their own so the admin event loop never
 * waits. The file goes to {@code java.io.tmpdir} (an emptyDir at /tmp in the pod, so a read-only
 * root filesystem is fine); the caller deletes it once it is sent.
 */
public final class JfrProfiler implements AutoCloseable {

    public static final int MIN_SECONDS = 1;
    public static final int MAX_SECONDS = 60;

    private final Path directory;
    private final AtomicBoolean recording = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tcpfleet-profiler");
        t.setDaemon(true);
        return t;
    });

    public JfrProfiler(Path directory) {
        this.directory = directory;
    }

    public static JfrProfiler inTempDir() {
        return new JfrProfiler(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** True while a recording runs (until its file is written). */
    public boolean isRecording() {
        return recording.get();
    }

    /**
     * Starts a recording of {@code seconds} with JFR's "profile" settings; the future completes with
     * the .jfr file. Returns null when a recording already runs.
     */
    public CompletableFuture<Path> record(int seconds) {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(
                    "seconds must be " + MIN_SECONDS + ".." + MAX_SECONDS + ", got " + seconds);
        }
        if (!recording.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<Path> file = new CompletableFuture<>();
        try {
            timer.execute(() -> start(seconds, file));
        } catch (RuntimeException e) {
            recording.set(false);
            file.completeExceptionally(e);
        }
        return file;
    }

    private void start(int seconds, CompletableFuture<Path> file) {
        try {
            Recording jfr = new Recording(Configuration.getConfiguration("profile"));
            jfr.setName("tcpfleet-debug-profile");
            jfr.setToDisk(true);
            jfr.start();
            timer.schedule(() -> finish(jfr, file), seconds, TimeUnit.SECONDS);
        } catch (IOException | ParseException | RuntimeException e) {
            recording.set(false);
            file.completeExceptionally(e);
        }
    }

    private void finish(Recording jfr, CompletableFuture<Path> file) {
        Path out = null;
        try {
            jfr.stop();
            out = Files.createTempFile(directory, "tcpfleet-profile-", ".jfr");
            jfr.dump(out);
            file.complete(out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(out);
            file.completeExceptionally(e);
        } finally {
            jfr.close();
            recording.set(false);
        }
    }

    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // tmpdir is cleaned with the pod; nothing better to do from a completion callback
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
