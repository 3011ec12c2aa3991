package dev.exitrl.core.domain;

import java.util.List;

/** Generated base tasks: a training split and a held-out test split with no task in common. */
public record TaskSplits(List<BaseTask> train, List<BaseTask> test) {
    public TaskSplits {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }
}
