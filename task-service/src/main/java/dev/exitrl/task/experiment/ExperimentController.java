package dev.exitrl.task.experiment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Experiments: create (validated against exit-core's rules), read, list, change status. */
@RestController
@RequestMapping("/api/experiments")
class ExperimentController {
    private final ExperimentService experiments;

    ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    /**
     * @param name   a label for people
     * @param config {@code domain} and {@code preset} are required; every other field of exit-core's
     *               ExperimentConfig is optional and overrides the paper's defaults for that domain and preset
     */
    record CreateExperiment(
            @NotBlank @Size(max = 200) String name, @NotNull JsonNode config) {}

    record StatusChange(@NotNull ExperimentStatus status) {}

    @PostMapping
    ResponseEntity<ExperimentView> create(@Valid @RequestBody CreateExperiment request) {
        ExperimentView created = experiments.create(request.name(), request.config());
        return ResponseEntity.created(URI.create("/api/experiments/" + created.id()))
                .body(created);
    }

    @GetMapping
    List<ExperimentView> list() {
        return experiments.list();
    }

    @GetMapping("/{experimentId}")
    ExperimentView get(@PathVariable UUID experimentId) {
        return experiments.get(experimentId);
    }

    @PostMapping("/{experimentId}/status")
    ExperimentView changeStatus(@PathVariable UUID experimentId, @Valid @RequestBody StatusChange request) {
        return experiments.changeStatus(experimentId, request.status());
    }
}
