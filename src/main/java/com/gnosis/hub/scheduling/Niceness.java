package com.gnosis.hub.scheduling;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nice value of the calling thread (Linux: every Java thread is a kernel task with its own). Page
 * workers run at OCR_NICE so that, when the CPUs are busy, the scheduler gives acknowledging an upload or
 * answering a status request precedence over reading pages: those take milliseconds and a user waits on
 * them; a page takes seconds and nobody waits on its first millisecond. Raising a nice value needs no
 * privilege. Elsewhere (or without libc) it does nothing and says so once.
 */
public final class Niceness {

    private static final Logger LOG = LoggerFactory.getLogger(Niceness.class);
    private static final int PRIO_PROCESS = 0;
    private static volatile boolean warned;

    private Niceness() {
    }

    /** Sets the calling thread's nice value; false (logged once) where that is not possible. */
    public static boolean setForCurrentThread(int nice) {
        if (nice == 0) return true;
        try {
            int tid = currentTid();
            Function setpriority = NativeLibrary.getInstance("c").getFunction("setpriority");
            int result = setpriority.invokeInt(new Object[] {PRIO_PROCESS, tid, nice});
            if (result != 0) throw new IOException("setpriority failed, errno " + com.sun.jna.Native.getLastError());
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            if (!warned) {
                warned = true;
                LOG.warn("Page workers keep the normal CPU priority (OCR_NICE={} not applied: {})", nice, e.getMessage());
            }
            return false;
        }
    }

    /** The calling thread's nice value as the kernel reports it (for checks), or 0 where unknown. */
    public static int ofCurrentThread() throws IOException {
        Path stat = Path.of("/proc/thread-self/stat");
        if (!Files.exists(stat)) return 0;
        String text = Files.readString(stat);
        // fields after the command name (which may hold spaces) start at state, field 3; nice is field 19
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    private static int currentTid() throws IOException {
        // "/proc/thread-self" links to "{pid}/task/{tid}"
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(self.getFileName().toString());
    }
}
