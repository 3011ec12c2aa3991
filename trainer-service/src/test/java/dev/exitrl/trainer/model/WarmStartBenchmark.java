package dev.exitrl.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.trainer.TestSupport;
import dev.exitrl.trainer.TrainerProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-start on the {@code tiny} preset and countdown as a learning curve: after every chunk of steps, the mean
 * verifier quality of first answers to held-out puzzles (sampled at temperature 1, as rollouts are, and greedy) and
 * the time so far. Non-zero sampled quality is what GRPO needs to start. Tagged {@code bench}:
 * {@code ./mvnw -B -Pbench -pl trainer-service -am verify -Dtest=WarmStartBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dwarmstart.steps=400 -Dwarmstart.batch=8 -Dwarmstart.lr=0.005]}.
 */
@Tag("bench")
class WarmStartBenchmark {

    @TempDir
    Path dir;

    @Test
    void warmStartLearningCurveOnCountdown() throws Exception {
        TrainerProperties.WarmStart defaults = TestSupport.defaultWarmStart();
        int steps = Integer.getInteger("warmstart.steps", defaults.steps());
        int chunk = Integer.getInteger("warmstart.chunk", 50);
        int batch = Integer.getInteger("warmstart.batch", defaults.batchSize());
        double lr = Double.parseDouble(System.getProperty("warmstart.lr", Double.toString(defaults.learningRate())));
        TrainerProperties.WarmStart each = new TrainerProperties.WarmStart(chunk, batch, lr, defaults.demonstrations());
        InitialPolicies initial = new InitialPolicies(TestSupport.properties(dir, each));
        Domain countdown = DomainRegistry.standard().get("countdown");
        List<Demonstration> demos = countdown.demonstrations(0, defaults.demonstrations());
        List<BaseTask> tasks =
                countdown.generate(new GeneratorSpec(7, 2, 1, 64)).test();
        List<String> prompts = new ArrayList<>();
        for (BaseTask t : tasks) {
            prompts.add(countdown.renderPrompt(t, StepKind.SOLVE, History.empty()));
        }
        double sampled = 0;
        long cpu0 = cpuNanos();
        long wall0 = System.nanoTime();
        try (Policy policy = initial.open(new ModelSource.Preset("tiny"), demos, 0, dir);
                PolicyTrainer trainer = new PolicyTrainer(policy.model(), initial.optimisation(each))) {
            for (int done = 0; done < steps; done += chunk) {
                InitialPolicies.WarmStartReport r = initial.warmStart(policy, demos, each, trainer, done * batch);
                List<Generation> hot =
                        policy.generate(prompts, new SamplingParams(48, 1.0, 1.0, 0, List.of(), true, 11L));
                List<Generation> cold =
                        policy.generate(prompts, new SamplingParams(48, 0.0, 1.0, 0, List.of(), true, 11L));
                double s = 0;
                double g = 0;
                int valid = 0;
                for (int i = 0; i < tasks.size(); i++) {
                    double q = countdown.verify(tasks.get(i), hot.get(i).text()).quality();
                    s += q;
                    valid += q > 0 ? 1 : 0;
                    g += countdown.verify(tasks.get(i), cold.get(i).text()).quality();
                }
                sampled = s / tasks.size();
                System.out.printf(
                        "| %d steps x %d, lr %s | loss %.3f | sampled quality %.3f (%d/%d valid) | greedy %.3f |"
                                + " %.0f s wall, %.0f s CPU | e.g. %s |%n",
                        done + chunk,
                        batch,
                        lr,
                        r.lastLoss(),
                        sampled,
                        valid,
                        tasks.size(),
                        g / tasks.size(),
                        (System.nanoTime() - wall0) / 1e9,
                        (cpuNanos() - cpu0) / 1e9,
                        hot.get(0).text().replace("\n", "\\n"));
            }
        }
        assertThat(sampled).isGreaterThan(0.0);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
