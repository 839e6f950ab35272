package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One real downstream system for {@link RotationTargetContract}, seen from outside the worker: it makes users with
 * known values, logs in as they would, holds their sessions, and cleans up what it made.
 */
public interface TargetFixture {

    /** The {@code target.type}, e.g. {@code redis}. */
    String type();

    /** The system as a rotation request names it; its admin login is in Vault at {@code adminSecretPath}. */
    RotationDue.Target target(String adminSecretPath);

    /** The same system at an address where nothing answers. */
    RotationDue.Target unreachable(String adminSecretPath);

    /** Writes a working admin login of the system (a dedicated admin user) to Vault at {@code path}. */
    void seedAdmin(String path) throws Exception;

    /** The admin's user name, so that a test can write a wrong password for it. */
    String adminUsername();

    /** A new unique user name of plain characters. */
    String plainName();

    /** A new unique user name with quotes, spaces or other characters the system allows in names. */
    String oddName();

    /** Creates {@code name} with {@code value}; returns the user name as a credential gives it to the target. */
    String createUser(String name, String value) throws Exception;

    /** Removes a user made by {@link #createUser}; absent is fine. */
    void dropUser(String username) throws Exception;

    /** Whether {@code username} logs in with {@code value}, asked without the target. */
    boolean logsIn(String username, String value) throws Exception;

    /** A session of {@code username} logged in with {@code value}, held open; empty when the system has none. */
    Optional<HeldSession> holdSession(String username, String value) throws Exception;

    /** Settings this type must refuse in {@code check}, each with a word the refusal must name. */
    List<Misfit> misfits();

    /**
     * What the system received or logged while {@code action} ran against the target it is given, as text; empty
     * when this system cannot be watched. The text must show the operation (it names the user), so that a check
     * that finds no value in it cannot pass for want of anything seen.
     */
    Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) throws Exception;

    /** A session held open by a test. */
    interface HeldSession extends AutoCloseable {

        /** Whether the server still serves this session. */
        boolean isOpen();

        @Override
        void close();
    }

    /** Settings that do not fit, and a word that the refusal's reason must hold. */
    record Misfit(TargetSettings settings, String reasonNames) {
    }
}
