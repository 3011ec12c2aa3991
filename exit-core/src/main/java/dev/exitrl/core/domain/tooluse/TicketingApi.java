package dev.exitrl.core.domain.tooluse;

import static dev.exitrl.core.domain.tooluse.ToolFunction.optional;
import static dev.exitrl.core.domain.tooluse.ToolFunction.required;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.tooluse.ToolFunction.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A support-ticket system modelled on BFCL's {@code TicketAPI}: tickets with a title, description, priority 1-5,
 * status ({@code open}, {@code resolved}, {@code closed}), assignee, resolution and comments.
 *
 * <p>Config and public state: {@code {"tickets": [{"id", "title", "description", "priority", "status", "assignee",
 * "resolution", "comments": []}], "next_ticket_id": n}} ({@code assignee} and {@code resolution} may be null).
 */
final class TicketingApi implements ToolModule {
    static final String NAME = "ticketing";
    private static final Set<String> STATUSES = Set.of("open", "resolved", "closed");

    static final List<ToolFunction> FUNCTIONS = List.of(
            fn(
                    "create_ticket",
                    "Open a new ticket.",
                    required("title", Type.STRING, "Short title."),
                    required("description", Type.STRING, "What the ticket is about."),
                    required("priority", Type.INTEGER, "Priority from 1 (lowest) to 5 (highest).")),
            fn("get_ticket", "Show a ticket.", required("ticket_id", Type.INTEGER, "The ticket's id.")),
            fn(
                    "list_tickets",
                    "List the tickets (id, title, status, priority), optionally only those with a status.",
                    optional("status", Type.STRING, "'open', 'resolved' or 'closed'.")),
            fn(
                    "edit_ticket",
                    "Change the title, description or priority of a ticket (give at least one).",
                    required("ticket_id", Type.INTEGER, "The ticket's id."),
                    optional("title", Type.STRING, "New title."),
                    optional("description", Type.STRING, "New description."),
                    optional("priority", Type.INTEGER, "New priority, 1 to 5.")),
            fn("close_ticket", "Close a ticket.", required("ticket_id", Type.INTEGER, "The ticket's id.")),
            fn(
                    "resolve_ticket",
                    "Mark a ticket resolved, with a resolution text.",
                    required("ticket_id", Type.INTEGER, "The ticket's id."),
                    required("resolution", Type.STRING, "How it was resolved.")),
            fn(
                    "assign_ticket",
                    "Assign a ticket to a person.",
                    required("ticket_id", Type.INTEGER, "The ticket's id."),
                    required("assignee", Type.STRING, "The person's name.")),
            fn(
                    "add_comment",
                    "Add a comment to a ticket.",
                    required("ticket_id", Type.INTEGER, "The ticket's id."),
                    required("comment", Type.STRING, "The comment.")));

    private static final class Ticket {
        int id;
        String title;
        String description;
        int priority;
        String status;
        String assignee;
        String resolution;
        final List<String> comments = new ArrayList<>();
    }

    private final List<Ticket> tickets = new ArrayList<>();
    private int nextId;

    TicketingApi(JsonNode config) {
        for (JsonNode t : config.path("tickets")) {
            Ticket ticket = new Ticket();
            ticket.id = t.get("id").asInt();
            ticket.title = t.get("title").asString();
            ticket.description = t.get("description").asString();
            ticket.priority = t.get("priority").asInt();
            ticket.status = t.get("status").asString();
            ticket.assignee = textOrNull(t.get("assignee"));
            ticket.resolution = textOrNull(t.get("resolution"));
            t.path("comments").forEach(c -> ticket.comments.add(c.asString()));
            tickets.add(ticket);
        }
        nextId = config.path("next_ticket_id").asInt(tickets.size() + 1);
    }

    private static ToolFunction fn(String name, String description, ToolFunction.Param... params) {
        return new ToolFunction(NAME, name, description, List.of(params));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ToolFunction> functions() {
        return FUNCTIONS;
    }

    @Override
    public ObjectNode state() {
        ObjectNode s = TaskJson.mapper().createObjectNode();
        ArrayNode list = s.putArray("tickets");
        tickets.forEach(t -> list.add(json(t)));
        s.put("next_ticket_id", nextId);
        return s;
    }

    @Override
    public String invoke(String function, JsonNode args) throws ToolError {
        return switch (function) {
            case "create_ticket" -> create(args);
            case "get_ticket" -> Results.of("ticket", json(ticket(args, "get_ticket")));
            case "list_tickets" -> list(textOrNull(args.get("status")));
            case "edit_ticket" -> edit(args);
            case "close_ticket" -> close(ticket(args, "close_ticket"));
            case "resolve_ticket" ->
                resolve(ticket(args, "resolve_ticket"), args.get("resolution").asString());
            case "assign_ticket" ->
                assign(ticket(args, "assign_ticket"), args.get("assignee").asString());
            case "add_comment" ->
                comment(ticket(args, "add_comment"), args.get("comment").asString());
            default -> throw new IllegalArgumentException("no function " + function);
        };
    }

    private String create(JsonNode args) throws ToolError {
        Ticket t = new Ticket();
        t.title = nonBlank(args.get("title").asString(), "create_ticket", "title");
        t.description = args.get("description").asString();
        t.priority = priority(args.get("priority").asInt(), "create_ticket");
        t.status = "open";
        t.id = nextId++;
        tickets.add(t);
        return Results.of("id", t.id, "status", t.status);
    }

    private String list(String status) throws ToolError {
        if (status != null && !STATUSES.contains(status)) {
            throw new ToolError("list_tickets: status must be 'open', 'resolved' or 'closed', was '" + status + "'");
        }
        List<JsonNode> out = new ArrayList<>();
        for (Ticket t : tickets) {
            if (status == null || status.equals(t.status)) {
                ObjectNode n = TaskJson.mapper().createObjectNode();
                n.put("id", t.id);
                n.put("title", t.title);
                n.put("status", t.status);
                n.put("priority", t.priority);
                out.add(n);
            }
        }
        return Results.of("tickets", out);
    }

    private String edit(JsonNode args) throws ToolError {
        Ticket t = ticket(args, "edit_ticket");
        String title = textOrNull(args.get("title"));
        String description = textOrNull(args.get("description"));
        JsonNode priority = args.get("priority");
        boolean hasPriority = priority != null && !priority.isNull();
        if (title == null && description == null && !hasPriority) {
            throw new ToolError("edit_ticket: give a title, a description or a priority to change");
        }
        int newPriority = hasPriority ? priority(priority.asInt(), "edit_ticket") : t.priority;
        if (title != null) {
            t.title = nonBlank(title, "edit_ticket", "title");
        }
        if (description != null) {
            t.description = description;
        }
        t.priority = newPriority;
        return Results.of("ticket", json(t));
    }

    private static String close(Ticket t) throws ToolError {
        if (t.status.equals("closed")) {
            throw new ToolError("close_ticket: ticket " + t.id + " is already closed");
        }
        t.status = "closed";
        return Results.of("id", t.id, "status", t.status);
    }

    private static String resolve(Ticket t, String resolution) throws ToolError {
        if (!t.status.equals("open")) {
            throw new ToolError("resolve_ticket: ticket " + t.id + " is " + t.status + ", not open");
        }
        t.resolution = nonBlank(resolution, "resolve_ticket", "resolution");
        t.status = "resolved";
        return Results.of("id", t.id, "status", t.status);
    }

    private static String assign(Ticket t, String assignee) throws ToolError {
        t.assignee = nonBlank(assignee, "assign_ticket", "assignee");
        return Results.of("id", t.id, "assignee", t.assignee);
    }

    private static String comment(Ticket t, String comment) throws ToolError {
        t.comments.add(nonBlank(comment, "add_comment", "comment"));
        return Results.of("id", t.id, "comments", t.comments.size());
    }

    private Ticket ticket(JsonNode args, String function) throws ToolError {
        int id = args.get("ticket_id").asInt();
        for (Ticket t : tickets) {
            if (t.id == id) {
                return t;
            }
        }
        throw new ToolError(function + ": no ticket with id " + id);
    }

    private static int priority(int p, String function) throws ToolError {
        if (p < 1 || p > 5) {
            throw new ToolError(function + ": priority must be from 1 to 5, was " + p);
        }
        return p;
    }

    private static String nonBlank(String value, String function, String field) throws ToolError {
        if (value.isBlank()) {
            throw new ToolError(function + ": the " + field + " is empty");
        }
        return value;
    }

    private static ObjectNode json(Ticket t) {
        ObjectNode n = TaskJson.mapper().createObjectNode();
        n.put("id", t.id);
        n.put("title", t.title);
        n.put("description", t.description);
        n.put("priority", t.priority);
        n.put("status", t.status);
        n.put("assignee", t.assignee);
        n.put("resolution", t.resolution);
        ArrayNode c = n.putArray("comments");
        t.comments.forEach(c::add);
        return n;
    }
}
