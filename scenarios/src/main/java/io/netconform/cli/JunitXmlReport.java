package io.netconform.cli;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * reports/junit: JUnit's legacy XML report, plus a {@code message} attribute on every {@code <skipped>}.
 *
 * <p>JUnit writes a skip reason only as the element's text, and for an aborted check (a failed assumption, which is
 * how the suites skip "CNI does not enforce NetworkPolicy") that text is the exception line. CI servers show the
 * {@code message} attribute; without it every skipped check reads as skipped for no reason.
 */
final class JunitXmlReport implements TestExecutionListener {

    /** "org.opentest4j.TestAbortedException: Assumption failed: why" -> "why". */
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^[\\w.$]+(?:Exception|Error): (?:Assumption failed: )?");
    private static final Pattern DYNAMIC_NAME = Pattern.compile("(\\w+)\\(.*\\)\\[\\d+\\]");
    private static final Pattern DISPLAY_NAME = Pattern.compile("(?m)^display-name: (.*)$");
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+at |Caused by: |\\s+\\.\\.\\. \\d+ more");

    private final Path dir;
    private final PrintWriter out;
    private final LegacyXmlReportGeneratingListener legacy;

    JunitXmlReport(Path dir, PrintWriter out) {
        this.dir = dir;
        this.out = out;
        this.legacy = new LegacyXmlReportGeneratingListener(dir, out);
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        legacy.testPlanExecutionStarted(testPlan);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        legacy.testPlanExecutionFinished(testPlan);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path xml : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                addSkipMessages(xml);
            }
        } catch (IOException | RuntimeException | TransformerException | ParserConfigurationException | SAXException e) {
            // the report JUnit wrote is still there and valid; only the reasons are missing from the attribute
            out.println("netconform: could not add skip reasons to the JUnit XML in " + dir + ": " + e);
        }
    }

    @Override
    public void dynamicTestRegistered(TestIdentifier testIdentifier) {
        legacy.dynamicTestRegistered(testIdentifier);
    }

    @Override
    public void executionSkipped(TestIdentifier testIdentifier, String reason) {
        legacy.executionSkipped(testIdentifier, reason);
    }

    @Override
    public void executionStarted(TestIdentifier testIdentifier) {
        legacy.executionStarted(testIdentifier);
    }

    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult testExecutionResult) {
        legacy.executionFinished(testIdentifier, testExecutionResult);
    }

    @Override
    public void reportingEntryPublished(TestIdentifier testIdentifier, ReportEntry entry) {
        legacy.reportingEntryPublished(testIdentifier, entry);
    }

    @Override
    public void fileEntryPublished(TestIdentifier testIdentifier, FileEntry file) {
        legacy.fileEntryPublished(testIdentifier, file);
    }

    static void addSkipMessages(Path xml) throws IOException, TransformerException, ParserConfigurationException,
            SAXException {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList skipped = document.getElementsByTagName("skipped");
        boolean changed = nameDynamicChecks(document);
        for (int i = 0; i < skipped.getLength(); i++) {
            Element element = (Element) skipped.item(i);
            if (!element.hasAttribute("message")) {
                element.setAttribute("message", reason(element.getTextContent()));
                changed = true;
            }
        }
        if (changed) {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(xml.toFile()));
        }
    }

    /**
     * JUnit names a dynamic check by its factory and index ({@code podToPod(Scenario)[3]}); CI servers list checks by
     * that name, so give them the one a person reads ({@code podToPod › ICMP n1 → n2 (cross node, IPv4)}), which the
     * legacy writer only keeps in system-out.
     */
    private static boolean nameDynamicChecks(Document document) {
        boolean changed = false;
        NodeList cases = document.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            java.util.regex.Matcher indexed = DYNAMIC_NAME.matcher(testcase.getAttribute("name"));
            java.util.regex.Matcher display = DISPLAY_NAME.matcher(testcase.getTextContent());
            if (indexed.matches() && display.find()) {
                String[] path = display.group(1).trim().split(" > ");
                testcase.setAttribute("name", indexed.group(1) + " › " + path[path.length - 1]);
                changed = true;
            }
        }
        return changed;
    }

    /** The skip text without the exception class and the stack trace: the reason a person wrote. */
    static String reason(String text) {
        String message = text.strip().lines().takeWhile(line -> !STACK_FRAME.matcher(line).lookingAt())
                .collect(Collectors.joining("\n")).strip();
        return EXCEPTION_PREFIX.matcher(message).replaceFirst("");
    }
}
