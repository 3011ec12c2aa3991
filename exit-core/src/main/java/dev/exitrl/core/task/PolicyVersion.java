package dev.exitrl.core.task;

/** A published version of the policy's weights; version 0 is the initial model. */
public record PolicyVersion(long number) implements Comparable<PolicyVersion> {
    public static final PolicyVersion INITIAL = new PolicyVersion(0);

    public PolicyVersion {
        if (number < 0) {
            throw new IllegalArgumentException("policy version must be >= 0, was " + number);
        }
    }

    public PolicyVersion next() {
        return new PolicyVersion(number + 1);
    }

    @Override
    public int compareTo(PolicyVersion other) {
        return Long.compare(number, other.number);
    }
}
