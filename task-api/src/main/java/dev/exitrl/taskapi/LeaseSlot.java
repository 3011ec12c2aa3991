package dev.exitrl.taskapi;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;

/**
 * One prompt slot of a lease.
 *
 * @param slot          index within the lease (what a submit names)
 * @param instanceId    the task instance to roll out
 * @param baseTaskId    row id of its base task
 * @param depth         iteration depth k of the instance
 * @param stepKind      what to ask for (solve, improve, diverge, debug)
 * @param fromBuffer    selected from the buffer (else a uniformly drawn base task)
 * @param baseTask      the base task (domain, id, split, problem, data)
 * @param history       the partial history (turns of latest responses and feedback); empty at depth 0
 * @param prompt        the prompt the domain renders for this step
 * @param parentQuality quality of the response being revised (the latest turn's); null at depth 0 or when unknown
 * @param rewardMode    the experiment's effective reward mode
 * @param groupSize     G, rollouts to submit for this slot
 */
public record LeaseSlot(
        int slot,
        long instanceId,
        long baseTaskId,
        int depth,
        StepKind stepKind,
        boolean fromBuffer,
        BaseTask baseTask,
        History history,
        String prompt,
        Double parentQuality,
        RewardMode rewardMode,
        int groupSize) {}
