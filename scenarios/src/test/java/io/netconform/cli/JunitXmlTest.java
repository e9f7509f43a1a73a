package io.netconform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The JUnit XML that {@code netconform run} writes to reports/junit, as CI servers read it: one testcase per check
 * (dynamic pair checks included), skipped checks with their reason, failures with the assertion message.
 * Written by the listener RunCommand uses, over a small fixture class with one check of each kind.
 */
class JunitXmlTest {

    /** Not a test of this project: tagged so that surefire's excludedGroups keeps it out of every normal run. */
    @Tag("fixture")
    static class Checks {

        @Test
        void passes() {
        }

        @Test
        void fails() {
            assertThat("BLOCKED").as("frontend/web -> backend/api on TCP/8080").isEqualTo("ALLOWED");
        }

        @Test
        void aborted() {
            assumeTrue(false, "the CNI does not enforce NetworkPolicy");
        }

        @Test
        @Disabled("needs a dual-stack cluster")
        void disabled() {
        }

        @TestFactory
        Stream<DynamicTest> pairs() {
            return Stream.of(dynamicTest("web -> api", () -> { }), dynamicTest("api -> db", () -> { }));
        }
    }

    @TempDir
    Path reports;

    @Test
    void oneTestcasePerCheckWithSkipReasonsAndFailures() throws Exception {
        StringWriter listenerErrors = new StringWriter();
        // no auto-registered listeners: Allure would otherwise record the fixture's failure as this project's
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Checks.class)).build(),
                        new JunitXmlReport(reports, new PrintWriter(listenerErrors)));
        assertThat(listenerErrors.toString()).isEmpty();

        Path xml = reports.resolve("TEST-junit-jupiter.xml");
        assertThat(xml).isRegularFile();
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");

        Map<String, Element> cases = testcases(suite.getOwnerDocument());
        assertThat(cases.keySet()).as("testcase names").containsExactlyInAnyOrder(
                "passes()", "fails()", "aborted()", "disabled()", "pairs › web -> api", "pairs › api -> db");
        cases.values().forEach(c -> assertThat(c.getAttribute("classname")).isEqualTo(Checks.class.getName()));

        assertThat(children(cases.get("passes()"))).isEmpty();
        assertThat(children(cases.get("pairs › web -> api"))).isEmpty();

        Element failure = only(cases.get("fails()"), "failure");
        assertThat(failure.getAttribute("message")).contains("frontend/web -> backend/api on TCP/8080", "ALLOWED", "BLOCKED");
        assertThat(failure.getAttribute("type")).isEqualTo("org.opentest4j.AssertionFailedError");

        // JUnit puts the reason only in the text; CI servers show the message attribute JunitXmlReport adds
        Element aborted = only(cases.get("aborted()"), "skipped");
        assertThat(aborted.getAttribute("message")).isEqualTo("the CNI does not enforce NetworkPolicy");
        assertThat(aborted.getTextContent()).contains("TestAbortedException");
        Element disabled = only(cases.get("disabled()"), "skipped");
        assertThat(disabled.getAttribute("message")).isEqualTo("needs a dual-stack cluster");

        // JUnit names dynamic checks by index; JunitXmlReport gives them the pair a person reads
        assertThat(cases.get("pairs › web -> api").getTextContent()).contains("display-name:", "pairs() > web -> api");
    }

    @Test
    void skipReasonKeepsEveryLineAPersonWroteAndDropsTheStackTrace() {
        assertThat(JunitXmlReport.reason("""
                org.opentest4j.TestAbortedException: Assumption failed: no second node:
                  the cluster has 1 schedulable node
                	at org.junit.jupiter.api.Assumptions.assumeTrue(Assumptions.java:1)
                Caused by: java.lang.IllegalStateException: x
                """)).isEqualTo("no second node:\n  the cluster has 1 schedulable node");
        assertThat(JunitXmlReport.reason("org.opentest4j.TestAbortedException: CNI flannel ignores policy\n"))
                .isEqualTo("CNI flannel ignores policy");
        assertThat(JunitXmlReport.reason("  needs a dual-stack cluster ")).isEqualTo("needs a dual-stack cluster");
    }

    private static Map<String, Element> testcases(Document document) {
        NodeList list = document.getElementsByTagName("testcase");
        Map<String, Element> byName = new LinkedHashMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element testcase = (Element) list.item(i);
            assertThat(byName.put(testcase.getAttribute("name"), testcase)).as("duplicate testcase name").isNull();
        }
        return byName;
    }

    /** The result elements of a testcase; system-out carries the display name and is not a result. */
    private static List<Element> children(Element testcase) {
        List<Element> out = new ArrayList<>();
        for (Node n = testcase.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && !e.getTagName().startsWith("system-")) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element only(Element testcase, String tag) {
        List<Element> results = children(testcase);
        assertThat(results).as("results of %s", testcase.getAttribute("name")).hasSize(1);
        assertThat(results.get(0).getTagName()).isEqualTo(tag);
        return results.get(0);
    }
}
