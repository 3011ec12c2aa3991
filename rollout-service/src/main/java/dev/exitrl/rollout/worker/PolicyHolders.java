package dev.exitrl.rollout.worker;

import dev.exitrl.policy.Policy;
import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.sync.CheckpointDownloader;
import dev.exitrl.rollout.sync.PolicyHolder;
import dev.exitrl.security.InternalAuthProperties;
import dev.exitrl.taskapi.ExperimentView;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One {@link PolicyHolder} per experiment, shared by the experiment's worker loop and its evaluations, so a version is
 * downloaded and loaded once per worker. Closed with the application.
 */
@Component
public class PolicyHolders implements AutoCloseable {
    private final RolloutProperties properties;
    private final CheckpointDownloader downloader;
    private final RolloutMetrics metrics;
    private final Map<UUID, PolicyHolder> holders = new ConcurrentHashMap<>();

    /** Holders whose downloads send no internal token (tests against a plain checkpoint server). */
    public PolicyHolders(RolloutProperties properties, RolloutMetrics metrics) {
        this(properties, metrics, (String) null);
    }

    /** Holders whose downloads send {@code internalToken} (null: none) to the trainer. */
    public PolicyHolders(RolloutProperties properties, RolloutMetrics metrics, String internalToken) {
        this.properties = properties;
        this.downloader = new CheckpointDownloader(properties.downloadTimeout(), internalToken);
        this.metrics = metrics;
    }

    @Autowired
    public PolicyHolders(RolloutProperties properties, RolloutMetrics metrics, InternalAuthProperties auth) {
        this(properties, metrics, auth.outgoingToken().orElse(null));
    }

    public PolicyHolder of(UUID experiment) {
        return holders.computeIfAbsent(
                experiment,
                id -> new PolicyHolder(
                        id.toString(),
                        properties.cacheDir().resolve(id.toString()),
                        downloader,
                        dir -> Policy.load(dir, properties.device())));
    }

    /**
     * Brings the experiment's holder to the announced version when it is newer (download, check, load, swap).
     *
     * @return the holder
     * @throws IOException on a refused or failed download (the holder keeps its current version)
     */
    public PolicyHolder sync(ExperimentView view) throws IOException, InterruptedException {
        PolicyHolder holder = of(view.id());
        if (view.hasCheckpoint()) {
            holder.update(view.policyVersion(), URI.create(view.checkpointUri()), view.checkpointSha256());
            holder.version().ifPresent(v -> metrics.policyVersion(view.id(), v));
        }
        return holder;
    }

    /** The version each experiment's batches now get (experiments without a loaded version are left out). */
    public Map<UUID, Long> versions() {
        Map<UUID, Long> out = new TreeMap<>();
        holders.forEach((id, holder) -> holder.version().ifPresent(v -> out.put(id, v)));
        return out;
    }

    @Override
    public void close() {
        holders.values().forEach(PolicyHolder::close);
        holders.clear();
    }
}
