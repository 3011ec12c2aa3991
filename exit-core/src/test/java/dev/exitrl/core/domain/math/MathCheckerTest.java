package dev.exitrl.core.domain.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MathCheckerTest {

    /** Rows of a table: category, reference, prediction (or response), expected verdict. */
    static List<Arguments> table(String resource) throws IOException {
        try (InputStream in = MathCheckerTest.class.getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(line -> {
                        String[] cols = line.split("\t");
                        if (cols.length != 4 || !cols[3].matches("true|false")) {
                            throw new IllegalStateException("bad table row: " + line);
                        }
                        return Arguments.of(
                                cols[0], cols[1], cols[2].replace("⏎", "\n"), Boolean.parseBoolean(cols[3]));
                    })
                    .toList();
        }
    }

    static List<Arguments> answers() throws IOException {
        return table("math-checker-answers.tsv");
    }

    static List<Arguments> responses() throws IOException {
        return table("math-checker-responses.tsv");
    }

    @ParameterizedTest(name = "[{index}] {0}: ref {1} ~ {2} -> {3}")
    @MethodSource("answers")
    void answerTable(String category, String reference, String predicted, boolean expected) {
        assertThat(MathChecker.equivalent(predicted, reference)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: ref {1} <- {2} -> {3}")
    @MethodSource("responses")
    void responseTable(String category, String reference, String response, boolean expected) {
        assertThat(MathChecker.check(response, reference)).isEqualTo(expected);
    }

    @Test
    void tablesCoverEveryCategoryWithBothVerdicts() throws IOException {
        List<Arguments> rows = new ArrayList<>(answers());
        rows.addAll(responses());
        assertThat(rows).hasSizeGreaterThanOrEqualTo(250);
        Map<String, Map<Boolean, Long>> verdicts = rows.stream()
                .collect(Collectors.groupingBy(
                        a -> (String) a.get()[0],
                        Collectors.groupingBy(a -> (Boolean) a.get()[3], Collectors.counting())));
        assertThat(verdicts.keySet())
                .containsAll(List.of(
                        "integer",
                        "fraction",
                        "repeating",
                        "scientific",
                        "percent",
                        "radical",
                        "pi",
                        "complex",
                        "polynomial",
                        "relation",
                        "interval",
                        "collection",
                        "matrix",
                        "unit",
                        "choice",
                        "text",
                        "variable",
                        "adversarial",
                        "extract"));
        verdicts.forEach(
                (category, counts) -> assertThat(counts.keySet()).as(category).containsExactlyInAnyOrder(true, false));
    }
}
