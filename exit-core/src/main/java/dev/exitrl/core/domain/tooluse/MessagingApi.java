package dev.exitrl.core.domain.tooluse;

import static dev.exitrl.core.domain.tooluse.ToolFunction.required;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.tooluse.ToolFunction.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A messaging service modelled on BFCL's {@code MessageAPI}: users with ids, the logged-in user's contacts, and the
 * messages between users. Ids of new users and messages come from counters in the state, so the same calls always
 * give the same ids.
 *
 * <p>Config and public state: {@code {"user_id": "USR001", "users": {name: id}, "contacts": [name],
 * "messages": [{"id": n, "sender": id, "receiver": id, "text": t}], "next_message_id": n}}.
 */
final class MessagingApi implements ToolModule {
    static final String NAME = "messaging";

    static final List<ToolFunction> FUNCTIONS = List.of(
            fn("list_users", "List the names of all users."),
            fn("get_user_id", "Look up the id of a user by name.", required("user", Type.STRING, "The user's name.")),
            fn(
                    "add_contact",
                    "Add a user to your contacts; an unknown name is registered as a new user.",
                    required("user_name", Type.STRING, "The user's name.")),
            fn(
                    "send_message",
                    "Send a message to a user.",
                    required("receiver_id", Type.STRING, "The receiver's user id."),
                    required("message", Type.STRING, "The text to send.")),
            fn("view_messages_sent", "List the messages you have sent, with their ids."),
            fn(
                    "delete_message",
                    "Delete a message you sent.",
                    required("message_id", Type.INTEGER, "The id of the message.")),
            fn(
                    "search_messages",
                    "Find the messages you sent or received that contain a keyword (case-insensitive).",
                    required("keyword", Type.STRING, "The keyword.")),
            fn("get_message_stats", "Count your sent and received messages and your contacts."));

    private record Message(int id, String sender, String receiver, String text) {}

    private final String userId;
    private final TreeMap<String, String> users = new TreeMap<>();
    private final List<String> contacts = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private int nextMessageId;

    MessagingApi(JsonNode config) {
        userId = config.path("user_id").asString();
        for (Map.Entry<String, JsonNode> e : config.path("users").properties()) {
            users.put(e.getKey(), e.getValue().asString());
        }
        if (!users.containsValue(userId)) {
            throw new IllegalArgumentException("messaging config: user_id " + userId + " is not a user");
        }
        config.path("contacts").forEach(c -> contacts.add(c.asString()));
        for (JsonNode m : config.path("messages")) {
            messages.add(new Message(
                    m.get("id").asInt(),
                    m.get("sender").asString(),
                    m.get("receiver").asString(),
                    m.get("text").asString()));
        }
        nextMessageId = config.path("next_message_id").asInt(messages.size() + 1);
    }

    private static ToolFunction fn(String name, String description, ToolFunction.Param... params) {
        return new ToolFunction(NAME, name, description, List.of(params));
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
        s.put("user_id", userId);
        ObjectNode u = s.putObject("users");
        users.forEach(u::put);
        ArrayNode c = s.putArray("contacts");
        contacts.forEach(c::add);
        ArrayNode ms = s.putArray("messages");
        messages.forEach(m -> ms.add(json(m)));
        s.put("next_message_id", nextMessageId);
        return s;
    }

    @Override
    public String invoke(String function, JsonNode args) throws ToolError {
        return switch (function) {
            case "list_users" -> Results.of("users", List.copyOf(users.keySet()));
            case "get_user_id" -> Results.of("user_id", idOf(args.get("user").asString()));
            case "add_contact" -> addContact(args.get("user_name").asString());
            case "send_message" ->
                send(args.get("receiver_id").asString(), args.get("message").asString());
            case "view_messages_sent" ->
                Results.of("messages", mine(m -> m.sender().equals(userId)));
            case "delete_message" -> delete(args.get("message_id").asInt());
            case "search_messages" -> search(args.get("keyword").asString());
            case "get_message_stats" ->
                Results.of(
                        "sent", count(m -> m.sender().equals(userId)),
                        "received", count(m -> m.receiver().equals(userId)),
                        "contacts", contacts.size());
            default -> throw new IllegalArgumentException("no function " + function);
        };
    }

    private String idOf(String name) throws ToolError {
        String id = users.get(name);
        if (id == null) {
            throw new ToolError("get_user_id: no user named '" + name + "'");
        }
        return id;
    }

    private String addContact(String name) throws ToolError {
        if (name.isBlank()) {
            throw new ToolError("add_contact: the name is empty");
        }
        if (contacts.contains(name)) {
            throw new ToolError("add_contact: '" + name + "' is already a contact");
        }
        String id = users.computeIfAbsent(name, n -> String.format(Locale.ROOT, "USR%03d", users.size() + 1));
        contacts.add(name);
        return Results.of("added", name, "user_id", id);
    }

    private String send(String receiver, String text) throws ToolError {
        if (!users.containsValue(receiver)) {
            throw new ToolError("send_message: no user with id '" + receiver + "'");
        }
        if (text.isBlank()) {
            throw new ToolError("send_message: the message is empty");
        }
        Message m = new Message(nextMessageId++, userId, receiver, text);
        messages.add(m);
        return Results.of("sent", true, "message_id", m.id());
    }

    private String delete(int id) throws ToolError {
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.id() == id) {
                if (!m.sender().equals(userId)) {
                    throw new ToolError("delete_message: message " + id + " was not sent by you");
                }
                messages.remove(i);
                return Results.of("deleted", true, "message_id", id);
            }
        }
        throw new ToolError("delete_message: no message with id " + id);
    }

    private String search(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT);
        return Results.of(
                "results",
                mine(m -> (m.sender().equals(userId) || m.receiver().equals(userId))
                        && m.text().toLowerCase(Locale.ROOT).contains(k)));
    }

    private List<JsonNode> mine(Predicate<Message> filter) {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : messages) {
            if (filter.test(m)) {
                out.add(json(m));
            }
        }
        return out;
    }

    private int count(Predicate<Message> filter) {
        return (int) messages.stream().filter(filter).count();
    }

    private static ObjectNode json(Message m) {
        ObjectNode n = TaskJson.mapper().createObjectNode();
        n.put("id", m.id());
        n.put("sender", m.sender());
        n.put("receiver", m.receiver());
        n.put("text", m.text());
        return n;
    }
}
