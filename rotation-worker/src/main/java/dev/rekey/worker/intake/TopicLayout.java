package dev.rekey.worker.intake;

import dev.rekey.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Whether the three rotation-due topics fit the worker's per-system bound: they exist and have the same number of
 * partitions, so that the range assignor gives one member the same partition number of each, hence all of a system.
 */
final class TopicLayout {

    private TopicLayout() {
    }

    /** Empty when they fit; else what an operator must fix. */
    static Optional<String> problem(Admin admin) throws InterruptedException {
        Map<String, TopicDescription> topics;
        try {
            topics = admin.describeTopics(Topics.ROTATION_DUE_ALL).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of("cannot describe the rotation-due topics " + Topics.ROTATION_DUE_ALL + ": "
                    + cause.getClass().getSimpleName());
        }
        Map<String, Integer> counts = topics.values().stream()
                .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
        if (new HashSet<>(counts.values()).size() == 1) {
            return Optional.empty();
        }
        return Optional.of("the rotation-due topics differ in partition count: " + Topics.ROTATION_DUE_ALL.stream()
                .map(t -> t + "=" + counts.get(t)).collect(Collectors.joining(", "))
                + " (a worker must hold all of a system's partitions: give them the same count)");
    }
}
