package dev.exitrl.taskapi;

import dev.exitrl.core.domain.Split;
import java.util.Map;

/** What a generate or import call added, and the counts per split after it. */
public record TasksAdded(int added, Map<Split, Integer> counts) {}
