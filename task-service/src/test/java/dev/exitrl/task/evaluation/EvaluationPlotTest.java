package dev.exitrl.task.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.TaskServiceTestBase;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.testsupport.TestTokens;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The quality-vs-step plot is rendered server-side, one line per evaluation, as SVG and PNG. */
class EvaluationPlotTest extends TaskServiceTestBase {
    @Test
    void overlaysEvaluationsAsSvgAndPng() throws Exception {
        UUID experiment = api.running("{\"domain\":\"countdown\",\"preset\":\"exit\",\"seed\":2}");
        api.client.generateTasks(experiment, new GenerateTasks(1, 1, 2, 3));
        var tasks = api.client.listTasks(experiment, Split.TEST, 0, 10);
        UUID rising = evaluation(experiment, tasks.get(0).id(), "exit-rising", 0.2, 0.5, 0.8);
        UUID flat = evaluation(experiment, tasks.get(1).id(), "grpo-flat", 0.4, 0.4, 0.4);

        var svg = get("/api/evaluations/plot.svg?ids=" + rising + "," + flat);
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        String text = new String(svg.body());
        // Text is drawn as outlines, so count drawn elements: two lines draw more than one.
        assertThat(text).contains("<svg");
        String single =
                new String(get("/api/evaluations/" + rising + "/plot.svg").body());
        assertThat(count(text, "<path")).isGreaterThan(count(single, "<path"));

        var png = get("/api/experiments/" + experiment + "/evaluations/plot.png");
        assertThat(png.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(EvaluationPlots.WIDTH);
        assertThat(colouredPixels(image)).as("pixels of plotted lines").isGreaterThan(500);

        assertThat(get("/api/evaluations/" + rising + "/plot.gif").statusCode()).isEqualTo(400);
        assertThat(get("/api/evaluations/" + UUID.randomUUID() + "/plot.svg").statusCode())
                .isEqualTo(404);
    }

    private UUID evaluation(UUID experiment, long taskId, String label, double... perStep) {
        var created = api.client
                .createEvaluation(experiment, new CreateEvaluation(0L, Split.TEST, perStep.length - 1, 1, label))
                .getBody();
        var rows = new ArrayList<ResultRow>();
        for (int step = 0; step < perStep.length; step++) {
            rows.add(new ResultRow(
                    taskId,
                    0,
                    step,
                    step == 0 ? StepKind.SOLVE : StepKind.IMPROVE,
                    perStep[step],
                    perStep[step] > 0.7));
        }
        api.client.postResults(created.id(), new PostResults(rows));
        return created.id();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        TestTokens.request(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int count(String text, String token) {
        int n = 0;
        for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
            n++;
        }
        return n;
    }

    /** Pixels that are neither white nor grey: the coloured series lines and markers. */
    private static int colouredPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    count++;
                }
            }
        }
        return count;
    }
}
