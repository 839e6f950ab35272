package dev.rekey.worker.intake;

import org.apache.kafka.common.TopicPartition;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The records of one partition this worker took and has not finished (their result not yet acknowledged by the
 * broker), for committing: the committable offset is the first unfinished one, so that a crash redelivers every
 * record whose result is not durable. One instance per assignment: a record taken before a partition was revoked
 * finishes into its old instance, which no longer counts.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    synchronized void took(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    synchronized void finished(long offset) {
        unfinished.remove(offset);
    }

    /** Records taken and not finished: what this worker holds of the partition. */
    synchronized int unfinishedCount() {
        return unfinished.size();
    }

    /** The offset to commit, if it moved since the last commit. */
    synchronized OptionalLong toCommit() {
        long offset = unfinished.isEmpty() ? next : unfinished.first();
        return offset > committed ? OptionalLong.of(offset) : OptionalLong.empty();
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
