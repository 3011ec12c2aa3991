package dev.exitrl.task.lease;

import dev.exitrl.core.task.StepKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A lease: the slots a worker rolls out, each with everything needed to build, sample and verify its prompt. */
public record LeaseView(
        UUID leaseId, UUID experimentId, String workerId, long policyVersion, Instant expiresAt, List<Slot> slots) {
    /**
     * @param instanceId the task instance to roll out
     * @param depth      iteration depth k of the instance
     * @param stepKind   what to ask for (solve, improve, diverge, debug)
     * @param fromBuffer selected from the buffer (else a uniformly drawn base task)
     * @param baseTask   the base task as the domain stores it (domain, id, split, problem, data)
     * @param history    the partial history (turns of latest responses and feedback)
     * @param prompt     the prompt the domain renders for this step
     */
    public record Slot(
            int slot,
            long instanceId,
            int depth,
            StepKind stepKind,
            boolean fromBuffer,
            JsonNode baseTask,
            JsonNode history,
            String prompt) {}
}
