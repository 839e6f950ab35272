package dev.rekey.inventory.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the service's log records of WARN and above while it is open (the service runs in the test's JVM). */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setLevel(Level.WARNING);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** The records of the service's own code and of Quarkus/Vert.x (the broker's and test clients' left out). */
    public List<LogRecord> records() {
        return records.stream().filter(r -> r.getLoggerName() != null
                && (r.getLoggerName().startsWith("dev.rekey.inventory") || r.getLoggerName().startsWith("io.quarkus")
                || r.getLoggerName().startsWith("io.vertx") || r.getLoggerName().startsWith("org.jboss.resteasy")
                || r.getLoggerName().startsWith("org.hibernate"))).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
