package dev.exitrl.rollout.engine;

import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-turn domains (math, countdown): one batched generate call; the response revises the current turn
 * ({@code TaskInstance.answeredWith}). The engine adds the verifier's feedback to the child's latest turn after
 * verifying; the domains' revision prompts show the request and the latest response only (appendix B), and only a
 * DEBUG step shows an error trace.
 */
public final class SingleTurnEnvironment implements RolloutEnvironment {
    @Override
    public List<Episode> play(List<Row> rows, PolicyView policy, SamplingParams params) {
        List<long[]> prompts = new ArrayList<>(rows.size());
        for (Row row : rows) {
            prompts.add(row.promptIds());
        }
        List<Generation> generations = policy.generate(prompts, params);
        if (generations.size() != rows.size()) {
            throw new IllegalStateException(
                    "the policy returned " + generations.size() + " generations for " + rows.size() + " prompts");
        }
        List<Episode> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            RolloutSlot slot = rows.get(i).slot();
            Generation g = generations.get(i);
            var instance = TaskInstance.of(slot.task().ref(), slot.history());
            out.add(new Episode(
                    g.text(),
                    instance.answeredWith(g.text(), null),
                    null,
                    g.tokenIds(),
                    g.logProbs(),
                    g.finishReason()));
        }
        return out;
    }
}
