package dev.rekey.inventory.support;

import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A breach over {@code n} fresh credentials selected by tag, and the rotation requests it emitted (by credential). */
public record Campaign(String breachId, List<RotationDue> due) {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    public static Campaign of(int n) {
        String owner = owner(unique("team"));
        String pg = system(unique("pg"));
        String tag = unique("tag");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(credential(unique("c" + i), pg, owner, List.of(tag), List.of()));
        }
        String breachId = as(Tokens.admin())
                .body(Map.of("title", "tagged", "selector", Map.of("tags", List.of(tag))))
                .post("/api/v1/breaches")
                .then().statusCode(202).body("total", equalTo(n))
                .extract().path("id");
        List<RotationDue> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> ids.contains(header(r, "ce_subject")),
                        n, KAFKA_WAIT).stream()
                .map(r -> EventJson.decode(r.value(), RotationDue.class))
                .sorted(Comparator.comparing(RotationDue::credentialId))
                .toList();
        assertThat(due).hasSize(n);
        return new Campaign(breachId, due);
    }
}
