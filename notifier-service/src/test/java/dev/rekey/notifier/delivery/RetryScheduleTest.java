package dev.rekey.notifier.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(8, Duration.ofSeconds(5), Duration.ofMinutes(1));

    @Test
    void backoffDoublesAfterEachFailureUpToTheBound() {
        assertThat(schedule.backoffAfter(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.backoffAfter(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.backoffAfter(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(schedule.backoffAfter(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(schedule.backoffAfter(1_000)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theEighthFailedAttemptIsTheLast() {
        assertThat(schedule.exhausted(7)).isFalse();
        assertThat(schedule.exhausted(8)).isTrue();
    }
}
