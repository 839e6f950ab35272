package dev.rekey.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the rotation worker takes requests, runs rotations, holds leases and retries. */
@ConfigMapping(prefix = "rekey.worker")
public interface WorkerConfig {

    /**
     * Rotations this worker process runs at once (threads of its pool). A rotation that waits for its system's slot,
     * a lease or a retry holds none of them.
     */
    @WithDefault("32")
    int concurrency();

    /** The lease on a pending record while its rotation works. */
    Lease lease();

    /** Transient errors: a short backoff inside the attempt, then delayed retries on the retry topic. */
    Retry retry();

    /** How a value is checked against the downstream. */
    LoginCheck loginCheck();

    /** The Kafka side: consumer group, polling, commits, rebalances. */
    Intake intake();

    /**
     * Breach rotations with the alternating strategy: how long after Vault's value switches to the rotated user the
     * previously active user keeps its (stolen) value and its sessions, so that subscribing services reload on
     * {@code secret-rotated} and their open connections finish instead of failing. 0 ends them at the commit; the
     * attacker keeps the old value this long either way, against the weeks a manual rotation takes.
     */
    @WithDefault("5s")
    Duration breachSwitchGrace();

    /** Leases on pending records (see README, "The protocol"). */
    interface Lease {

        /** How long a lease runs after each renewal; a dead worker's rotations wait this long at most. */
        @WithDefault("20s")
        Duration duration();

        /** How often a running rotation renews its lease. */
        @WithDefault("4s")
        Duration renewEvery();

        /**
         * The lease a rotation must have left before a downstream call or the commit: more than the longest such
         * call (downstream and Vault timeouts), so that no call of a run whose lease ran out lands after another
         * run has taken the record over.
         */
        @WithDefault("12s")
        Duration minRemaining();
    }

    /** Transient errors (a downstream or Vault that does not answer). */
    interface Retry {

        /** Attempts inside one run, the first one included, before the rotation goes to the retry topic. */
        @WithDefault("3")
        int quickAttempts();

        /** Pause before the second attempt inside a run; it doubles for each further one. */
        @WithDefault("200ms")
        Duration quickDelay();

        /** Delay before the first retry from the retry topic; it doubles for each further one (with jitter). */
        @WithDefault("2s")
        Duration delay();

        /** Upper bound of one retry delay. */
        @WithDefault("30s")
        Duration maxDelay();

        /**
         * How long after its first failure a rotation keeps being retried before it fails for good. A rotation whose
         * new value may be in force is retried beyond it until the worker can tell which value the downstream holds.
         */
        @WithDefault("10m")
        Duration horizon();

        /** The longest a retry record is held in memory; one due later is republished to the retry topic. */
        @WithDefault("30s")
        Duration maxHold();
    }

    /** Logins that tell which value the downstream holds. */
    interface LoginCheck {

        /** Logins tried with a value just set before it is declared not working (propagation can lag). */
        @WithDefault("3")
        int attempts();

        /** Pause between two of them. */
        @WithDefault("100ms")
        Duration interval();

        /**
         * A system not heard from for this long (or whose last answer was a failure) first gets a login with Vault's
         * current value before a rotation writes anything: a system that does not answer then fails the rotation
         * before any value could be in force.
         */
        @WithDefault("60s")
        Duration precheckAfter();
    }

    /** The consumer of the three rotation-due topics. */
    interface Intake {

        /** Kafka consumer group of the workers. */
        @WithDefault("rotation-worker")
        String groupId();

        /** Longest wait of one poll. */
        @WithDefault("100ms")
        Duration pollTimeout();

        /** Records per poll. */
        @WithDefault("200")
        int maxPollRecords();

        /** Records of one partition held in memory (queued or waiting) before the partition is paused. */
        @WithDefault("500")
        int maxBufferedPerPartition();

        /** How often processed offsets are committed. */
        @WithDefault("1s")
        Duration commitInterval();

        /** How long a rebalance waits for the running rotations of revoked partitions. */
        @WithDefault("5s")
        Duration revokeTimeout();

        /**
         * The consumer's session timeout: how long a worker that died keeps its partitions. The broker's
         * {@code group.min.session.timeout.ms} (6 s by default) is the floor.
         */
        @WithDefault("6s")
        Duration sessionTimeout();

        /** Heartbeats to the group coordinator; a third of the session timeout or less. */
        @WithDefault("1500ms")
        Duration heartbeatInterval();

        /** How often the partition counts of the three topics are checked again while they differ. */
        @WithDefault("30s")
        Duration topicCheckInterval();
    }
}
