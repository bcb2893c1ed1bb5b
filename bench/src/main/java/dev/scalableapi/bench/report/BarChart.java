package dev.scalableapi.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a self-contained SVG (no plotting library on the build machines): one group per
 * category, one bar per series, optional log scale, the value written above each bar.
 */
public final class BarChart {

    /** One series: its name and one value per category. */
    public record Series(String name, List<Double> values) {
    }

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"};
    private static final int HEIGHT = 420;
    private static final int TOP = 50;
    private static final int BOTTOM = 120;
    private static final int LEFT = 70;

    private BarChart() {
    }

    public static String svg(String title, String unit, List<String> categories, List<Series> series, boolean log) {
        int bar = 16;
        int group = series.size() * bar + 24;
        int width = LEFT + categories.size() * group + 30;
        double max = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Double::doubleValue).max()
                .orElse(1);
        double min = log ? Math.max(0.01, series.stream().flatMap(s -> s.values().stream())
                .mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(0.1)) : 0;
        double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
        int plot = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        for (double tick : ticks(lo, hi, log)) {
            double y = TOP + plot - scale(tick, lo, hi, log) * plot;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, width - 20, y, y, LEFT - 6,
                    y + 4, format(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">%s</text>%n", TOP + plot / 2, TOP + plot / 2, escape(unit)));
        for (int c = 0; c < categories.size(); c++) {
            int x0 = LEFT + 12 + c * group;
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).values().get(c);
                double h = Math.max(1, scale(Math.max(value, lo), lo, hi, log) * plot);
                double x = x0 + s * bar;
                double y = TOP + plot - h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                        + "fill=\"%s\"><title>%s %s: %s %s</title></rect>%n", x, y, bar - 2, h,
                        COLOURS[s % COLOURS.length], escape(categories.get(c)), escape(series.get(s).name()),
                        format(value), escape(unit)));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"8\" "
                        + "text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\" dx=\"14\">%s</text>%n",
                        x + (bar - 2) / 2.0, y - 2, x + (bar - 2) / 2.0, y - 2, format(value)));
            }
            double cx = x0 + series.size() * bar / 2.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
                    + "transform=\"rotate(-35 %.1f %d)\">%s</text>%n", cx, TOP + plot + 14, cx, TOP + plot + 14,
                    escape(categories.get(c))));
        }
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + 260 + s * 90;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"32\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"41\">%s</text>%n", x, COLOURS[s % COLOURS.length], x + 14,
                    escape(series.get(s).name())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double scale(double value, double lo, double hi, boolean log) {
        if (log) {
            return (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return hi == lo ? 0 : (value - lo) / (hi - lo);
    }

    private static List<Double> ticks(double lo, double hi, boolean log) {
        java.util.ArrayList<Double> ticks = new java.util.ArrayList<>();
        if (log) {
            for (double t = lo; t <= hi * 1.0001; t *= 10) {
                ticks.add(t);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                ticks.add(lo + (hi - lo) * i / 5);
            }
        }
        return ticks;
    }

    private static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 1) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
