package dev.rekey.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bench's own arithmetic and parsing; the benchmark itself runs only from {@code ./rekey bench}. */
class BenchPartsTest {

    @Test
    void optionsDefaultToFiveThousandVaultKvAndRefuseUnknownKinds() {
        BenchOptions defaults = BenchOptions.parse(List.of());
        assertThat(defaults.kind()).isEqualTo("vault-kv");
        assertThat(defaults.count()).isEqualTo(5000);
        assertThat(defaults.heap()).isEqualTo("256m");
        assertThat(defaults.floorConcurrency()).containsExactly(4, 8, 16, 32);
        assertThat(defaults.warmup()).isZero();
        assertThat(BenchOptions.parse(List.of("--warmup", "200")).warmup()).isEqualTo(200);
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--warmup", "x"))).hasMessageContaining("--warmup");
        BenchOptions redis = BenchOptions.parse(List.of("--kind", "redis", "--count", "200", "--workers", "2", "--json"));
        assertThat(redis.kind()).isEqualTo("redis");
        assertThat(redis.count()).isEqualTo(200);
        assertThat(redis.workers()).isEqualTo(2);
        assertThat(redis.json()).isTrue();
        assertThat(redis.floorRotations()).isEqualTo(200);
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--kind", "rabbitmq"))).hasMessageContaining("--kind");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--count", "-1"))).hasMessageContaining("--count");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--count"))).hasMessageContaining("missing value");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--backlog", "10", "--count", "100")))
                .hasMessageContaining("--breach-size");
    }

    @Test
    void cpuTimesAreReadAfterTheCommandNameEvenWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 30 0 12345 0 0";
        assertThat(ProcStats.cpuTicks(stat, false)).isEqualTo(300);
        assertThat(ProcStats.cpuTicks(stat, true)).isEqualTo(310);
        assertThat(ProcStats.peakRss("Name:\tjava\nVmPeak:\t 900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n"))
                .isEqualTo(123456);
        assertThat(ProcStats.peakRss("Name:\tkthreadd\n")).isEqualTo(-1);
    }

    @Test
    void thisProcessHasCpuTimeAndAPeakRss() {
        ProcStats.Reading self = ProcStats.read(ProcessHandle.current().pid(), false).orElseThrow();
        assertThat(self.cpuSeconds()).isPositive();
        assertThat(self.peakRssKb()).isPositive();
    }

    @Test
    void percentilesByNearestRank() {
        List<Integer> values = java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
        assertThat(Stats.percentile(values, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(List.of(7), 99)).isEqualTo(7);
        assertThat(Stats.percentile(List.<Integer>of(), 50)).isNaN();
    }

    @Test
    void mariaDbNativeHashIsSha1OfSha1() throws Exception {
        // SELECT PASSWORD('password') on MariaDB
        assertThat(Floor.nativePasswordHash("password")).isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
    }

    @Test
    void secretScanFindsAnyValueAnywhereAndNothingElse() {
        SecretScan scan = new SecretScan(List.of("Abcdefghijklmnopqrstuvwx", "0123456789abcdefghijklmnopqrstuv", "short"));
        byte[] noise = new byte[100_000];
        new java.util.Random(1).nextBytes(noise);
        assertThat(scan.foundIn(noise)).isFalse();
        byte[] withValue = noise.clone();
        System.arraycopy("0123456789abcdefghijklmnopqrstuv".getBytes(), 0, withValue, 54_321, 32);
        assertThat(scan.foundIn(withValue)).isTrue();
        assertThat(scan.foundIn("xxshortyy".getBytes())).isTrue();
        assertThat(scan.foundIn("Abcdefghijklmnopqrstuvwx".getBytes())).isTrue();
        assertThat(scan.foundIn("Abcdefghijklmnopqrstuvw".getBytes())).isFalse();
    }
}
