package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded tool-use tasks: an initial scenario (a home directory with folders and text files, and, by chance, a
 * messaging account and a ticket queue), then 1-4 user requests, each drawn from a list of request kinds that fit
 * the current state. Each request's ground-truth calls are run on a ground-truth environment as it is generated, so
 * every call succeeds and later requests see the state earlier ones left (a file created in turn 1 can be sent in
 * turn 2). Requests name exact texts, names and ids, so that the ground truth is the only reasonable reading.
 *
 * <pre>
 * difficulty  user turns  modules besides the file system           missed-function variant
 * 1           1           none or one                                no
 * 2           1-2         none or one                                no
 * 3           2-3         one or two                                 30% of tasks
 * 4           3-4         one or two                                 30%
 * 5           4           two                                        30%
 * </pre>
 *
 * The missed-function variant withholds the last new function of a randomly chosen turn: that turn keeps its request
 * but has no ground-truth calls, and a new turn right after it announces the function and asks again.
 */
final class ToolUseGenerator {
    private static final String[] PEOPLE = {
        "Alex", "Blake", "Casey", "Dana", "Eli", "Finley", "Gray", "Harper", "Indy", "Jordan", "Kai", "Logan", "Morgan",
        "Noa", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor"
    };
    private static final String[] FOLDERS = {
        "projects",
        "notes",
        "reports",
        "archive",
        "data",
        "drafts",
        "photos",
        "music",
        "recipes",
        "travel",
        "school",
        "finance"
    };
    private static final String[] STEMS = {
        "todo",
        "summary",
        "budget",
        "ideas",
        "log",
        "plan",
        "readme",
        "draft",
        "list",
        "report",
        "agenda",
        "minutes",
        "inventory",
        "schedule",
        "journal",
        "results",
        "memo",
        "outline"
    };
    private static final String[] EXTENSIONS = {".txt", ".md", ".csv"};
    private static final String[] WORDS = {
        "apple", "river", "budget", "meeting", "quarter", "sales", "garden", "review", "deadline", "coffee", "server",
        "backup", "invoice", "travel", "ticket", "lunch", "design", "report", "update", "client", "draft", "launch",
        "summer", "winter", "team", "office", "paper", "music", "yellow", "green", "market", "order"
    };
    private static final String[] TICKET_TITLES = {
        "Printer jams on floor 2", "VPN drops every hour", "Laptop battery swells", "Cannot open shared drive",
        "Email sync is slow", "Monitor flickers", "Password reset loop", "Calendar invites missing",
        "Wi-Fi weak in room 4", "Keyboard keys stick"
    };

    private final int difficulty;

    ToolUseGenerator(int difficulty) {
        this.difficulty = difficulty;
    }

    ToolUseTask next(RandomGenerator rng) {
        while (true) {
            ToolUseTask task = attempt(rng);
            if (task != null) {
                return task;
            }
        }
    }

    private ToolUseTask attempt(RandomGenerator rng) {
        String user = PEOPLE[rng.nextInt(PEOPLE.length)];
        String home = user.toLowerCase(Locale.ROOT);
        List<String> modules = new ArrayList<>(List.of(FileSystemApi.NAME));
        int extra = switch (difficulty) {
            case 1, 2 -> rng.nextInt(2);
            case 3, 4 -> 1 + rng.nextInt(2);
            default -> 2;
        };
        List<String> others = new ArrayList<>(List.of(MessagingApi.NAME, TicketingApi.NAME));
        if (rng.nextBoolean()) {
            Collections.reverse(others);
        }
        modules.addAll(others.subList(0, extra));
        modules.sort(null);
        ObjectNode scenario = TaskJson.mapper().createObjectNode();
        scenario.set(FileSystemApi.NAME, fileSystem(rng, home));
        String context = "Your home directory is /" + home + " and you start there.";
        if (modules.contains(MessagingApi.NAME)) {
            scenario.set(MessagingApi.NAME, messaging(rng, user));
            context += " You are logged in to messaging as " + user + " (user id USR001).";
        }
        if (modules.contains(TicketingApi.NAME)) {
            scenario.set(TicketingApi.NAME, ticketing(rng));
        }
        int turnCount = switch (difficulty) {
            case 1 -> 1;
            case 2 -> 1 + rng.nextInt(2);
            case 3 -> 2 + rng.nextInt(2);
            case 4 -> 3 + rng.nextInt(2);
            default -> 4;
        };
        ToolEnvironment truth = new ToolEnvironment(scenario);
        Requests requests = new Requests(rng, truth, home, modules);
        List<ToolUseTask.UserTurn> turns = new ArrayList<>();
        for (int t = 0; t < turnCount; t++) {
            ToolUseTask.UserTurn turn = null;
            for (int tries = 0; turn == null && tries < 30; tries++) {
                turn = requests.draw();
            }
            if (turn == null) {
                return null;
            }
            turns.add(turn);
        }
        ToolUseTask.Withheld withheld = null;
        if (difficulty >= 3 && rng.nextDouble() < 0.3) {
            int t = rng.nextInt(turns.size());
            String fn = newFunction(turns, t);
            if (fn != null) {
                ToolUseTask.UserTurn original = turns.get(t);
                turns.set(t, new ToolUseTask.UserTurn(original.request(), List.of()));
                turns.add(
                        t + 1,
                        new ToolUseTask.UserTurn(
                                "The function '" + fn + "' is available now. Please do what I asked before.",
                                original.calls()));
                withheld = new ToolUseTask.Withheld(fn, t + 1);
            }
        }
        return new ToolUseTask(modules, scenario, context, turns, withheld, difficulty);
    }

    /** The last function of turn {@code t} that no earlier turn calls, or null. */
    private static String newFunction(List<ToolUseTask.UserTurn> turns, int t) {
        List<JsonNode> calls = turns.get(t).calls();
        for (int i = calls.size() - 1; i >= 0; i--) {
            String fn = calls.get(i).get("name").asString();
            boolean usedBefore = turns.subList(0, t).stream()
                    .flatMap(u -> u.calls().stream())
                    .anyMatch(c -> c.get("name").asString().equals(fn));
            if (!usedBefore && !fn.equals("cd")) {
                return fn;
            }
        }
        return null;
    }

    private static ObjectNode fileSystem(RandomGenerator rng, String home) {
        ObjectNode config = TaskJson.mapper().createObjectNode();
        ObjectNode root = config.putObject("root");
        ObjectNode homeDir = root.putObject(home);
        int folders = 2 + rng.nextInt(3);
        for (String folder : pick(rng, FOLDERS, folders)) {
            ObjectNode dir = homeDir.putObject(folder);
            int files = 1 + rng.nextInt(4);
            for (String stem : pick(rng, STEMS, files)) {
                dir.put(stem + EXTENSIONS[rng.nextInt(EXTENSIONS.length)], text(rng, 2 + rng.nextInt(5)));
            }
        }
        if (rng.nextBoolean()) {
            homeDir.put("notes.txt", text(rng, 2 + rng.nextInt(3)));
        }
        config.put("cwd", "/" + home);
        return config;
    }

    private static ObjectNode messaging(RandomGenerator rng, String user) {
        ObjectNode config = TaskJson.mapper().createObjectNode();
        config.put("user_id", "USR001");
        ObjectNode users = config.putObject("users");
        users.put(user, "USR001");
        List<String> others = new ArrayList<>();
        for (String p : pick(rng, PEOPLE, 6)) {
            if (!p.equals(user) && others.size() < 4) {
                others.add(p);
            }
        }
        for (int i = 0; i < others.size(); i++) {
            users.put(others.get(i), String.format(Locale.ROOT, "USR%03d", i + 2));
        }
        ArrayNode contacts = config.putArray("contacts");
        contacts.add(others.get(0));
        ArrayNode messages = config.putArray("messages");
        int count = 1 + rng.nextInt(3);
        for (int i = 0; i < count; i++) {
            ObjectNode m = messages.addObject();
            String other = users.get(others.get(rng.nextInt(others.size()))).asString();
            boolean sent = i == 0 || rng.nextBoolean();
            m.put("id", i + 1);
            m.put("sender", sent ? "USR001" : other);
            m.put("receiver", sent ? other : "USR001");
            m.put("text", sentence(rng));
        }
        config.put("next_message_id", count + 1);
        return config;
    }

    private static ObjectNode ticketing(RandomGenerator rng) {
        ObjectNode config = TaskJson.mapper().createObjectNode();
        ArrayNode tickets = config.putArray("tickets");
        int count = 2 + rng.nextInt(3);
        List<String> titles = pick(rng, TICKET_TITLES, count);
        for (int i = 0; i < count; i++) {
            ObjectNode t = tickets.addObject();
            t.put("id", i + 1);
            t.put("title", titles.get(i));
            t.put("description", "Reported by " + PEOPLE[rng.nextInt(PEOPLE.length)] + ".");
            t.put("priority", 1 + rng.nextInt(5));
            t.put("status", i == 0 || rng.nextInt(4) > 0 ? "open" : "closed");
            t.putNull("assignee");
            t.putNull("resolution");
            t.putArray("comments");
        }
        config.put("next_ticket_id", count + 1);
        return config;
    }

    static String text(RandomGenerator rng, int lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            out.add(sentence(rng));
        }
        return String.join("\n", out);
    }

    static String sentence(RandomGenerator rng) {
        int n = 2 + rng.nextInt(4);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            words.add(WORDS[rng.nextInt(WORDS.length)]);
        }
        return String.join(" ", words);
    }

    /** {@code n} distinct elements of {@code from} in random order (all of them when n is larger). */
    static List<String> pick(RandomGenerator rng, String[] from, int n) {
        List<String> pool = new ArrayList<>(List.of(from));
        List<String> out = new ArrayList<>();
        while (out.size() < n && !pool.isEmpty()) {
            out.add(pool.remove(rng.nextInt(pool.size())));
        }
        return out;
    }

    /** Draws requests that fit the ground-truth environment's current state and applies their calls to it. */
    private static final class Requests {
        private final RandomGenerator rng;
        private final ToolEnvironment truth;
        private final String home;
        private final List<String> modules;
        /** The ground truth's public state when the current request is drawn (read once per draw). */
        private ObjectNode state;

        Requests(RandomGenerator rng, ToolEnvironment truth, String home, List<String> modules) {
            this.rng = rng;
            this.truth = truth;
            this.home = home;
            this.modules = modules;
        }

        /** A request and its calls, already applied to the ground truth; null when the drawn kind does not fit. */
        ToolUseTask.UserTurn draw() {
            List<String> kinds = new ArrayList<>(List.of(
                    "move", "write", "copy", "lines", "words", "grep", "sort", "delete", "find", "diff", "rename",
                    "cat"));
            if (modules.contains(MessagingApi.NAME)) {
                kinds.addAll(List.of("message", "forward", "contact", "unsend", "search"));
            }
            if (modules.contains(TicketingApi.NAME)) {
                kinds.addAll(List.of("ticket", "close", "resolve", "assign", "comment", "priority", "count-ticket"));
            }
            String kind = kinds.get(rng.nextInt(kinds.size()));
            state = truth.state();
            Request r = request(kind);
            if (r == null) {
                return null;
            }
            // Run on a scratch copy first: a request is kept only if every call succeeds.
            ToolEnvironment scratch = new ToolEnvironment(snapshot());
            for (JsonNode call : r.calls()) {
                if (scratch.call(call, Set.of()).startsWith("{\"error\"")) {
                    return null;
                }
            }
            for (JsonNode call : r.calls()) {
                truth.call(call, Set.of());
            }
            return new ToolUseTask.UserTurn(r.text(), r.calls());
        }

        private ObjectNode snapshot() {
            ObjectNode s = state.deepCopy();
            s.set(FileSystemApi.NAME, ((FileSystemApi) truth.module(FileSystemApi.NAME)).config());
            return s;
        }

        private record Request(String text, List<JsonNode> calls) {}

        private Request request(String kind) {
            ObjectNode homeDir =
                    (ObjectNode) state.get(FileSystemApi.NAME).get("root").get(home);
            List<String> folders = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : homeDir.properties()) {
                if (e.getValue().isObject()) {
                    folders.add(e.getKey());
                }
            }
            if (folders.isEmpty()) {
                return null;
            }
            String folder = folders.get(rng.nextInt(folders.size()));
            ObjectNode dir = (ObjectNode) homeDir.get(folder);
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : dir.properties()) {
                if (e.getValue().isString()) {
                    files.add(e.getKey());
                }
            }
            String file = files.isEmpty() ? null : files.get(rng.nextInt(files.size()));
            String content = file == null ? null : dir.get(file).asString();
            JsonNode cd = call("cd", "folder", "/" + home + "/" + folder);
            String newName = STEMS[rng.nextInt(STEMS.length)] + "_" + (1 + rng.nextInt(99))
                    + EXTENSIONS[rng.nextInt(EXTENSIONS.length)];
            String in = " in the '" + folder + "' folder";
            boolean needsFile = !List.of(
                            "write",
                            "message",
                            "contact",
                            "unsend",
                            "search",
                            "ticket",
                            "close",
                            "resolve",
                            "assign",
                            "comment",
                            "priority",
                            "find")
                    .contains(kind);
            if (needsFile && file == null) {
                return null;
            }
            return switch (kind) {
                case "move" -> {
                    String sub = FOLDERS[rng.nextInt(FOLDERS.length)] + "_" + (1 + rng.nextInt(9));
                    yield new Request(
                            "In the '" + folder + "' folder, create a folder called '" + sub + "' and move '" + file
                                    + "' into it.",
                            List.of(
                                    cd,
                                    call("mkdir", "dir_name", sub),
                                    call("mv", "source", file, "destination", sub)));
                }
                case "write" -> {
                    String text = sentence(rng);
                    yield new Request(
                            "Create a file '" + newName + "'" + in + " that contains exactly the text '" + text + "'.",
                            List.of(
                                    cd,
                                    call("touch", "file_name", newName),
                                    call("echo", "content", text, "file_name", newName)));
                }
                case "copy" ->
                    new Request(
                            "Make a copy of '" + file + "'" + in + " and name the copy '" + newName + "'.",
                            List.of(cd, call("cp", "source", file, "destination", newName)));
                case "rename" ->
                    new Request(
                            "Rename '" + file + "'" + in + " to '" + newName + "'.",
                            List.of(cd, call("mv", "source", file, "destination", newName)));
                case "lines" ->
                    new Request(
                            "How many lines does '" + file + "'" + in + " have?",
                            List.of(cd, call("wc", "file_name", file, "mode", "l")));
                case "words" ->
                    new Request(
                            "How many words are in '" + file + "'" + in + "?",
                            List.of(cd, call("wc", "file_name", file, "mode", "w")));
                case "grep" -> {
                    String[] words = content.split("\\s+");
                    String word = words[rng.nextInt(words.length)];
                    yield new Request(
                            "Show me the lines of '" + file + "'" + in + " that contain '" + word + "'.",
                            List.of(cd, call("grep", "file_name", file, "pattern", word)));
                }
                case "sort" ->
                    new Request(
                            "Show me the lines of '" + file + "'" + in + " in sorted order.",
                            List.of(cd, call("sort", "file_name", file)));
                case "cat" ->
                    new Request("What does '" + file + "'" + in + " say?", List.of(cd, call("cat", "file_name", file)));
                case "delete" ->
                    new Request(
                            "Delete '" + file + "' from the '" + folder + "' folder.",
                            List.of(cd, call("rm", "file_name", file)));
                case "find" -> {
                    String stem = STEMS[rng.nextInt(STEMS.length)];
                    yield new Request(
                            "From my home directory, search '.' for everything whose name contains '" + stem + "'.",
                            List.of(call("cd", "folder", "/" + home), call("find", "path", ".", "name", stem)));
                }
                case "diff" -> {
                    if (files.size() < 2) {
                        yield null;
                    }
                    String other = files.get(rng.nextInt(files.size()));
                    if (other.equals(file)) {
                        yield null;
                    }
                    yield new Request(
                            "Compare '" + file + "' with '" + other + "'" + in + " line by line (first '" + file
                                    + "', then '" + other + "').",
                            List.of(cd, call("diff", "file_name1", file, "file_name2", other)));
                }
                case "message" -> {
                    String to = otherUser();
                    String text = sentence(rng);
                    yield new Request(
                            "Send " + to + " a message saying '" + text + "'.",
                            List.of(
                                    call("get_user_id", "user", to),
                                    call("send_message", "receiver_id", userId(to), "message", text)));
                }
                case "forward" -> {
                    String to = otherUser();
                    yield new Request(
                            "Send " + to + " the content of '" + file + "'" + in + " as a message, word for word.",
                            List.of(
                                    cd,
                                    call("cat", "file_name", file),
                                    call("get_user_id", "user", to),
                                    call("send_message", "receiver_id", userId(to), "message", content)));
                }
                case "contact" -> {
                    String who = rng.nextBoolean() ? otherUser() : PEOPLE[rng.nextInt(PEOPLE.length)];
                    yield new Request(
                            "Add " + who + " to my contacts.", List.of(call("add_contact", "user_name", who)));
                }
                case "unsend" -> {
                    JsonNode sent = null;
                    for (JsonNode m : messagingState().get("messages")) {
                        if (m.get("sender").asString().equals("USR001")) {
                            sent = m;
                        }
                    }
                    if (sent == null) {
                        yield null;
                    }
                    yield new Request(
                            "Look at the messages I have sent and delete the one that says '"
                                    + sent.get("text").asString() + "'.",
                            List.of(
                                    call("view_messages_sent"),
                                    call(
                                            "delete_message",
                                            "message_id",
                                            sent.get("id").asInt())));
                }
                case "search" -> {
                    JsonNode messages = messagingState().get("messages");
                    if (messages.isEmpty()) {
                        yield null;
                    }
                    String[] words = messages.get(rng.nextInt(messages.size()))
                            .get("text")
                            .asString()
                            .split(" ");
                    String word = words[rng.nextInt(words.length)];
                    yield new Request(
                            "Search my messages for the keyword '" + word + "'.",
                            List.of(call("search_messages", "keyword", word)));
                }
                case "ticket" -> {
                    String title = TICKET_TITLES[rng.nextInt(TICKET_TITLES.length)];
                    String description =
                            "Seen by " + PEOPLE[rng.nextInt(PEOPLE.length)] + " at " + (8 + rng.nextInt(10)) + ":00.";
                    int priority = 1 + rng.nextInt(5);
                    yield new Request(
                            "Open a ticket titled '" + title + "' with the description '" + description
                                    + "' and priority " + priority + ".",
                            List.of(call(
                                    "create_ticket",
                                    "title",
                                    title,
                                    "description",
                                    description,
                                    "priority",
                                    priority)));
                }
                case "close" ->
                    ticketRequest(
                            "open", id -> "Close ticket #" + id + ".", id -> call("close_ticket", "ticket_id", id));
                case "resolve" -> {
                    String resolution = "Fixed by " + WORDS[rng.nextInt(WORDS.length)] + " update";
                    yield ticketRequest(
                            "open",
                            id -> "Resolve ticket #" + id + " with the resolution '" + resolution + "'.",
                            id -> call("resolve_ticket", "ticket_id", id, "resolution", resolution));
                }
                case "assign" -> {
                    String who = PEOPLE[rng.nextInt(PEOPLE.length)];
                    yield ticketRequest(
                            null,
                            id -> "Assign ticket #" + id + " to " + who + ".",
                            id -> call("assign_ticket", "ticket_id", id, "assignee", who));
                }
                case "comment" -> {
                    String comment = sentence(rng);
                    yield ticketRequest(
                            null,
                            id -> "Add the comment '" + comment + "' to ticket #" + id + ".",
                            id -> call("add_comment", "ticket_id", id, "comment", comment));
                }
                case "priority" -> {
                    int p = 1 + rng.nextInt(5);
                    yield ticketRequest(
                            null,
                            id -> "Change the priority of ticket #" + id + " to " + p + ".",
                            id -> call("edit_ticket", "ticket_id", id, "priority", p));
                }
                case "count-ticket" -> {
                    String title = "Line count of " + file;
                    int lines = content.isEmpty() ? 0 : content.split("\n", -1).length;
                    int p = 1 + rng.nextInt(5);
                    yield new Request(
                            "Count the lines of '" + file + "'" + in + " and open a ticket titled '" + title
                                    + "' whose description is just that number, with priority " + p + ".",
                            List.of(
                                    cd,
                                    call("wc", "file_name", file, "mode", "l"),
                                    call(
                                            "create_ticket",
                                            "title",
                                            title,
                                            "description",
                                            String.valueOf(lines),
                                            "priority",
                                            p)));
                }
                default -> throw new IllegalStateException("unknown request kind " + kind);
            };
        }

        private Request ticketRequest(String status, IntFunction<String> text, IntFunction<JsonNode> callFor) {
            List<Integer> ids = new ArrayList<>();
            for (JsonNode t : state.get(TicketingApi.NAME).get("tickets")) {
                if (status == null || t.get("status").asString().equals(status)) {
                    ids.add(t.get("id").asInt());
                }
            }
            if (ids.isEmpty()) {
                return null;
            }
            int id = ids.get(rng.nextInt(ids.size()));
            return new Request(text.apply(id), List.of(callFor.apply(id)));
        }

        private JsonNode messagingState() {
            return state.get(MessagingApi.NAME);
        }

        private String otherUser() {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : messagingState().get("users").properties()) {
                if (!e.getValue().asString().equals("USR001")) {
                    names.add(e.getKey());
                }
            }
            return names.get(rng.nextInt(names.size()));
        }

        private String userId(String name) {
            return messagingState().get("users").get(name).asString();
        }
    }

    /** A call object with arguments given as name/value pairs (strings, integers). */
    static JsonNode call(String name, Object... args) {
        ObjectNode arguments = TaskJson.mapper().createObjectNode();
        for (int i = 0; i < args.length; i += 2) {
            Object v = args[i + 1];
            if (v instanceof Integer n) {
                arguments.put((String) args[i], n);
            } else {
                arguments.put((String) args[i], (String) v);
            }
        }
        return ToolCalls.call(name, arguments);
    }
}
