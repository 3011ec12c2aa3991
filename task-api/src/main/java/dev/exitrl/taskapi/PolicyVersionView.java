package dev.exitrl.taskapi;

import java.util.UUID;

/** The experiment's policy version after an announcement, with its checkpoint. */
public record PolicyVersionView(UUID experimentId, long policyVersion, String checkpointUri, String sha256) {}
