package io.netconform.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a {@link Failing} check's message and their one rendering: marker, message, items, reproduce lines,
 * output, evidence. The text shape is what the console summary, summary.json and Allure have always shown:
 * <pre>
 * [kind] what: expected X, got Y
 *   an item
 *     reproduce: kubectl exec …
 *   reproduce: kubectl exec …          (one command; several: "reproduce:" then one per line, indented)
 *   output: what the tool printed
 *   evidence: reports/evidence/…
 * </pre>
 */
public final class FailureText implements Serializable {

    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final String message;
    private final ArrayList<Item> items = new ArrayList<>();
    private final ArrayList<String> reproduce = new ArrayList<>();
    private String output = "";
    private String evidence;

    FailureText(FailureKind kind, String message) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.message = Objects.requireNonNull(message, "message");
    }

    public FailureKind kind() {
        return kind;
    }

    /** The message as given: without marker, reproduce lines or evidence. */
    public String message() {
        return message;
    }

    /** One of several wrong things under the message, and the command that repeats it (null: none). */
    public record Item(String what, String reproduce) implements Serializable {
    }

    /** The wrong things listed under the message, in order. */
    public synchronized List<Item> items() {
        return List.copyOf(items);
    }

    public synchronized List<String> reproduce() {
        return List.copyOf(reproduce);
    }

    /** Where the evidence went, or null when none was collected (offline, or not yet). */
    public String evidence() {
        return evidence;
    }

    synchronized void addReproduce(List<String> commands) {
        commands.stream().filter(c -> c != null && !c.isBlank()).forEach(reproduce::add);
    }

    synchronized void addItem(String what, String reproduceCommand) {
        items.add(new Item(what, reproduceCommand == null || reproduceCommand.isBlank() ? null : reproduceCommand));
    }

    synchronized void output(String text) {
        this.output = text == null ? "" : text.strip();
    }

    synchronized void evidence(String where) {
        this.evidence = where;
    }

    /** The whole message; the marker is added unless the message already starts with it. */
    public synchronized String render() {
        StringBuilder text = new StringBuilder(message.startsWith(kind.marker()) ? message : kind.marker() + " " + message);
        for (Item item : items) {
            text.append("\n  ").append(item.what());
            if (item.reproduce() != null) {
                text.append("\n    reproduce: ").append(item.reproduce());
            }
        }
        if (reproduce.size() == 1) {
            text.append("\n  reproduce: ").append(reproduce.get(0));
        } else if (reproduce.size() > 1) {
            text.append("\n  reproduce:");
            reproduce.forEach(r -> text.append("\n    ").append(r));
        }
        if (!output.isEmpty()) {
            text.append("\n  output: ").append(output);
        }
        if (evidence != null && !evidence.isBlank()) {
            text.append("\n  evidence: ").append(evidence);
        }
        return text.toString();
    }
}
