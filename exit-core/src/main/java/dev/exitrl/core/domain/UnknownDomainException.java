package dev.exitrl.core.domain;

import java.util.Collection;
import java.util.List;

/** No domain is registered under the requested id; the message lists the ids that are. */
public class UnknownDomainException extends IllegalArgumentException {
    private final String id;
    private final List<String> knownIds;

    public UnknownDomainException(String id, Collection<String> knownIds) {
        super("unknown domain '" + id + "'; known domains: " + List.copyOf(knownIds));
        this.id = id;
        this.knownIds = List.copyOf(knownIds);
    }

    public String id() {
        return id;
    }

    public List<String> knownIds() {
        return knownIds;
    }
}
