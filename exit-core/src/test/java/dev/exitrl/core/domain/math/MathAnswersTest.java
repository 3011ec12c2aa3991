package dev.exitrl.core.domain.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MathAnswersTest {

    static List<Arguments> equivalenceTable() throws IOException {
        try (InputStream in = MathAnswersTest.class.getResourceAsStream("answer-equivalence.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(line -> {
                        String[] cols = line.split("\t");
                        if (cols.length != 3) {
                            throw new IllegalStateException("bad table row: " + line);
                        }
                        return Arguments.of(cols[0], cols[1], Boolean.parseBoolean(cols[2]));
                    })
                    .toList();
        }
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
    @MethodSource("equivalenceTable")
    void answerEquivalenceTable(String predicted, String reference, boolean expected) {
        assertThat(MathAnswers.equivalent(predicted, reference)).isEqualTo(expected);
        // equivalence is symmetric
        assertThat(MathAnswers.equivalent(reference, predicted)).isEqualTo(expected);
    }

    @Test
    void tableHasAtLeastEightyCasesOfBothKinds() throws IOException {
        List<Arguments> rows = equivalenceTable();
        long equivalent = rows.stream().filter(a -> (Boolean) a.get()[2]).count();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(80);
        assertThat(equivalent).isGreaterThan(20);
        assertThat(rows.size() - equivalent).isGreaterThan(20);
    }

    @Test
    void extractsLastBoxedWithNestedBraces() {
        String response = "First try \\boxed{3}. Actually the answer is \\boxed{\\frac{\\sqrt{3}}{2}}.";
        assertThat(MathAnswers.extract(response)).isEqualTo("\\frac{\\sqrt{3}}{2}");
    }

    @Test
    void boxedSetWithEscapedBracesIsExtractedWhole() {
        assertThat(MathAnswers.extract("so \\boxed{\\{1, 2\\}}")).isEqualTo("\\{1, 2\\}");
    }

    @Test
    void fallsBackToTheLastAnswerLine() {
        String response = "Answer: 4\nwait, recheck\n**Final Answer:** 5 apples\n";
        assertThat(MathAnswers.extract(response)).isEqualTo("5 apples");
        assertThat(MathAnswers.extract("answer: -1/2")).isEqualTo("-1/2");
    }

    @Test
    void boxedWinsOverAnswerLine() {
        assertThat(MathAnswers.extract("\\boxed{7}\nAnswer: 8")).isEqualTo("7");
    }

    @Test
    void noAnswerOrUnbalancedBoxGivesNull() {
        assertThat(MathAnswers.extract("I think it is 7")).isNull();
        assertThat(MathAnswers.extract("\\boxed{7")).isNull();
        assertThat(MathAnswers.extract("Answer:   ")).isNull();
        assertThat(MathAnswers.extract(null)).isNull();
    }

    @Test
    void hostileInputDoesNotThrow() {
        Stream.of(
                        "\\frac{1}{0}",
                        "2^{100000}",
                        "\\sqrt{-4}",
                        "3 1/0",
                        "\\sqrt{99999999999999999999}",
                        "((((",
                        "}{",
                        "\\frac",
                        "1/0",
                        "0^{-1}",
                        "\\sqrt[0]{4}")
                .forEach(s -> assertThat(MathAnswers.equivalent(s, "1")).as(s).isFalse());
    }
}
