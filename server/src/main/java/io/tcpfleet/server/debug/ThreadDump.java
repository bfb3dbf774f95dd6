package io.tcpfleet.server.debug;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.time.Instant;

/**
 * A jstack-like thread dump, full stacks (ThreadInfo.toString() cuts them at 8 frames), locks held
 * and waited on, so a stuck event loop or a blocked plugin shows where it is.
 */
public final class ThreadDump {

    private ThreadDump() {}

    public static String capture() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        StringBuilder out = new StringBuilder(16 * 1024);
        out.append("Thread dump at ")
                .append(Instant.now())
                .append(", ")
                .append(threads.length)
                .append(" threads\n\n");
        for (ThreadInfo thread : threads) {
            append(out, thread);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, ThreadInfo t) {
        out.append('"')
                .append(t.getThreadName())
                .append("\" #")
                .append(t.getThreadId())
                .append(t.isDaemon() ? " daemon" : "")
                .append(" prio=")
                .append(t.getPriority())
                .append(' ')
                .append(t.getThreadState());
        if (t.getLockName() != null) {
            out.append(" on ").append(t.getLockName());
        }
        if (t.getLockOwnerName() != null) {
            out.append(" owned by \"")
                    .append(t.getLockOwnerName())
                    .append("\" #")
                    .append(t.getLockOwnerId());
        }
        out.append('\n');
        StackTraceElement[] stack = t.getStackTrace();
        for (int depth = 0; depth < stack.length; depth++) {
            out.append("\tat ").append(stack[depth]).append('\n');
            for (MonitorInfo monitor : t.getLockedMonitors()) {
                if (monitor.getLockedStackDepth() == depth) {
                    out.append("\t- locked ").append(monitor).append('\n');
                }
            }
        }
        LockInfo[] synchronizers = t.getLockedSynchronizers();
        if (synchronizers.length > 0) {
            out.append("\tLocked ownable synchronizers:\n");
            for (LockInfo lock : synchronizers) {
                out.append("\t- ").append(lock).append('\n');
            }
        }
        out.append('\n');
    }
}
