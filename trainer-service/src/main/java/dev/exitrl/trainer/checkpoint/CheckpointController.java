package dev.exitrl.trainer.checkpoint;

import dev.exitrl.trainer.ProblemHandler.BadRequestException;
import dev.exitrl.trainer.ProblemHandler.NotFoundException;
import dev.exitrl.trainer.TrainerProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the policy versions that workers download: the list, and each version's {@code policy.zip}. */
@Tag(name = "Checkpoints", description = "Policy versions that rollout workers download")
@RestController
@RequestMapping("/api/trainer/experiments/{id}/checkpoints")
class CheckpointController {

    static final String SHA256_HEADER = "X-Checkpoint-Sha256";

    private final CheckpointStore store;
    private final URI publicUrl;

    CheckpointController(CheckpointStore store, TrainerProperties properties) {
        this.store = store;
        this.publicUrl = properties.publicUrl();
    }

    record CheckpointView(long version, String sha256, long bytes, URI uri) {}

    record CheckpointList(UUID experimentId, List<CheckpointView> checkpoints) {}

    @Operation(summary = "List the policy versions kept on disk with their SHA-256, size and download URI")
    @GetMapping
    CheckpointList list(@PathVariable("id") String id) {
        UUID experiment = experimentId(id);
        return new CheckpointList(
                experiment,
                store.list(experiment).stream()
                        .map(c -> new CheckpointView(
                                c.version(),
                                c.sha256(),
                                c.bytes(),
                                CheckpointUris.of(publicUrl, experiment, c.version())))
                        .toList());
    }

    @Operation(summary = "Download one policy version as policy.zip (X-Checkpoint-Sha256 header)")
    @GetMapping("/{version}")
    ResponseEntity<Resource> download(@PathVariable("id") String id, @PathVariable("version") String version)
            throws IOException {
        UUID experiment = experimentId(id);
        long v = version(version);
        CheckpointStore.Checkpoint c = store.find(experiment, v)
                .orElseThrow(() -> new NotFoundException("experiment " + experiment + " has no checkpoint v" + v));
        InputStream in;
        try {
            // Opened before answering: retention may delete the name afterwards, the open file stays readable.
            in = Files.newInputStream(c.policyZip());
        } catch (NoSuchFileException e) {
            throw new NotFoundException("experiment " + experiment + " has no checkpoint v" + v);
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .contentLength(c.bytes())
                .header(SHA256_HEADER, c.sha256())
                .header("Content-Disposition", "attachment; filename=\"policy-v" + v + ".zip\"")
                .body(new InputStreamResource(in));
    }

    private static UUID experimentId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("id", "must be an experiment id (UUID), was '" + id + "'");
        }
    }

    private static long version(String version) {
        if (version.matches("0|[1-9][0-9]{0,17}")) {
            return Long.parseLong(version);
        }
        throw new BadRequestException("version", "must be a whole number >= 0, was '" + version + "'");
    }
}
