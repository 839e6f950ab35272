package dev.rekey.client.quarkus;

import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the {@link CredentialRotated} events the application sees. */
@Singleton
public class RotationObserver {

    final List<CredentialRotated> seen = new CopyOnWriteArrayList<>();

    void onRotated(@Observes CredentialRotated rotated) {
        seen.add(rotated);
    }
}
