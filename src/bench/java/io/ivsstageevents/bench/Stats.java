package io.ivsstageevents.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread of a handful of samples: what the reports print. */
public record Stats(int n, double median, double p25, double p75, double min, double max) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new Stats(sorted.size(), percentile(sorted, 50), percentile(sorted, 25), percentile(sorted, 75),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** Linear interpolation between closest ranks, as most tools do. */
    static double percentile(List<Double> sorted, double p) {
        double rank = p / 100 * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (rank - below);
    }

    /** "median [p25, p75]" with the given number format, e.g. "%.0f". */
    public String format(String number) {
        return String.format(Locale.ROOT, number + " [" + number + ", " + number + "]", median, p25, p75);
    }
}
