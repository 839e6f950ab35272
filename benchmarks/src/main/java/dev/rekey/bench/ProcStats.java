package dev.rekey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time and peak resident memory of a process from Linux's {@code /proc}: {@code /proc/<pid>/stat} utime + stime
 * (and, for a process tree such as PostgreSQL's, cutime + cstime of the children it has reaped plus the live
 * children's own), {@code /proc/<pid>/status} VmHWM (the peak RSS since the process started).
 */
final class ProcStats {

    /** USER_HZ: the unit of the times in {@code /proc/<pid>/stat}; 100 on every Linux ABI that Java runs on. */
    static final double CLOCK_TICKS = 100.0;

    private ProcStats() {
    }

    /** One reading: CPU seconds so far (whole tree when asked for) and peak RSS in KiB (-1 when unknown). */
    record Reading(double cpuSeconds, long peakRssKb) {
    }

    /** The CPU seconds of {@code pid}; with {@code tree}, also of its children (reaped and live). */
    static Optional<Reading> read(long pid, boolean tree) {
        try {
            double cpu = cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")), tree) / CLOCK_TICKS;
            long hwm = peakRss(Files.readString(Path.of("/proc/" + pid + "/status")));
            if (tree) {
                List<ProcessHandle> children = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
                for (ProcessHandle child : children) {
                    try {
                        cpu += cpuTicks(Files.readString(Path.of("/proc/" + child.pid() + "/stat")), false) / CLOCK_TICKS;
                    } catch (IOException gone) {
                        // exited between the listing and the read: its time is in the parent's cutime once reaped
                    }
                }
            }
            return Optional.of(new Reading(cpu, hwm));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** utime + stime (fields 14 and 15), plus cutime + cstime (16 and 17) with {@code children}. */
    static long cpuTicks(String stat, boolean children) {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (children) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks;
    }

    /** VmHWM in KiB, -1 when the line is missing (a kernel thread, a zombie). */
    static long peakRss(String status) {
        return status.lines().filter(l -> l.startsWith("VmHWM:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
    }

    /** The first process whose {@code /proc/<pid>/comm} is {@code name} (the machine's redis-server, mariadbd). */
    static Optional<Long> findByName(String name) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().equals(name);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString())).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
