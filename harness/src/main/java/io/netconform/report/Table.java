package io.netconform.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table model behind every table netconform prints or writes: the console summary, the benchmark
 * console table, compare and bench-compare (Markdown and HTML) and the reachability grids attached to reports.
 * A renderer builds rows of {@link Cell}s; this class lays them out as fixed-width text, Markdown or HTML, and
 * owns the one HTML escaper.
 */
public record Table(List<String> header, List<Row> rows) {

    /**
     * One cell: its text, whether it is emphasised (bold), a CSS class for HTML ({@code ""} for none), a tooltip,
     * and whether it heads its row ({@code <th>}).
     */
    public record Cell(String text, boolean bold, String css, String title, boolean heading) {
        public static Cell plain(String text) {
            return new Cell(text, false, "", "", false);
        }

        public static Cell bold(String text) {
            return new Cell(text, true, "", "", false);
        }

        public static Cell styled(String text, boolean bold, String css) {
            return new Cell(text, bold, css, "", false);
        }
    }

    /** One row; {@code css} is the HTML class of the whole row ({@code ""} for none). */
    public record Row(List<Cell> cells, String css) {
        public Row {
            cells = List.copyOf(cells);
        }

        public static Row of(List<Cell> cells) {
            return new Row(cells, "");
        }

        public static Row plain(List<String> texts) {
            return new Row(texts.stream().map(Cell::plain).toList(), "");
        }
    }

    /** A fixed-width column of a console table: its width, alignment, and whether longer text is cut with "…". */
    public record Column(int width, boolean rightAligned, boolean cut) {
        public static Column left(int width) {
            return new Column(width, false, true);
        }

        public static Column right(int width) {
            return new Column(width, true, false);
        }
    }

    public Table {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** Rows made by one function per item, for the common case of a list of records. */
    public static <T> Table of(List<String> header, List<T> items, Function<T, List<String>> row) {
        return new Table(header, items.stream().map(i -> Row.plain(row.apply(i))).toList());
    }

    /** Columns as wide as their widest cell, two spaces apart, no trailing blanks: the benchmark console table. */
    public String text() {
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        rows.forEach(r -> lines.add(r.cells().stream().map(Cell::text).toList()));
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                l.append(String.format("%-" + widths[i] + "s", line.get(i))).append(i < line.size() - 1 ? "  " : "");
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * Fixed columns, {@code gaps.get(i)} blanks before column i (none before the first); the last column is not
     * padded. The header, then a rule of dashes as wide as the columns and gaps, then the rows.
     */
    public String text(List<Column> columns, List<Integer> gaps, int ruleWidth) {
        StringBuilder out = new StringBuilder();
        out.append(line(header, columns, gaps)).append('\n');
        out.append("-".repeat(ruleWidth)).append('\n');
        for (Row row : rows) {
            out.append(line(row.cells().stream().map(Cell::text).toList(), columns, gaps)).append('\n');
        }
        return out.toString();
    }

    private static String line(List<String> texts, List<Column> columns, List<Integer> gaps) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            Column c = columns.get(i);
            String t = texts.get(i) == null ? "" : texts.get(i);
            if (c.cut() && t.length() > c.width()) {
                t = t.substring(0, c.width() - 1) + "…";
            }
            l.append(" ".repeat(i == 0 ? 0 : gaps.get(i)));
            boolean last = i == texts.size() - 1;
            l.append(last ? t : String.format("%" + (c.rightAligned() ? "" : "-") + c.width() + "s", t));
        }
        return l.toString();
    }

    /** GitHub-flavoured Markdown; a pipe or newline inside a cell cannot break the table. */
    public String markdown() {
        StringBuilder md = new StringBuilder("| ")
                .append(header.stream().map(Table::markdownText).collect(Collectors.joining(" | "))).append(" |\n|")
                .append(" --- |".repeat(header.size())).append('\n');
        for (Row row : rows) {
            md.append("| ").append(row.cells().stream()
                    .map(c -> c.bold() ? "**" + markdownText(c.text()) + "**" : markdownText(c.text()))
                    .collect(Collectors.joining(" | "))).append(" |\n");
        }
        return md.toString();
    }

    /** An HTML {@code <table>}, every text escaped. */
    public String html() {
        StringBuilder html = new StringBuilder("<table>\n<tr>");
        header.forEach(h -> html.append("<th>").append(escapeHtml(h)).append("</th>"));
        html.append("</tr>\n");
        for (Row row : rows) {
            html.append(row.css().isEmpty() ? "<tr>" : "<tr class=\"" + row.css() + "\">");
            for (Cell c : row.cells()) {
                String tag = c.heading() ? "th" : "td";
                html.append('<').append(tag)
                        .append(c.css().isEmpty() ? "" : " class=\"" + c.css() + "\"")
                        .append(c.title().isEmpty() ? "" : " title=\"" + escapeHtml(c.title()) + "\"").append('>')
                        .append(c.bold() ? "<b>" + escapeHtml(c.text()) + "</b>" : escapeHtml(c.text()))
                        .append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    /** The one HTML escaper: text and attribute values ({@code < > & "}). */
    public static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String markdownText(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
