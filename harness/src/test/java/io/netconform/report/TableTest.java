package io.netconform.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    private static final Table TABLE = new Table(List.of("pair", "verdict"), List.of(
            Table.Row.of(List.of(Table.Cell.plain("a|b"), Table.Cell.bold("<ok> & \"fine\""))),
            new Table.Row(List.of(Table.Cell.plain("c -> d"), Table.Cell.styled("X", false, "wrong")), "bad")));

    @Test
    void markdownEscapesPipesAndNewlinesAndBoldsCells() {
        assertThat(TABLE.markdown()).isEqualTo("""
                | pair | verdict |
                | --- | --- |
                | a\\|b | **<ok> & "fine"** |
                | c -> d | X |
                """);
    }

    @Test
    void htmlEscapesEveryTextAndCarriesClasses() {
        assertThat(TABLE.html()).isEqualTo("<table>\n<tr><th>pair</th><th>verdict</th></tr>\n"
                + "<tr><td>a|b</td><td><b>&lt;ok&gt; &amp; &quot;fine&quot;</b></td></tr>\n"
                + "<tr class=\"bad\"><td>c -&gt; d</td><td class=\"wrong\">X</td></tr>\n</table>\n");
    }

    @Test
    void textColumnsAreAsWideAsTheirWidestCell() {
        assertThat(Table.of(List.of("path", "n"), List.of(List.of("cross-node", "12"), List.of("same", "3")), r -> r).text())
                .isEqualTo("path        n\ncross-node  12\nsame        3\n");
    }

    /** The console summary is the table a CI log shows: kept to the character. */
    @Test
    void consoleSummaryKeepsItsLayout() {
        String rendered = ConsoleSummary.render(SummaryFixtures.read("after-flip.json"));

        assertThat(rendered.lines().toList()).startsWith(
                "SUITE                    CHECK                                        STATUS      TIME  REASON",
                "-".repeat(148),
                "connectivity             pods on different nodes reach each other     PASSED      4.2s  ",
                "policy                   each tier accepts only the tier in front of… FAILED     16.1s  "
                        + "backend/api -> backend/db expected ALLOWED, got BLOCKED (ti…");
        assertThat(rendered).endsWith("6 checks: 3 passed, 2 failed, 0 broken, 1 skipped in 4m02s\n"
                + "failures by kind: Policy not enforced 1, Unexpected drop 1\n");
    }
}
