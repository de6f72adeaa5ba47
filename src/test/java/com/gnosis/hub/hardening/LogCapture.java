package com.gnosis.hub.hardening;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Every log event of the hub while it is open, as the real log4j2 configuration lets them through. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    /** One event: its level, its rendered message and the rendered stack trace, if any. */
    record Line(Level level, String logger, String message, String thrown) {
        String all() {
            return message + (thrown == null ? "" : "\n" + thrown);
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("test-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Captures from the root logger at every level the configuration passes on. */
    static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        String thrown = null;
        if (event.getThrown() != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            event.getThrown().printStackTrace(new java.io.PrintWriter(trace));
            thrown = trace.toString();
        }
        lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(), thrown));
    }

    /** The events at INFO or above (what an operator's log keeps). */
    List<Line> atInfoOrAbove() {
        return lines.stream().filter(l -> l.level().isMoreSpecificThan(Level.INFO)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
