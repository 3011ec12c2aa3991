package dev.exitrl.task.evaluation;

import dev.exitrl.taskapi.EvaluationSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.springframework.stereotype.Component;

/**
 * The paper's main figure: mean quality (avg@n) against self-improvement step, one line per evaluation, several
 * evaluations overlaid (e.g. the presets of an ablation, or versions of one run). Rendered server-side with XChart.
 */
@Component
class EvaluationPlots {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    enum Format {
        SVG("image/svg+xml"),
        PNG("image/png");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    /** One line: a label and the evaluation's per-step summary. */
    record Line(String label, EvaluationSummary summary) {}

    byte[] render(List<Line> lines, Format format) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("K-step self-improvement")
                .xAxisTitle("step k (0 = first answer)")
                .yAxisTitle("mean quality (avg@n)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Line line : lines) {
            var steps = line.summary().perStep();
            if (steps.isEmpty()) {
                continue;
            }
            double[] x = steps.stream()
                    .mapToDouble(EvaluationSummary.StepSummary::step)
                    .toArray();
            double[] y = steps.stream()
                    .mapToDouble(EvaluationSummary.StepSummary::meanQuality)
                    .toArray();
            XYSeries series = chart.addSeries(uniqueName(chart, line.label()), x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineStyle(new BasicStroke(2f));
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no results yet", new double[] {0}, new double[] {0});
        }
        try (var out = new ByteArrayOutputStream()) {
            if (format == Format.PNG) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uniqueName(XYChart chart, String label) {
        String name = label;
        for (int i = 2; chart.getSeriesMap().containsKey(name); i++) {
            name = label + " (" + i + ")";
        }
        return name;
    }
}
