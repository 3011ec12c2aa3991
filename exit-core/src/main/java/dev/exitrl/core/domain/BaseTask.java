package dev.exitrl.core.domain;

import dev.exitrl.core.task.BaseTaskRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A base task {@code m} with its content: the problem statement shown to the policy and a domain-specific JSON
 * payload ({@code data}) that the domain's verifier reads (the answer, the numbers and target, ...). The payload is
 * plain JSON so that the task store can keep it as JSONB; {@link TaskJson} turns a whole task into JSON text and back.
 *
 * <p>Ids are content hashes ({@link #contentId}), so regenerating with the same seed, or importing the same file
 * again, yields the same ids.
 *
 * @param domain  the domain id ({@code math}, {@code countdown})
 * @param id      the task id, unique within the domain
 * @param split   train or test
 * @param problem the problem statement, as rendered into prompts
 * @param data    the domain's payload, a JSON object (copied, so later changes to the argument do not leak in)
 */
public record BaseTask(String domain, String id, Split split, String problem, JsonNode data) {
    public BaseTask {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(problem, "problem");
        if (domain.isBlank()) {
            throw new IllegalArgumentException("domain must not be blank");
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (problem.isBlank()) {
            throw new IllegalArgumentException("problem must not be blank");
        }
        data = data == null ? JsonNodeFactory.instance.objectNode() : data.deepCopy();
        if (!data.isObject()) {
            throw new IllegalArgumentException("data must be a JSON object, was " + data.getNodeType());
        }
    }

    /** The reference the algorithm and the task store use for this task. */
    public BaseTaskRef ref() {
        return new BaseTaskRef(domain, id);
    }

    /**
     * A stable id for a task whose identity is {@code contentKey}: {@code <domain>-<first 16 hex digits of
     * SHA-256(domain, key)>}. Equal content gives equal ids across runs and machines.
     */
    public static String contentId(String domain, String contentKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(domain.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(contentKey.getBytes(StandardCharsets.UTF_8));
            return domain + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
