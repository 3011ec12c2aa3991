package dev.exitrl.core.domain.countdown;

import dev.exitrl.core.domain.Arithmetic;
import dev.exitrl.core.domain.Arithmetic.Expr;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A countdown instance: the given numbers, the target, and one exact solution (recorded at generation, so that
 * every task is known to be solvable). Payload: {@code {"numbers":[..],"target":t,"solution":"expr","difficulty":d}}.
 */
record CountdownPuzzle(List<Integer> numbers, int target, Expr solution, int difficulty) {
    CountdownPuzzle {
        numbers = List.copyOf(numbers);
    }

    String problem() {
        return "Numbers: " + numbers.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "\nTarget: "
                + target;
    }

    /** Identity of the content: the numbers as a multiset and the target (order of the numbers does not matter). */
    String contentKey() {
        return numbers.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")) + "->" + target;
    }

    ObjectNode payload() {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        numbers.forEach(data.putArray("numbers")::add);
        data.put("target", target);
        data.put("solution", Arithmetic.render(solution));
        data.put("difficulty", difficulty);
        return data;
    }

    BaseTask toTask(Split split) {
        return new BaseTask(
                CountdownDomain.ID, BaseTask.contentId(CountdownDomain.ID, contentKey()), split, problem(), payload());
    }

    /** The numbers and target stored in a task's payload. */
    static Instance read(BaseTask task) {
        JsonNode data = task.data();
        JsonNode numbers = data.get("numbers");
        JsonNode target = data.get("target");
        if (numbers == null || !numbers.isArray() || numbers.isEmpty()) {
            throw new IllegalArgumentException(
                    "countdown task " + task.id() + ": data.numbers must be a non-empty array");
        }
        if (target == null || !target.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("countdown task " + task.id() + ": data.target must be an integer");
        }
        List<Integer> list = new ArrayList<>();
        for (JsonNode n : numbers) {
            if (!n.canConvertToExactIntegral()) {
                throw new IllegalArgumentException("countdown task " + task.id() + ": data.numbers must be integers");
            }
            list.add(n.asInt());
        }
        return new Instance(List.copyOf(list), target.asInt());
    }

    /** What the verifier needs: the numbers and the target. */
    record Instance(List<Integer> numbers, int target) {}
}
