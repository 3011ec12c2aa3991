package dev.exitrl.core.domain;

import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import java.util.List;

/** A minimal extra domain, registered through META-INF/services in the test class path. */
public final class EchoTestDomain implements Domain {
    @Override
    public String id() {
        return "echo-test";
    }

    @Override
    public String version() {
        return "0";
    }

    @Override
    public RewardMode defaultRewardMode() {
        return RewardMode.ABSOLUTE;
    }

    @Override
    public TaskSplits generate(GeneratorSpec spec) {
        return new TaskSplits(List.of(), List.of());
    }

    @Override
    public String renderPrompt(BaseTask task, StepKind kind, History history) {
        return RevisionPrompts.render(task.problem(), "Repeat it.", kind, history);
    }

    @Override
    public String parseAnswer(String response) {
        return response;
    }

    @Override
    public Verification verify(BaseTask task, String response) {
        boolean same = task.problem().equals(response);
        return new Verification(same ? 1 : 0, same, null, response);
    }

    @Override
    public List<Demonstration> demonstrations(long seed, int n) {
        return List.of();
    }
}
