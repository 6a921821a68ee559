package dev.sequor.trainer.export;

import dev.sequor.trainer.train.EpochReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** A self-contained HTML page with SVG plots of the training loss and validation metrics. */
public final class TrainingCurves {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;
    private static final int PAD = 40;

    private TrainingCurves() {
    }

    public static String html(List<EpochReport> epochs, String title) {
        List<EpochReport> validated = epochs.stream().filter(e -> e.validation() != null).toList();
        StringBuilder page = new StringBuilder();
        page.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append(" training curves</title><style>")
                .append("body{font-family:sans-serif;margin:24px}svg{border:1px solid #ccc;margin-bottom:24px}")
                .append(".l{font-size:11px}</style></head><body><h1>").append(escape(title)).append("</h1>");
        page.append("<h2>Training loss per epoch</h2>");
        page.append(plot(epochs, List.of(new Series("loss", "#d62728", EpochReport::loss))));
        if (!validated.isEmpty()) {
            page.append("<h2>Validation (leave-one-out, @10)</h2>");
            page.append(plot(validated, List.of(
                    new Series("HR@10 full", "#1f77b4", e -> e.validation().hitRateFull()),
                    new Series("NDCG@10 full", "#2ca02c", e -> e.validation().ndcgFull()),
                    new Series("HR@10 sampled-100", "#9467bd", e -> e.validation().hitRateSampled()),
                    new Series("NDCG@10 sampled-100", "#8c564b", e -> e.validation().ndcgSampled()))));
        }
        page.append("<h2>Epochs</h2><table border=\"1\" cellpadding=\"4\"><tr><th>epoch</th><th>loss</th>")
                .append("<th>seconds</th><th>sequences/s</th><th>HR@10</th><th>NDCG@10</th></tr>");
        for (EpochReport e : epochs) {
            page.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.1f</td><td>%.0f</td>",
                    e.epoch(), e.loss(), e.seconds(), e.sequencesPerSecond()));
            page.append(e.validation() == null ? "<td></td><td></td></tr>" : String.format(Locale.ROOT,
                    "<td>%.4f</td><td>%.4f</td></tr>", e.validation().hitRateFull(), e.validation().ndcgFull()));
        }
        return page.append("</table></body></html>\n").toString();
    }

    private record Series(String name, String colour, ToDoubleFunction<EpochReport> value) {
    }

    private static String plot(List<EpochReport> points, List<Series> series) {
        double minX = points.get(0).epoch();
        double maxX = Math.max(minX + 1, points.get(points.size() - 1).epoch());
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (EpochReport p : points) {
                minY = Math.min(minY, s.value().applyAsDouble(p));
                maxY = Math.max(maxY, s.value().applyAsDouble(p));
            }
        }
        if (maxY - minY < 1e-9) {
            maxY = minY + 1;
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"2\" y=\"%d\">%.3f</text>", PAD, maxY));
        svg.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"2\" y=\"%d\">%.3f</text>", HEIGHT - PAD, minY));
        svg.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"%d\" y=\"%d\">epoch %.0f</text>", PAD,
                HEIGHT - 8, minX));
        svg.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"%d\" y=\"%d\">epoch %.0f</text>",
                WIDTH - PAD - 50, HEIGHT - 8, maxX));
        int legend = 0;
        for (Series s : series) {
            List<String> xy = new ArrayList<>();
            for (EpochReport p : points) {
                double x = PAD + (p.epoch() - minX) / (maxX - minX) * (WIDTH - 2 * PAD);
                double y = HEIGHT - PAD - (s.value().applyAsDouble(p) - minY) / (maxY - minY) * (HEIGHT - 2 * PAD);
                xy.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.colour())
                    .append("\" points=\"").append(String.join(" ", xy)).append("\"/>");
            svg.append(String.format(Locale.ROOT, "<text class=\"l\" fill=\"%s\" x=\"%d\" y=\"%d\">%s</text>",
                    s.colour(), WIDTH - 170, 14 + 14 * legend++, escape(s.name())));
        }
        return svg.append("</svg>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
