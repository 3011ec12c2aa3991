package dev.exitrl.task.experiment;

import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.ExperimentRequests;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.FieldError;
import dev.exitrl.task.web.InvalidRequestException;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Creates experiments from validated configurations and moves them through their life cycle. */
@Service
public class ExperimentService {
    /** Allowed status changes; anything else is a 409. */
    private static final Map<ExperimentStatus, Set<ExperimentStatus>> TRANSITIONS = Map.of(
            ExperimentStatus.CREATED, EnumSet.of(ExperimentStatus.RUNNING, ExperimentStatus.FAILED),
            ExperimentStatus.RUNNING,
                    EnumSet.of(ExperimentStatus.PAUSED, ExperimentStatus.COMPLETED, ExperimentStatus.FAILED),
            ExperimentStatus.PAUSED,
                    EnumSet.of(ExperimentStatus.RUNNING, ExperimentStatus.COMPLETED, ExperimentStatus.FAILED),
            ExperimentStatus.COMPLETED, EnumSet.noneOf(ExperimentStatus.class),
            ExperimentStatus.FAILED, EnumSet.noneOf(ExperimentStatus.class));

    private final ExperimentRepository repository;
    private final ObjectMapper mapper;
    private final DomainRegistry domains;
    private final ExperimentLocks locks;

    ExperimentService(
            ExperimentRepository repository, ObjectMapper mapper, DomainRegistry domains, ExperimentLocks locks) {
        this.repository = repository;
        this.mapper = mapper;
        this.domains = domains;
        this.locks = locks;
    }

    @Transactional
    public ExperimentView create(String name, JsonNode configRequest) {
        var result = ExperimentRequests.read(mapper, configRequest);
        var errors = new ArrayList<FieldError>();
        result.violations()
                .forEach(v -> errors.add(
                        new FieldError(v.field().isEmpty() ? "config" : "config." + v.field(), v.message())));
        if (result.config() != null && domains.find(result.config().domain()).isEmpty()) {
            errors.add(new FieldError(
                    "config.domain",
                    "unknown domain '" + result.config().domain() + "'; known: " + String.join(", ", domains.ids())));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        ExperimentConfig config = result.config();
        var experiment = new Experiment(
                name, config.domain(), config.preset().id(), config.seed(), mapper.writeValueAsString(config));
        return view(repository.saveAndFlush(experiment));
    }

    @Transactional(readOnly = true)
    public List<ExperimentView> list() {
        return repository.findAll(Sort.by("createdAt")).stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    public ExperimentView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public ExperimentView changeStatus(UUID id, ExperimentStatus target) {
        var status = locks.lock(id).status();
        if (status != target && !TRANSITIONS.get(status).contains(target)) {
            throw new ConflictException("experiment " + id + " cannot go from " + status + " to " + target
                    + "; allowed: " + TRANSITIONS.get(status));
        }
        return setStatus(id, target);
    }

    /**
     * A lifecycle verb: moves the experiment to {@code target} if its status is one of {@code from}, else 409. One
     * transaction under the experiment's row lock, so it cannot interleave with a budget completion.
     */
    @Transactional
    public ExperimentView transition(UUID id, String verb, Set<ExperimentStatus> from, ExperimentStatus target) {
        var status = locks.lock(id).status();
        if (!from.contains(status)) {
            throw new ConflictException(
                    "cannot " + verb + " experiment " + id + ": it is " + status + "; " + verb + " needs " + from);
        }
        return setStatus(id, target);
    }

    private ExperimentView setStatus(UUID id, ExperimentStatus target) {
        var experiment = find(id);
        experiment.changeStatus(target);
        return view(repository.saveAndFlush(experiment));
    }

    /** The stored configuration of an experiment. */
    public ExperimentConfig config(Experiment experiment) {
        return mapper.readValue(experiment.getConfig(), ExperimentConfig.class);
    }

    Experiment find(UUID id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("experiment", id));
    }

    private ExperimentView view(Experiment e) {
        return new ExperimentView(
                e.getId(),
                e.getName(),
                e.getDomain(),
                e.getPreset(),
                e.getStatus(),
                e.getSeed(),
                e.getPolicyVersion(),
                e.getCheckpointUri(),
                e.getCheckpointSha256(),
                config(e),
                e.getCreatedAt(),
                e.getUpdatedAt());
    }
}
