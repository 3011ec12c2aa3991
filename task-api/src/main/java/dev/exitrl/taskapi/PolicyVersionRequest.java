package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The trainer announces a policy version and where its weights are: workers learn it from the task space, so the
 * rollout and trainer services never call each other.
 *
 * @param version       the new version (only forward, or the current one again to re-announce its checkpoint)
 * @param checkpointUri an http(s) URI the workers download the checkpoint archive from
 * @param sha256        hex SHA-256 of that archive (64 lower-case hex digits)
 */
public record PolicyVersionRequest(
        @Schema(example = "3") @Min(0) long version,

        @Schema(
                example =
                        "http://localhost:8083/api/trainer/experiments/6f1c2d4e-0000-4000-8000-000000000001/checkpoints/3")
        @NotBlank
        @Size(max = 2048)
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URI")
        String checkpointUri,

        @Schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        @NotBlank
        @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits")
        String sha256) {}
