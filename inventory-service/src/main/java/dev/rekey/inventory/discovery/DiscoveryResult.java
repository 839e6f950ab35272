package dev.rekey.inventory.discovery;

import java.util.List;

/**
 * What a discovery found.
 *
 * @param secretsListed how many secrets the walk listed below the prefix
 * @param alreadyKnown  how many of them the inventory knew already
 * @param registered    the ids of the unowned credentials registered now
 * @param skipped       keys left out: their path holds characters outside {@code [A-Za-z0-9_.-]} or is too long
 * @param complete      false when a bound stopped the walk or the registration: run the discovery again for more
 */
public record DiscoveryResult(String systemId, String mount, String prefix, int secretsListed, int alreadyKnown,
                              List<String> registered, int skipped, boolean complete) {
}
