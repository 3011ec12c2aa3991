package dev.exitrl.trainer.model;

import ai.djl.Device;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.policy.Devices;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.policy.training.StepStats;
import dev.exitrl.trainer.TrainerProperties;
import dev.exitrl.trainer.TrainerProperties.WarmStart;
import dev.exitrl.trainer.checkpoint.AtomicDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The weights of version 0 of an experiment: a from-scratch preset (character vocabulary over the domain's
 * demonstrations plus printable ASCII) or a local Hugging Face checkpoint, optionally warm-started with supervised
 * steps on the domain's demonstrations.
 *
 * <p>The result is cached under {@code {checkpointDir}/warmstart/{key}}, the key covering everything that decides the
 * weights (model, domain and its version, seed, warm-start switch and settings), so every preset of one comparison
 * starts from byte-identical weights and the warm-start runs once. A cache entry is published atomically; a crash
 * mid-way leaves a temporary directory that the next build ignores and removes.
 *
 * <p>Choices of ours: presets get {@code max_position_embeddings} of at least {@link #PRESET_MIN_POSITIONS} (the
 * {@code tiny} preset has 512, and a countdown revision prompt with its previous attempt and feedback is already
 * about 500 characters, one token each; positions only size the rotary table). Warm-start targets end with EOS so
 * the model learns to stop; demonstrations longer than the model's positions are skipped.
 *
 * <p>Runs on the training thread only: warm-start uses DJL's global gradient collector.
 */
@Component
public class InitialPolicies {

    static final String CACHE_DIR = "warmstart";
    static final String INFO_FILE = "warmstart.json";
    static final int PRESET_MIN_POSITIONS = 2048;
    /** Demonstrations that decide the character vocabulary when warm-start is off. */
    static final int VOCABULARY_DEMONSTRATIONS = 500;
    /** Warm-start steps between progress lines in the log. */
    static final int PROGRESS_EVERY = 25;

    private static final Logger log = LoggerFactory.getLogger(InitialPolicies.class);

    private final Path cacheRoot;
    private final String device;
    private final WarmStart settings;
    private final TrainerProperties properties;
    private final DomainRegistry domains;

    @Autowired
    public InitialPolicies(TrainerProperties properties) {
        this(properties, DomainRegistry.standard());
    }

    InitialPolicies(TrainerProperties properties, DomainRegistry domains) {
        this.properties = properties;
        this.cacheRoot = properties.checkpointDir().resolve(CACHE_DIR);
        this.device = properties.device();
        this.settings = properties.warmStart();
        this.domains = domains;
    }

    /**
     * Whether version 0 is warm-started: {@code config.warmStart} when set, else on for presets (so a tiny model gets
     * non-zero rewards) and off for checkpoint directories. The one place that reads the switch.
     */
    static boolean warmStart(ExperimentConfig config, ModelSource source) {
        if (config.warmStart() != null) {
            return config.warmStart();
        }
        return source instanceof ModelSource.Preset;
    }

    /**
     * A directory in Hugging Face layout ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json},
     * and {@code tokenizer_config.json} when the source has one) holding version 0's weights; built on first use.
     *
     * @throws IllegalArgumentException naming {@code config.model} or {@code config.domain} when they are unusable
     */
    public Path versionZero(ExperimentConfig config) throws IOException {
        ModelSource source = ModelSource.parse(config.model());
        boolean warm = warmStart(config, source);
        if (source instanceof ModelSource.HfDirectory hf && !warm) {
            return hf.dir();
        }
        Domain domain = domains.find(config.domain())
                .orElseThrow(() -> new IllegalArgumentException(
                        "config.domain: unknown '" + config.domain() + "', known are " + domains.ids()));
        Path target = cacheRoot.resolve(cacheKey(config, source, domain, warm));
        if (Files.isDirectory(target)) {
            log.info(
                    "version 0 of model {} on {} (seed {}) reused from {}",
                    source.name(),
                    domain.id(),
                    config.seed(),
                    target);
            return target;
        }
        AtomicDirectories.cleanTemporaries(cacheRoot);
        Path temp = AtomicDirectories.tempFor(target);
        try {
            build(source, domain, config.seed(), warm, temp);
            AtomicDirectories.publish(temp, target);
        } finally {
            AtomicDirectories.deleteTree(temp);
        }
        return target;
    }

    /** Everything that decides version 0's weights, hashed; readable prefix for people browsing the directory. */
    String cacheKey(ExperimentConfig config, ModelSource source, Domain domain, boolean warm) {
        String identity = String.join(
                "|",
                "model=" + source.name(),
                "domain=" + domain.id() + "@" + domain.version(),
                // Prompts can change without a version bump: a few rendered demonstrations pin the text.
                "sample=" + sha256(demonstrationSample(domain, config.seed())),
                "seed=" + config.seed(),
                "warmStart=" + warm,
                warm
                        ? String.format(
                                Locale.ROOT,
                                "steps=%d,batch=%d,lr=%s,n=%d,clip=%s",
                                settings.steps(),
                                settings.batchSize(),
                                settings.learningRate(),
                                settings.demonstrations(),
                                properties.maxGradNorm())
                        : "");
        String readable = (source instanceof ModelSource.Preset ? source.name() : "hf") + "-" + domain.id() + "-seed"
                + config.seed() + (warm ? "-warm" : "-cold");
        return readable.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + sha256(identity).substring(0, 12);
    }

    private static String demonstrationSample(Domain domain, long seed) {
        StringBuilder text = new StringBuilder();
        for (Demonstration d : domain.demonstrations(seed, 6)) {
            text.append(d.prompt()).append('\u0000').append(d.response()).append('\u0000');
        }
        return text.toString();
    }

    private void build(ModelSource source, Domain domain, long seed, boolean warm, Path out) throws IOException {
        int count = warm ? settings.demonstrations() : VOCABULARY_DEMONSTRATIONS;
        List<Demonstration> demonstrations = domain.demonstrations(seed, count);
        try (Policy policy = open(source, demonstrations, seed, out)) {
            if (warm) {
                WarmStartReport report = warmStart(policy, demonstrations);
                Files.writeString(out.resolve(INFO_FILE), report.toJson());
                log.info(
                        "warm-start of {} on {} (seed {}): {} steps, loss {} -> {}, {} s",
                        source.name(),
                        domain.id(),
                        seed,
                        report.steps(),
                        report.firstLoss(),
                        report.lastLoss(),
                        report.seconds());
            }
            policy.save(out);
            if (source instanceof ModelSource.HfDirectory hf) {
                copyIfPresent(hf.dir().resolve("tokenizer_config.json"), out);
            }
        }
    }

    /** The model before warm-start: loaded, or created with its vocabulary written into {@code out}. */
    Policy open(ModelSource source, List<Demonstration> demonstrations, long seed, Path out) throws IOException {
        if (source instanceof ModelSource.HfDirectory hf) {
            return Policy.load(hf.dir(), device);
        }
        StringBuilder characters = new StringBuilder("\n\t");
        for (char c = ' '; c <= '~'; c++) {
            characters.append(c);
        }
        for (Demonstration d : demonstrations) {
            characters.append(d.prompt()).append(d.response());
        }
        int vocab = CharVocabulary.write(out, characters.toString());
        ModelConfig preset =
                ModelConfig.preset(source.name(), vocab, CharVocabulary.BOS, CharVocabulary.EOS, CharVocabulary.PAD);
        Device d = Devices.resolve(device);
        return Policy.create(preset.withAtLeastPositions(PRESET_MIN_POSITIONS), out.resolve("tokenizer.json"), d, seed);
    }

    /** What a warm-start did, kept beside the cached weights ({@code warmstart.json}). */
    record WarmStartReport(
            int steps,
            int demonstrations,
            int skipped,
            double firstLoss,
            double lastLoss,
            double seconds,
            long tokens) {
        String toJson() {
            return String.format(
                    Locale.ROOT,
                    "{\"steps\": %d, \"demonstrations\": %d, \"skipped\": %d, \"firstLoss\": %.6f, "
                            + "\"lastLoss\": %.6f, \"seconds\": %.3f, \"tokens\": %d}%n",
                    steps,
                    demonstrations,
                    skipped,
                    firstLoss,
                    lastLoss,
                    seconds,
                    tokens);
        }
    }

    /**
     * Supervised steps on the demonstrations, in order and cycling: target = response tokens + EOS after the
     * prompt's tokens (with the tokenizer's special tokens, as the rollout side encodes prompts).
     */
    WarmStartReport warmStart(Policy policy, List<Demonstration> demonstrations) {
        return warmStart(policy, demonstrations, settings);
    }

    WarmStartReport warmStart(Policy policy, List<Demonstration> demonstrations, WarmStart settings) {
        // The trainer's reference copy is not used by supervised steps; it is closed with the trainer.
        try (PolicyTrainer trainer = new PolicyTrainer(policy.model(), optimisation(settings))) {
            return warmStart(policy, demonstrations, settings, trainer, 0);
        }
    }

    /** AdamW settings of the warm-start: its learning rate, the trainer's decay, clip and micro-batch size. */
    GrpoConfig optimisation(WarmStart settings) {
        return properties.grpo(settings.learningRate(), 0.2, 0.0); // clip and KL unused by supervised steps
    }

    /**
     * {@code settings.steps()} supervised steps with {@code trainer}, starting at demonstration {@code first} (the
     * benchmark continues one optimizer across chunks this way).
     */
    WarmStartReport warmStart(
            Policy policy, List<Demonstration> demonstrations, WarmStart settings, PolicyTrainer trainer, int first) {
        ModelConfig mc = policy.model().config();
        List<long[]> prompts = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        int skipped = 0;
        for (Demonstration d : demonstrations) {
            long[] prompt = policy.tokenizer().encodePrompt(d.prompt());
            long[] response = policy.tokenizer().encodePlain(d.response());
            long[] target = new long[response.length + (mc.eosTokenId() >= 0 ? 1 : 0)];
            System.arraycopy(response, 0, target, 0, response.length);
            if (mc.eosTokenId() >= 0) {
                target[response.length] = mc.eosTokenId();
            }
            if (prompt.length == 0
                    || target.length == 0
                    || prompt.length + target.length > mc.maxPositionEmbeddings()) {
                skipped++;
                continue;
            }
            prompts.add(prompt);
            targets.add(target);
        }
        if (prompts.isEmpty()) {
            throw new IllegalStateException(
                    "warm-start: no demonstration fits the model's " + mc.maxPositionEmbeddings() + " positions");
        }
        long started = System.nanoTime();
        double firstLoss = Double.NaN;
        double last = Double.NaN;
        long tokens = 0;
        int next = first % prompts.size();
        for (int step = 0; step < settings.steps(); step++) {
            List<long[]> p = new ArrayList<>(settings.batchSize());
            List<long[]> t = new ArrayList<>(settings.batchSize());
            for (int i = 0; i < settings.batchSize(); i++) {
                p.add(prompts.get(next));
                t.add(targets.get(next));
                next = (next + 1) % prompts.size();
            }
            StepStats stats = trainer.supervisedStep(p, t);
            if (step == 0) {
                firstLoss = stats.loss();
            }
            last = stats.loss();
            tokens += stats.tokens();
            if ((step + 1) % PROGRESS_EVERY == 0) {
                log.info(
                        "warm-start step {}/{}: loss {}, {} s",
                        step + 1,
                        settings.steps(),
                        stats.loss(),
                        (System.nanoTime() - started) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new WarmStartReport(settings.steps(), prompts.size(), skipped, firstLoss, last, seconds, tokens);
    }

    private static void copyIfPresent(Path file, Path dir) throws IOException {
        if (Files.isRegularFile(file)) {
            Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
