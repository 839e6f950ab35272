package dev.rekey.client.quarkus;

import dev.rekey.client.Credential;

/**
 * CDI event fired, synchronously on the client's reload thread, when a watched credential has a new version: observe
 * it to rebuild what holds the old value (an HTTP client with an API key, a broker connection). The JDBC pools
 * that use the credential are flushed before it is fired.
 */
public record CredentialRotated(Credential current, Credential previous) {
}
