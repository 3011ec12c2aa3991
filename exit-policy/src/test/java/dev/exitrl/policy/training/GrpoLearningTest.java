package dev.exitrl.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.policy.Policy;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GRPO on a toy verifiable reward: the share of 'a' characters in an 8-token answer. */
class GrpoLearningTest {

    static final int NEW_TOKENS = 8;

    static double reward(String text) {
        long as = text.chars().filter(c -> c == 'a').count();
        return (double) as / NEW_TOKENS;
    }

    @Test
    void meanRewardRises(@TempDir Path dir) throws Exception {
        try (Policy policy = TinyPolicies.create(dir, "abcdefgh", 42);
                PolicyTrainer trainer = new PolicyTrainer(
                        policy.model(), new GrpoConfig(3e-3, 0.2, 0.001, 0.0, 1.0, 16, 0.9, 0.999, 1e-8))) {
            List<String> prompts = List.of("bc", "hd", "eg", "fa");
            int groupSize = 8;
            double first = 0;
            double last = 0;
            int steps = 30;
            for (int step = 0; step < steps; step++) {
                List<String> batch = new ArrayList<>();
                for (String p : prompts) {
                    for (int g = 0; g < groupSize; g++) {
                        batch.add(p);
                    }
                }
                List<Generation> gens = policy.generate(batch, SamplingParams.sample(NEW_TOKENS, 1000 + step));
                List<List<TrainingSample>> groups = new ArrayList<>();
                double mean = 0;
                for (int i = 0; i < prompts.size(); i++) {
                    double[] r = new double[groupSize];
                    double mu = 0;
                    for (int g = 0; g < groupSize; g++) {
                        r[g] = reward(gens.get(i * groupSize + g).text());
                        mu += r[g] / groupSize;
                    }
                    double var = 0;
                    for (double x : r) {
                        var += (x - mu) * (x - mu) / groupSize;
                    }
                    List<TrainingSample> group = new ArrayList<>();
                    for (int g = 0; g < groupSize; g++) {
                        Generation gen = gens.get(i * groupSize + g);
                        double adv = (r[g] - mu) / (Math.sqrt(var) + 1e-4);
                        group.add(new TrainingSample(
                                policy.tokenizer().encode(prompts.get(i)), gen.tokenIds(), gen.logProbs(), adv));
                    }
                    groups.add(group);
                    mean += mu / prompts.size();
                }
                if (step < 3) {
                    first += mean / 3;
                }
                if (step >= steps - 3) {
                    last += mean / 3;
                }
                StepStats stats = trainer.grpoStep(groups);
                assertThat(stats.loss()).isFinite();
                assertThat(stats.gradNorm()).isFinite().isPositive();
            }
            System.out.printf("GRPO toy reward: first %.3f -> last %.3f%n", first, last);
            assertThat(last).isGreaterThan(first + 0.3);
        }
    }

    @Test
    void warmStartLowersSupervisedLoss(@TempDir Path dir) throws Exception {
        try (Policy policy = TinyPolicies.create(dir, "0123456789+=", 7);
                PolicyTrainer trainer = new PolicyTrainer(policy.model(), GrpoConfig.defaults(3e-3))) {
            List<long[]> prompts = new ArrayList<>();
            List<long[]> targets = new ArrayList<>();
            for (int a = 1; a <= 4; a++) {
                prompts.add(policy.tokenizer().encode(a + "+" + a + "="));
                targets.add(policy.tokenizer().encodePlain(Integer.toString(2 * a)));
            }
            double firstLoss = trainer.supervisedStep(prompts, targets).loss();
            double lastLoss = firstLoss;
            for (int i = 0; i < 40; i++) {
                lastLoss = trainer.supervisedStep(prompts, targets).loss();
            }
            System.out.printf("warm-start loss: %.3f -> %.3f%n", firstLoss, lastLoss);
            assertThat(firstLoss).isGreaterThan(Math.log(10)); // about uniform over the vocabulary at the start
            assertThat(lastLoss).isLessThan(firstLoss * 0.3);
        }
    }
}
