package dev.exitrl.core.domain.mle;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pipeline on a competition: fits every transform and the model on the training split, predicts the hidden
 * test split and scores it. Errors come out as {@link PipelineException}s naming the step (line) that failed.
 */
final class PipelineRunner {
    private PipelineRunner() {}

    /** The metric's score of {@code spec} on the hidden split. */
    static double score(PipelineSpec spec, Competition c, Budget budget) {
        double[][] predictions = predict(spec, c, budget);
        return c.metric().score(predictions, c.testTarget(), c.classes());
    }

    static double[][] predict(PipelineSpec spec, Competition c, Budget budget) {
        try {
            Transforms.Split data = new Transforms.Split(c.train(), c.test());
            for (PipelineSpec.Step step : spec.transforms()) {
                budget.doing("running '" + step.text() + "'");
                try {
                    data = Transforms.apply(step, data, c.trainTarget(), c.classes(), budget);
                } catch (PipelineException e) {
                    throw e.at(step.where());
                }
            }
            PipelineSpec.Step model = spec.model();
            try {
                boolean constant = model.name().equals("constant"); // reads no column
                if (!constant) {
                    checkModelInput(data.train());
                }
                double[][] trainX = constant
                        ? new double[c.train().rows()][0]
                        : data.train().matrix();
                double[][] testX =
                        constant ? new double[c.test().rows()][0] : data.test().matrix();
                Learners.Model fitted = Learners.fit(model, trainX, c.trainTarget(), c.classes(), c.seed(), budget);
                budget.doing("predicting with '" + model.text() + "'");
                double[][] predictions = fitted.predict(testX, budget);
                for (double[] row : predictions) {
                    for (double v : row) {
                        if (!Double.isFinite(v)) {
                            throw new PipelineException(
                                    PipelineException.Kind.DIVERGED, "the model predicted a non-finite value");
                        }
                    }
                }
                return predictions;
            } catch (PipelineException e) {
                throw e.at(model.where());
            }
        } catch (OutOfMemoryError e) {
            throw new PipelineException(
                    PipelineException.Kind.OUT_OF_MEMORY, "the JVM ran out of memory while " + "running the pipeline");
        }
    }

    private static void checkModelInput(Table train) {
        List<String> categorical = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Table.Column c : train.columns()) {
            if (c.isCategorical()) {
                categorical.add(c.name());
            } else if (c.hasMissing()) {
                missing.add(c.name());
            }
        }
        if (!categorical.isEmpty()) {
            throw new PipelineException(
                    PipelineException.Kind.DATA,
                    "the model needs numeric columns, but " + categorical + " are categorical: add onehot or ordinal");
        }
        if (!missing.isEmpty()) {
            throw new PipelineException(
                    PipelineException.Kind.DATA,
                    "the model cannot take missing values, but " + missing + " have some: add impute");
        }
        if (train.columns().isEmpty()) {
            throw new PipelineException(PipelineException.Kind.DATA, "no columns are left for the model");
        }
    }
}
